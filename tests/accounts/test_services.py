"""Writes of accounts (accounts.services), called directly: what an account needs, the second
factor's set-up and checks, API tokens, the elderly-friendly mode."""

import datetime

import pytest
from django.utils import timezone, translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from accounts import national_id, services
from accounts.constants import Role
from accounts.models import User
from common.errors import ServiceError
from common.models import AccessLog
from tests.conftest import ENROLLEE_ID, PASSWORD, make_enrollee

pytestmark = pytest.mark.django_db

VALID = {
    "national_id_value": "320602198807070031",
    "name": "赵六",
    "phone": "13900001234",
    "password": PASSWORD,
    "scheme": "resident",
    "jurisdiction_code": "nantong",
    "office_code": "haimen",
}


def register(**changes):
    return services.enrollee_register(**{**VALID, **changes})


def refused_fields(**changes) -> set[str]:
    with pytest.raises(ServiceError) as error:
        register(**changes)
    assert not User.objects.filter(name=changes.get("name", VALID["name"])).exists()
    return set(error.value.errors)


def test_an_enrollee_is_registered_with_only_a_keyed_hash_and_a_mask_of_the_number():
    user = register()
    assert user.role == Role.ENROLLEE
    assert (user.jurisdiction.code, user.office.code, user.scheme) == ("nantong", "haimen", "resident")
    assert user.national_id_masked.endswith("0031")
    assert user.national_id_hash == national_id.lookup_hash(VALID["national_id_value"])
    assert VALID["national_id_value"] not in str(User.objects.filter(pk=user.pk).values().get())
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"national_id_value": "320602198807070032"}, "national_id"),  # a wrong check digit
        ({"phone": "1390000"}, "phone"),
        ({"jurisdiction_code": "beijing"}, "jurisdiction"),
        ({"office_code": "nowhere"}, "office"),
        ({"office_code": "sheyang"}, "office"),  # an office of another region
        ({"scheme": "private"}, "scheme"),
        ({"name": "  "}, "name"),
        ({"phone": ""}, "phone"),
        ({"password": "12345678"}, "password"),
    ],
)
def test_each_wrong_field_is_named_and_nothing_is_created(changes, field):
    assert field in refused_fields(**changes)
    assert not User.objects.filter(phone="13900001234").exists()


def test_one_account_per_identity_number_and_per_phone(enrollee):
    assert "national_id" in refused_fields(national_id_value=ENROLLEE_ID)
    assert "phone" in refused_fields(phone=enrollee.phone)


def test_an_office_of_another_region_is_named_with_the_region():
    with translation.override("en"), pytest.raises(ServiceError) as error:
        register(office_code="sheyang")
    assert error.value.errors["office"] == ["射阳县 is not an office of 南通市."]


def test_a_walk_in_account_has_no_password_and_may_have_no_phone():
    user = register(password=None, phone="")
    assert not user.has_usable_password()
    assert user.phone is None


def test_user_create_checks_the_roles_password_length_and_binds_offices(office):
    with pytest.raises(Exception) as error:  # noqa: PT011 - Django's ValidationError, by role
        services.user_create(username="short", password="only-ten-ch", role=Role.STAFF)
    assert "12" in str(error.value)
    staff = services.user_create(username="clerk", password=PASSWORD, role=Role.STAFF, offices=[office])
    assert list(staff.offices.all()) == [office]
    assert not (staff.is_staff)
    assert not (staff.is_superuser)
    admin = services.user_create(username="boss", password=PASSWORD, role=Role.ADMIN)
    assert admin.is_staff
    assert admin.is_superuser


# --- The second factor -------------------------------------------------------------------------


def code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_setting_up_an_authenticator_is_one_key_until_confirmed(window_staff):
    first = services.authenticator_start(user=window_staff)
    assert services.authenticator_start(user=window_staff) == first  # a reload shows the same QR code
    confirmed = services.authenticator_confirm(user=window_staff, device=first, token=code(first))
    assert confirmed.confirmed
    assert AccessLog.objects.filter(actor=window_staff, action="second_factor_set_up").exists()
    with pytest.raises(ServiceError):
        services.authenticator_start(user=window_staff)  # a stolen password cannot enrol a new phone


@pytest.mark.parametrize("token", ["", "000000"])
def test_an_empty_or_wrong_code_is_refused_on_the_otp_field(window_staff, token):
    device = services.authenticator_start(user=window_staff)
    with pytest.raises(ServiceError) as error:
        services.authenticator_confirm(user=window_staff, device=device, token=token)
    assert "otp" in error.value.errors
    device.refresh_from_db()
    assert not device.confirmed


def test_without_an_authenticator_the_check_says_to_set_one_up(window_staff):
    TOTPDevice.objects.filter(user=window_staff).delete()
    with translation.override("en"), pytest.raises(ServiceError) as error:
        services.authenticator_check(user=window_staff, token="123456")
    assert "no authenticator app yet" in error.value.message


def test_wrong_codes_make_the_next_one_wait(window_staff):
    device = services.authenticator_start(user=window_staff)
    services.authenticator_confirm(user=window_staff, device=device, token=code(device))
    for _attempt in range(2):
        with pytest.raises(ServiceError):
            services.authenticator_check(user=window_staff, token="000000")
    with translation.override("en"), pytest.raises(ServiceError) as error:
        services.authenticator_check(user=window_staff, token=code(device))
    assert error.value.message.startswith("Too many wrong codes. Wait")


# --- API tokens --------------------------------------------------------------------------------


def test_an_enrollees_token_is_kept_until_it_expires(enrollee, time_machine):
    time_machine.move_to("2026-06-01 09:00:00+08:00", tick=False)
    token = services.api_token_issue(user=enrollee)
    assert services.api_token_issue(user=enrollee) == token
    time_machine.shift(datetime.timedelta(days=31))
    renewed = services.api_token_issue(user=enrollee)
    assert renewed.key != token.key
    assert Token.objects.filter(user=enrollee).count() == 1
    assert renewed.created == timezone.now()


def test_staff_need_their_code_for_a_token(window_staff):
    device = services.authenticator_start(user=window_staff)
    services.authenticator_confirm(user=window_staff, device=device, token=code(device))
    with pytest.raises(ServiceError) as error:
        services.api_token_issue(user=window_staff, otp="")
    assert "otp" in error.value.errors
    assert not Token.objects.filter(user=window_staff).exists()


# --- The elderly-friendly mode -----------------------------------------------------------------


def test_the_elder_mode_is_kept_on_the_account(enrollee):
    assert services.user_elder_mode_set(user=enrollee, on=True).elder_mode is True
    enrollee.refresh_from_db()
    assert enrollee.elder_mode is True
    services.user_elder_mode_set(user=enrollee, on=False)
    enrollee.refresh_from_db()
    assert enrollee.elder_mode is False


def test_another_enrollee_helper_is_registered_in_their_own_region():
    other = make_enrollee("320623195803170041", name="李四", phone="13800000002", office_code="sheyang")
    assert other.jurisdiction.code == "sheyang"
