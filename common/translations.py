"""Text in the reader's language: rows that carry both (`name_zh` / `name_en`), and the text
that Django and the libraries we use leave in English in Chinese."""

from django.utils.translation import get_language
from django.utils.translation import gettext_noop as _


def is_english() -> bool:
    return (get_language() or "").startswith("en")


def localized(obj, field: str = "name") -> str:
    """`<field>_en` in the English UI when filled in, else `<field>_zh`; for rows, rule objects
    and dicts alike (the policy data, standard reasons, offices)."""

    def read(suffix) -> str:
        key = f"{field}_{suffix}"
        return (obj.get(key) if isinstance(obj, dict) else getattr(obj, key, "")) or ""

    return (is_english() and read("en")) or read("zh")


# Marked here so that `make messages` keeps these in our catalogue, which Django reads first
# (LOCALE_PATHS): their own catalogues lack a Chinese text for them.

ADMIN_TEXT = (
    # django-axes: the log-in lockout
    _("Axes"),
    _("Access attempts"),
    _("Access failures"),
    _("Access logs"),
    # django-otp: the staff's second factor
    _("TOTP devices"),
    # Django's admin index, read out by screen readers
    _("Model name"),
    _("Add link"),
    _("Change or view list link"),
)
