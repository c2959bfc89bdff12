from django.core.exceptions import ValidationError

from accounts import national_id
from accounts.models import User


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
