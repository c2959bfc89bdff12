from celery import shared_task

from common.storage import retention_cutoff
from registrations import services


@shared_task(name="registrations.tasks.expire_registrations")
def expire_registrations() -> int:
    """Daily: approved registrations whose validity has ended become expired (idempotent)."""
    return services.registrations_expire()


@shared_task(name="registrations.tasks.purge_closed_documents")
def purge_closed_documents() -> int:
    """Daily: documents of registrations closed longer than DOCUMENT_RETENTION_DAYS are removed."""
    return services.documents_purge_closed(closed_before=retention_cutoff())
