from django.conf import settings
from django.db import connection
from django.utils import timezone
from kombu import Connection

from common.models import Heartbeat


def database_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any driver error means "not reachable" here
        return False


def broker_reachable(*, timeout: float = 2.0) -> bool:
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            connect_timeout=timeout,
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
        return True
    except Exception:  # kombu raises transport-specific errors
        return False


def heartbeat_status(*, name: str = "celery") -> dict:
    beat = Heartbeat.objects.filter(name=name).first()
    if beat is None:
        return {"last_run": None, "age_seconds": None, "fresh": False}
    age = (timezone.now() - beat.last_run).total_seconds()
    return {
        "last_run": timezone.localtime(beat.last_run).isoformat(),
        "age_seconds": round(age, 1),
        "fresh": age <= settings.HEARTBEAT_STALE_AFTER_SECONDS,
    }
