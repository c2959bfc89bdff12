"""Changes that replace the version tokens (common.versions) of what is kept about a person from one
request to the next: the user row the session or API token stands for, their authenticator, the
offices a staff member serves. So a kept copy never outlives a change: a deactivated account, a
removed office, a deleted device or token is refused on the very next request, in every process."""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed, post_delete, post_save
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from accounts import selectors, services
from accounts.constants import ELDER_COOKIE
from accounts.models import User
from common import versions
from offices.models import Jurisdiction, Office, OfficePhone


def _user_changed(sender, instance, **kwargs):
    names = [selectors.person_version(instance.pk)]
    names += [
        selectors.api_token_version(key)
        for key in Token.objects.filter(user_id=instance.pk).values_list("key", flat=True)
    ]
    versions.bump(*names)


def _token_changed(sender, instance, **kwargs):
    versions.bump(selectors.api_token_version(instance.key))


def _device_changed(sender, instance, **kwargs):
    versions.bump(selectors.person_version(instance.user_id))


def _offices_of_staff_changed(sender, instance, action, pk_set=None, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        # user.offices.add(...) or office.staff_members.add(...): either side may be the instance.
        staff = [instance.pk] if isinstance(instance, User) else list(pk_set or ())
        versions.bump(*(selectors.person_version(pk) for pk in staff))
        if not isinstance(instance, User) and action == "post_clear":
            versions.bump(selectors.OFFICES_VERSION)  # the cleared office's staff are not named


def _offices_changed(sender, **kwargs):
    versions.bump(selectors.OFFICES_VERSION)


def _remember_elder_mode(sender, request, user, **kwargs):
    """Someone switched the elderly-friendly mode on before logging in (often with a helper, on
    their own phone): their account keeps it from now on."""
    if request is not None and request.COOKIES.get(ELDER_COOKIE) == "1" and not user.elder_mode:
        services.user_elder_mode_set(user=user, on=True)


def connect():
    for signal in (post_save, post_delete):
        signal.connect(_user_changed, sender=User, dispatch_uid=f"accounts-user-{signal is post_save}")
        signal.connect(_token_changed, sender=Token, dispatch_uid=f"accounts-token-{signal is post_save}")
        signal.connect(_device_changed, sender=TOTPDevice, dispatch_uid=f"accounts-device-{signal is post_save}")
        for model in (Office, Jurisdiction, OfficePhone):
            signal.connect(
                _offices_changed, sender=model, dispatch_uid=f"accounts-{model.__name__}-{signal is post_save}"
            )
    user_logged_in.connect(_remember_elder_mode, dispatch_uid="accounts-elder-mode")
    m2m_changed.connect(_offices_of_staff_changed, sender=User.offices.through, dispatch_uid="accounts-offices-of")
