"""Password length by role: window staff and admins hold many people's data, so theirs are longer."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.constants import Role


class RoleMinimumLengthValidator:
    def __init__(self, staff_min_length: int = 12, enrollee_min_length: int = 8):
        self.staff_min_length, self.enrollee_min_length = staff_min_length, enrollee_min_length

    def minimum_for(self, user) -> int:
        return (
            self.staff_min_length
            if getattr(user, "role", None) in (Role.STAFF, Role.ADMIN)
            else self.enrollee_min_length
        )

    def validate(self, password, user=None):
        minimum = self.minimum_for(user)
        if len(password) < minimum:
            raise ValidationError(
                ngettext(
                    "This password is too short: use at least %(min_length)d character.",
                    "This password is too short: use at least %(min_length)d characters.",
                    minimum,
                ),
                code="password_too_short",
                params={"min_length": minimum},
            )

    def get_help_text(self):
        return _("At least %(enrollee)d characters (office staff and admins: %(staff)d).") % {
            "enrollee": self.enrollee_min_length,
            "staff": self.staff_min_length,
        }
