"""What both kinds of case write the same way: a history row, announced to whoever listens, and a
checked upload stored as one of the case's documents.

Called by the case apps' services inside their transactions, with the case already locked.
"""

from django.utils.translation import gettext as _

from cases.pages import describe_missing
from common.errors import ServiceError
from common.storage import delete_after_commit


def parties(*, actor, enrollee) -> dict:
    """Whose case it is and where it is handled: the enrollee's insured region and office, whoever
    files it (the enrollee, an agent, a clerk at the window)."""
    return {"enrollee": enrollee, "filed_by": actor, "jurisdiction": enrollee.jurisdiction, "office": enrollee.office}


def history(case, entries, signal, *, actor, action, from_status="", reason="", **details):
    """Write one history row of `case` (`entries`: its history model) and announce it with the
    app's event `signal`, whose listeners (notifications) write in the same transaction."""
    name = type(case)._meta.model_name  # the history row's link to its case, and the signal's word for it
    entry = entries.objects.create(
        **{name: case},
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=case.status,
        reason=reason,
        details=details,
    )
    signal.send(sender=type(case), **{name: case}, entry=entry)
    return entry


def document_store(case, documents, *, actor, kind: str, clean, allowed: set[str], record):
    """Store a checked upload (common.uploads.validate_upload) as a document of `case`, of a kind
    its checklist asks for, and `record(document)` it in the history. The file is written first;
    if the row or its history entry then fails, the file goes too."""
    if kind not in allowed:
        message = _("“%(kind)s” is not a document this %(case)s asks for (it asks for: %(allowed)s).") % {
            "kind": kind,
            "case": case._meta.verbose_name,
            "allowed": ", ".join(sorted(allowed)) or "—",
        }
        raise ServiceError(message, {"kind": [message]})
    document = documents(
        **{type(case)._meta.model_name: case},
        kind=kind,
        original_name=clean.original_name,
        content_type=clean.content_type,
        size=clean.size,
        sha256=clean.sha256,
        uploaded_by=actor,
    )
    document.file.save(f"upload{clean.extension}", clean.as_content_file(), save=False)
    try:
        document.save()
        record(document)
    except BaseException:
        document.file.delete(save=False)  # the rows roll back: the file must not stay behind
        raise
    return document


def require_complete(gaps) -> None:
    """Refuse a submission while material groups are missing, naming each in the reader's words."""
    if gaps:
        names = [describe_missing(group) for group in gaps]
        raise ServiceError(_("Still missing: %(items)s.") % {"items": _("; ").join(names)}, {"documents": names})


def document_discard(case, document, *, record) -> None:
    """Take a document off `case` and `record(kind, uuid)` it in the history; its file is deleted
    once the removal is committed (a rollback keeps both)."""
    kind, uuid = document.kind, str(document.uuid)
    type(document).objects.filter(pk=document.pk, **{type(case)._meta.model_name: case}).delete()
    record(kind, uuid)
    delete_after_commit([document.file])
