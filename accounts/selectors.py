from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import national_id
from accounts.constants import Role
from accounts.models import User
from offices.models import Office


def user_for_login(identifier: str) -> User | None:
    """The account an identity number, a mobile number or a username names."""
    identifier = (identifier or "").strip()
    users = User.objects.select_related("office", "jurisdiction")
    if national_id.looks_like_national_id(identifier):
        return users.filter(national_id_hash=national_id.lookup_hash(identifier)).first()
    if identifier.isdigit() or identifier.startswith("+86"):
        try:
            phone = national_id.validate_mobile(identifier)
        except ValidationError:  # not a mobile number: try it as a username below
            phone = None
        if phone:
            user = users.filter(phone=phone).first()
            if user:
                return user
    return users.filter(username=identifier).first()


def user_by_national_id(number: str) -> User | None:
    return User.objects.filter(national_id_hash=national_id.lookup_hash(number)).first()


def needs_second_factor(user) -> bool:
    """Window staff and admins prove a second factor (TOTP) before any page; enrollees do not."""
    return bool(user.is_authenticated and (user.role in (Role.STAFF, Role.ADMIN) or user.is_staff))


def authenticator_for(user) -> TOTPDevice | None:
    """The confirmed authenticator app of `user`, if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def api_token_lifetime(user) -> timedelta:
    """Staff tokens last a working day (a new code gets another); enrollees' last 30 days."""
    hours = settings.STAFF_API_TOKEN_HOURS if needs_second_factor(user) else settings.ENROLLEE_API_TOKEN_HOURS
    return timedelta(hours=hours)


def api_token_expires_at(token):
    return token.created + api_token_lifetime(token.user)


def api_token_expired(token) -> bool:
    return api_token_expires_at(token) <= timezone.now()


def offices_of(user) -> list:
    """A staff member's offices with their jurisdictions, read once per request: remembered on the
    user object, which lives as long as the request does."""
    if not hasattr(user, "_offices"):
        user._offices = list(user.offices.select_related("jurisdiction"))
    return user._offices


def all_offices() -> list:
    """Every office (what admins review)."""
    return list(Office.objects.select_related("jurisdiction"))


def review_offices_of(user) -> list:
    """The offices whose cases the person reviews: every office for an admin, their own for staff,
    none for anyone else (who has no review pages)."""
    if user.role == Role.ADMIN:
        return all_offices()
    if user.role == Role.STAFF:
        return offices_of(user)
    return []


def office_ids_of(user) -> list[int]:
    """As a list of ids, not a subquery: PostgreSQL then walks the queue index in order and stops
    after one page."""
    return [office.pk for office in offices_of(user)]


def enrollee_at_offices(uuid, *, offices) -> User:
    """An enrollee insured at one of `offices` (those a staff member serves), or 404: staff file
    only for their own offices' insured people."""
    try:
        return User.objects.select_related("jurisdiction", "office").get(
            uuid=uuid, role=Role.ENROLLEE, office__in=offices
        )
    except (User.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
