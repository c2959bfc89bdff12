from django.utils import timezone

from common.models import Heartbeat


def heartbeat_record(*, name: str) -> Heartbeat:
    beat, _ = Heartbeat.objects.update_or_create(name=name, defaults={"last_run": timezone.now()})
    return beat


def access_log_record(*, actor, action: str, obj, detail: str = "") -> None:
    """Record that staff looked at personal data (a document, an identity number)."""
    from common.models import AccessLog

    AccessLog.objects.create(
        actor=actor,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(getattr(obj, "uuid", obj.pk)),
        detail=detail[:200],
    )


def access_log_export(*, actor, what: str, rows: int, query) -> None:
    """Record an export that carried full identity numbers: what, how many rows, which filters."""
    from common.models import AccessLog

    filters = "&".join(f"{key}={value}" for key, value in sorted(query.items()) if key not in ("format", "full"))
    AccessLog.objects.create(
        actor=actor,
        action="export_full_ids",
        object_type="export",
        object_id=what[:64],
        detail=f"{rows} rows; {filters}"[:200],
    )
