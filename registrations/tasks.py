from celery import shared_task

from registrations import services


@shared_task(name="registrations.tasks.expire_registrations")
def expire_registrations() -> int:
    """Daily: approved registrations whose validity has ended become expired (idempotent)."""
    return services.registrations_expire()
