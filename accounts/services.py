from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts import national_id, selectors
from accounts.constants import Role
from accounts.models import User
from common.errors import ServiceError
from offices.models import Jurisdiction, Office
from policy.constants import Scheme


@transaction.atomic
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


@transaction.atomic
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
    cleaned, errors = _enrollee_errors(
        national_id_value=national_id_value, phone=phone, jurisdiction_code=jurisdiction_code, office_code=office_code
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
