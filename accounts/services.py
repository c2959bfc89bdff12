from django.db import transaction

from accounts.constants import Role
from accounts.models import User


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str = Role.ENROLLEE,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    offices=(),
) -> User:
    """Create a user of any role; admins may open the Django admin, nobody else can."""
    is_admin = role == Role.ADMIN
    user = User(
        username=username,
        role=role,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_staff=is_admin,
        is_superuser=is_admin,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    if offices:
        user.offices.set(offices)
    return user
