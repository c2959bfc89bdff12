"""Which database a read goes to."""

from django.conf import settings


def reports_db() -> str:
    """The alias for staff reports and exports: the read replica when one is configured
    (DATABASE_REPLICA_URL), so long reports do not load the primary that takes the filings."""
    return "replica" if "replica" in settings.DATABASES else "default"
