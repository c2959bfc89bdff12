import math

import django_otp
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from accounts import national_id, selectors
from accounts.constants import Role
from accounts.models import User
from common.errors import ServiceError
from common.models import AccessLog
from offices.models import Jurisdiction, Office
from policy.constants import Scheme

AUTHENTICATOR_NAME = "authenticator app"


def user_create(
    *,
    username: str,
    password: str | None,
    role: str = Role.ENROLLEE,
    name: str = "",
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str | None = None,
    offices=(),
    **profile,
) -> User:
    """Create a user of any role; admins may open the Django admin, nobody else can."""
    with transaction.atomic():
        is_admin = role == Role.ADMIN
        user = User(
            username=username,
            role=role,
            name=name,
            first_name=first_name,
            last_name=last_name,
            email=email,
            phone=phone,
            is_staff=is_admin,
            is_superuser=is_admin,
            **profile,
        )
        if password is None:
            user.set_unusable_password()
        else:
            validate_password(password, user)  # by role: staff and admins need 12 characters
            user.set_password(password)
        user.full_clean()
        user.save()
        if offices:
            user.offices.set(offices)
        return user


def _enrollee_errors(*, national_id_value, phone, jurisdiction_code, office_code):
    """Check sign-up or walk-in data; returns (cleaned values, {field: [messages]})."""
    errors, cleaned = {}, {}
    try:
        cleaned["national_id"] = national_id.validate(national_id_value)
        if selectors.user_by_national_id(cleaned["national_id"]):
            errors["national_id"] = [_("An account with this identity number already exists: please log in.")]
    except ValidationError as error:
        errors["national_id"] = error.messages
    if phone:
        try:
            cleaned["phone"] = national_id.validate_mobile(phone)
            if User.objects.filter(phone=cleaned["phone"]).exists():
                errors["phone"] = [_("This mobile number is already used by another account.")]
        except ValidationError as error:
            errors["phone"] = error.messages
    jurisdiction = Jurisdiction.objects.filter(code=jurisdiction_code).first()
    if jurisdiction is None:
        errors["jurisdiction"] = [_("Choose the region where you are insured.")]
    office = Office.objects.filter(code=office_code).select_related("jurisdiction").first()
    if office is None:
        errors["office"] = [_("Choose your insured office (district).")]
    elif jurisdiction and office.jurisdiction_id != jurisdiction.id:
        errors["office"] = [
            _("%(office)s is not an office of %(jurisdiction)s.")
            % {"office": office.name_zh, "jurisdiction": jurisdiction.name_zh}
        ]
    cleaned.update(jurisdiction=jurisdiction, office=office)
    return cleaned, errors


def enrollee_register(
    *,
    national_id_value: str,
    name: str,
    phone: str,
    password: str | None,
    scheme: str,
    jurisdiction_code: str,
    office_code: str,
    email: str = "",
    preferred_language: str = "zh-hans",
) -> User:
    """Sign an enrollee up (or, with password=None, open an account for a walk-in enrollee).

    One account per identity number: the number is validated (GB 11643 check digit, birth
    date, region) and found again by its keyed hash, never stored in the clear.
    """
    with transaction.atomic():
        cleaned, errors = _enrollee_errors(
            national_id_value=national_id_value,
            phone=phone,
            jurisdiction_code=jurisdiction_code,
            office_code=office_code,
        )
        if scheme not in Scheme.values:
            errors["scheme"] = [_("Choose employee or urban-rural resident insurance.")]
        if not (name or "").strip():
            errors["name"] = [_("Enter your name as on your identity card.")]
        if not phone and password is not None:  # walk-in enrollees may have no phone of their own
            errors["phone"] = [_("Enter a mainland mobile number: 11 digits starting with 13–19.")]
        if password is not None:
            try:
                validate_password(password, User(name=name, phone=phone))
            except ValidationError as error:
                errors["password"] = error.messages
        if errors:
            raise ServiceError(_("Please correct the fields marked below."), errors)

        user = User(
            username=f"id-{national_id.lookup_hash(cleaned['national_id'])[:20]}",
            role=Role.ENROLLEE,
            name=name.strip(),
            phone=cleaned.get("phone"),
            email=email,
            scheme=scheme,
            jurisdiction=cleaned["jurisdiction"],
            office=cleaned["office"],
            preferred_language=preferred_language,
        )
        user.set_national_id(cleaned["national_id"])
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:  # a concurrent sign-up with the same number or phone won
            raise ServiceError(
                _("An account with this identity number or mobile number already exists: please log in."), {}
            ) from None
        return user


