"""Text that Django and the libraries we use show in the admin but leave in English in
Chinese (their catalogues lack it). Marked here so that `make messages` keeps it in ours,
which Django reads first (LOCALE_PATHS)."""

from django.utils.translation import gettext_noop as _

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
