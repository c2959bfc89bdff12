from django.db import models
from django.utils.translation import gettext_lazy as _


class Decision(models.TextChoices):
    """What staff decide on a submitted case, registration or claim (API.md: `decision`)."""

    APPROVE = "approve", _("Approve")
    RETURN = "return", _("Return for correction")
    REJECT = "reject", _("Reject")


def queue_statuses(statuses) -> list[tuple[str, str]]:
    """The (value, label) choices a staff queue offers: every status of `statuses` but the draft,
    which is the filer's own business until it is submitted."""
    return [(value, label) for value, label in statuses.choices if value != statuses.DRAFT]


# What every kind of case goes through and records in the same words: the statuses of a case's
# life and the actions of its history. Each app adds its own (cases_choices below).
CASE_STATUSES = {
    "DRAFT": ("draft", _("Draft")),
    "SUBMITTED": ("submitted", _("Submitted, awaiting review")),
    "RETURNED": ("returned", _("Returned for correction")),
    "APPROVED": ("approved", _("Approved")),
    "REJECTED": ("rejected", _("Rejected")),
}
CASE_ACTIONS = {
    "CREATED": ("created", _("Draft created")),
    "UPDATED": ("updated", _("Details changed")),
    "DOCUMENT_ADDED": ("document_added", _("Document uploaded")),
    "DOCUMENT_REMOVED": ("document_removed", _("Document removed")),
    "SUBMITTED": ("submitted", _("Submitted")),
    "APPROVED": ("approved", _("Approved")),
    "RETURNED": ("returned", _("Returned for correction")),
    "REJECTED": ("rejected", _("Rejected")),
    "DOCUMENTS_PURGED": ("documents_purged", _("Documents removed after the retention period")),
}


def case_choices(name: str, order: str, shared: dict, **own) -> type[models.TextChoices]:
    """A TextChoices of one kind of case: the members named in `order` (its stored codes' order,
    which the migrations' choices follow), each from `own` or else from `shared`."""
    return models.TextChoices(name, [(member, own.get(member) or shared[member]) for member in order.split()])
