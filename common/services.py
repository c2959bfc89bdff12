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


def access_log_export(*, actor, cases, what: str, query) -> None:
    """Record an export that carried full identity numbers: a row per case in the file, so that
    "who has seen this person's number?" has an answer for exports as for single cases."""
    from common.models import AccessLog

    filters = "&".join(f"{key}={value}" for key, value in sorted(query.items()) if key not in ("format", "full"))
    detail = f"{what} export of {len(cases)} rows; {filters}"[:200]
    AccessLog.objects.bulk_create(
        AccessLog(
            actor=actor,
            action="export_full_ids",
            object_type=case._meta.label_lower,
            object_id=str(case.uuid),
            detail=detail,
        )
        for case in cases
    )
