from celery import shared_task

from claims import services
from common.storage import retention_cutoff


@shared_task(name="claims.tasks.purge_closed_documents")
def purge_closed_documents() -> int:
    """Daily: documents of claims paid or rejected longer than DOCUMENT_RETENTION_DAYS ago are removed."""
    return services.documents_purge_closed(closed_before=retention_cutoff())
