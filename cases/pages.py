"""What every case page shows the same way, for the person and for the office: the history, the
checklist of documents with what is on file, and what is still missing.

The case apps pass their own statuses, actions and URLs in; nothing here names a kind of case.
"""

from collections import defaultdict
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils.translation import gettext as _

from common.services import access_log_record
from common.translations import localized
from policy import rules


def label(choices, value) -> str:
    """The translated label of a stored code, or the code itself when it is no longer a choice."""
    return str(choices(value).label) if value in choices.values else value


def actor_label(actor, viewer) -> str:
    """Who did it, as the reader of the page knows them."""
    if actor is None:
        return _("System")
    name = actor.get_full_name() or actor.username
    if actor.pk == viewer.pk:
        return _("%(name)s (you)") % {"name": name}
    if actor.is_window_staff or actor.is_portal_admin:
        return _("Office staff: %(name)s") % {"name": name}
    return name


def _field_names(model, names) -> str:
    shown = []
    for name in names:
        try:
            shown.append(str(model._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:  # a service argument, not a model field
            shown.append(name)
    return ", ".join(shown)


def history_notes(entry, *, actions, kind_names: dict[str, str], model) -> list[str]:
    """The details of one history row in words: what a row stores is its kind and parameters,
    never a sentence, so it reads in the language of whoever opens the page."""
    details, notes = entry.details or {}, []
    if details.get("kind"):
        notes.append(_("Document: %(name)s") % {"name": kind_names.get(details["kind"], details["kind"])})
    if details.get("invoice"):
        notes.append(_("Invoice %(invoice)s") % {"invoice": details["invoice"]})
    if details.get("approved_policy_amount"):
        notes.append(_("Approved policy amount: %(amount)s yuan") % {"amount": details["approved_policy_amount"]})
    if details.get("approved_amount"):
        notes.append(_("Fund payment: %(amount)s yuan") % {"amount": details["approved_amount"]})
    if details.get("registration"):
        notes.append(_("Registration %(number)s") % {"number": details["registration"]})
    notes += details.get("fixes", [])
    if entry.action == actions.REJECTED:
        notes += details.get("reasons", [])
    if details.get("valid_from"):
        if details.get("valid_until"):
            notes.append(
                _("Valid from %(start)s until %(end)s")
                % {"start": details["valid_from"], "end": details["valid_until"]}
            )
        else:
            notes.append(_("Valid from %(start)s until changed or cancelled") % {"start": details["valid_from"]})
    if details.get("effective_date"):
        notes.append(_("Effective from %(date)s") % {"date": details["effective_date"]})
    if details.get("successor"):
        notes.append(_("Change filed as %(number)s") % {"number": details["successor"]})
    if details.get("fields"):
        notes.append(_("Changed: %(fields)s") % {"fields": _field_names(model, details["fields"])})
    return notes


def history(case, viewer, *, statuses, actions, kind_names: dict[str, str]) -> list[dict]:
    """The case's history rows, oldest first (the selectors prefetch them with their actors)."""
    return [
        {
            "at": entry.at,
            "who": actor_label(entry.actor, viewer),
            "what": label(actions, entry.action),
            "from_status": label(statuses, entry.from_status) if entry.from_status else "",
            "to_status": label(statuses, entry.to_status) if entry.to_status else "",
            "reason": entry.reason,
            "notes": history_notes(entry, actions=actions, kind_names=kind_names, model=type(case)),
        }
        for entry in case.events.all()
    ]


# --- The checklist ---------------------------------------------------------------------------


def document_names(groups) -> dict[str, str]:
    """document-kind code → its name in the page's language, for a checklist's groups."""
    return {d.code: localized(d) for group in groups for option in group.options for d in option.documents}


def describe_missing(group) -> str:
    """A missing group by name, with its options where they say more than the name."""
    options = _("; or ").join(" + ".join(localized(d) for d in option.documents) for option in group.options)
    name = localized(group)
    return name if options == name else _("%(name)s (%(options)s)") % {"name": name, "options": options}


def checklist(groups, documents, *, provided, document_row: Callable, upload_form: Callable | None = None):
    """Each material group of a case, satisfied or missing, with its options, their document kinds,
    what is on file of each kind and (while the case can be edited) an upload form.

    A kind listed in several places gets its documents and form at the first only, so a page
    never shows one document (or one review form) twice. Returns (rows, other documents): the
    others are on file under a kind the rules no longer list.
    """
    gaps = {group.code for group in rules.missing_materials(groups, provided)}
    on_file = defaultdict(list)
    for document in documents:
        on_file[document.kind].append(document_row(document))
    rows, listed = [], set()
    for group in groups:
        options = []
        for option in group.options:
            kinds = []
            for kind in option.documents:
                first = kind.code not in listed
                listed.add(kind.code)
                kinds.append(
                    {
                        "code": kind.code,
                        "name": localized(kind),
                        "provided": kind.code in provided,
                        "is_commitment": kind.accepted_in_portal,
                        "documents": on_file.get(kind.code, []) if first else [],
                        "form": upload_form(kind) if first and upload_form else None,
                    }
                )
            options.append({"name": localized(option), "kinds": kinds})
        rows.append(
            {
                "code": group.code,
                "name": localized(group),
                "satisfied": group.code not in gaps,
                "when_agent": group.when_agent,
                "options": options,
            }
        )
    others = [row for kind, kind_rows in on_file.items() if kind not in listed for row in kind_rows]
    return rows, others


def document_row(case, *, namespace: str, kind_names: dict[str, str], removable: Callable):
    """The person's view of one uploaded document: its name, where to download it, and whether
    they may still take it back (`removable(document)`)."""

    def row(document) -> dict:
        return {
            "document": document,
            "kind_name": kind_names.get(document.kind, document.kind),
            "download_url": reverse(f"{namespace}:document_download", args=[case.uuid, document.uuid]),
            "remove_url": reverse(f"{namespace}:document_remove", args=[case.uuid, document.uuid]),
            "removable": removable(document),
        }

    return row


def case_context(
    case, viewer, *, groups, provided, statuses, actions, document_row, upload_form=None, failed_upload=None
) -> dict:
    """What the case pages of both kinds show alike: the checklist, the history, what to fix or
    why not, the upload limit, and an upload that failed for a kind the checklist does not show."""
    rows, others = checklist(
        groups, case.documents.all(), provided=provided, document_row=document_row, upload_form=upload_form
    )
    placed = any(kind["form"] is failed_upload for row in rows for option in row["options"] for kind in option["kinds"])
    rejection = next((e for e in reversed(case.events.all()) if e.action == actions.REJECTED), None)
    return {
        "checklist": rows,
        "other_documents": others,
        "missing_count": sum(1 for row in rows if not row["satisfied"]),
        "timeline": history(case, viewer, statuses=statuses, actions=actions, kind_names=document_names(groups)),
        "fixes": list(case.return_reasons) if case.status == statuses.RETURNED else [],
        "reject_reasons": (rejection.details.get("reasons") or [rejection.reason])
        if rejection and case.status == statuses.REJECTED
        else [],
        "upload_limit_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
        "unplaced_upload": failed_upload if failed_upload is not None and not placed else None,
    }


def submit_problem(error, missing_groups) -> dict:
    """Why a submission was refused, for the box under the Submit button: the missing documents
    in the reader's language, or the rule's own sentence and what it names."""
    if "documents" in error.errors:
        return {"title": _("Not submitted: still missing"), "items": [describe_missing(g) for g in missing_groups]}
    items = [m for messages in error.errors.values() for m in messages if m != error.message]
    return {"title": error.message, "items": items}


# --- The office's side ------------------------------------------------------------------------


def review_document_row(case, *, url_name: str, forms: dict | None = None):
    """A document as the office sees it: shown inline through `url_name` (a logged view), with its
    verdict form while the case is being decided."""

    def row(document) -> dict:
        return {
            "document": document,
            "form": (forms or {}).get(str(document.uuid)),
            "file_url": reverse(url_name, args=[case.uuid, document.uuid]),
        }

    return row


def review_context(case, viewer, **shared) -> dict:
    """case_context, and the enrollee with their full identity number for the office: each showing
    is written to the access log (who looked at whose number, on which case)."""
    enrollee = case.enrollee
    full_id = enrollee.reveal_national_id()
    if full_id:
        access_log_record(actor=viewer, action="reveal_id", obj=case, detail=case.number)
    return {**case_context(case, viewer, **shared), "enrollee": enrollee, "full_national_id": full_id}