# --- Second factor (TOTP) for staff and admins --------------------------------------------


def authenticator_start(*, user: User) -> TOTPDevice:
    """The authenticator app key being set up.

    One unconfirmed key per person, kept until it is confirmed, so that reloading the page shows
    the same QR code. Once confirmed it cannot be replaced here: a lost phone is reset by an admin
    (who deletes the device), so a stolen password alone cannot enrol a new phone.
    """
    if selectors.authenticator_for(user):
        raise ServiceError(_("An authenticator app is already set up for this account."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def authenticator_confirm(*, user: User, device: TOTPDevice, token: str) -> TOTPDevice:
    """Confirm the key being set up with a first code from the app; recorded in the access log."""
    verified = _verified_device(user=user, device=device, token=token)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=verified.pk).delete()
        verified.confirmed = True
        verified.save(update_fields=["confirmed"])
        AccessLog.objects.create(
            actor=user, action="second_factor_set_up", object_type="user", object_id=str(user.uuid)
        )
    return verified


def authenticator_check(*, user: User, token: str) -> TOTPDevice:
    """The confirmed authenticator that accepts `token`, or a ServiceError saying what to do."""
    device = selectors.authenticator_for(user)
    if device is None:
        raise ServiceError(
            _("This account has no authenticator app yet. Log in on the portal to set one up."),
            {"otp": [_("Set up an authenticator app first.")]},
        )
    return _verified_device(user=user, device=device, token=token)


def _verified_device(*, user: User, device: TOTPDevice, token: str) -> TOTPDevice:
    # django-otp locks the row while it checks, refuses a code used before and doubles the wait
    # after each wrong code (1, 2, 4 … seconds): guessing six digits takes years.
    token = (token or "").replace(" ", "")
    if not token:  # not a guess: nothing to count against the person
        message = _("Enter the 6-digit code your authenticator app shows.")
        raise ServiceError(message, {"otp": [message]})
    allowed, throttled = device.verify_is_allowed()
    if not allowed and (throttled or {}).get("locked_until"):
        seconds = max(1, math.ceil((throttled["locked_until"] - timezone.now()).total_seconds()))
        message = ngettext(
            "Too many wrong codes. Wait %(seconds)s second, then enter the newest code.",
            "Too many wrong codes. Wait %(seconds)s seconds, then enter the newest code.",
            seconds,
        ) % {"seconds": seconds}
        raise ServiceError(message, {"otp": [message]})
    verified = django_otp.verify_token(user, device.persistent_id, token)
    if verified is None:
        message = _("The code is wrong or has expired. Enter the 6 digits the app shows now.")
        raise ServiceError(message, {"otp": [message]})
    return verified


def api_token_issue(*, user: User, otp: str = "") -> Token:
    """The user's API token, a new one if the old has expired; staff and admins also give a code."""
    if selectors.needs_second_factor(user):
        authenticator_check(user=user, token=otp)
    token = Token.objects.filter(user=user).first()
    if token is not None and selectors.api_token_expired(token):
        token.delete()
        token = None
    return token or Token.objects.create(user=user)


def user_elder_mode_set(*, user: User, on: bool) -> User:
    """长辈模式 on or off for the account (the browser's cookie is the view's business)."""
    if user.elder_mode != on:
        user.elder_mode = on
        user.save(update_fields=["elder_mode"])
    return user
