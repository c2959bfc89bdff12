"""Checks shared by the forms and the API."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# A name goes onto printouts, spreadsheets and letters: a tab, line break or other control
# character has no place there, and Excel files cannot even hold most of them.
no_control_characters = RegexValidator(
    r"[\x00-\x1f\x7f]",
    inverse_match=True,
    message=_("Type the name on one line, without tabs or other control characters."),
    code="control_characters",
)
