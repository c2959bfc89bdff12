from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistrationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting review")
    RETURNED = "returned", _("Returned for correction")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")
    SUPERSEDED = "superseded", _("Superseded by a change")


# A registration in these states blocks another of the same category for the same person.
OPEN_STATUSES = (RegistrationStatus.SUBMITTED, RegistrationStatus.RETURNED, RegistrationStatus.APPROVED)
# Finished for good: their documents are removed after the retention period (the history stays).
CLOSED_STATUSES = (
    RegistrationStatus.REJECTED,
    RegistrationStatus.CANCELLED,
    RegistrationStatus.EXPIRED,
    RegistrationStatus.SUPERSEDED,
)
EDITABLE_STATUSES = (RegistrationStatus.DRAFT, RegistrationStatus.RETURNED)
CANCELLABLE_STATUSES = (
    RegistrationStatus.DRAFT,
    RegistrationStatus.SUBMITTED,
    RegistrationStatus.RETURNED,
    RegistrationStatus.APPROVED,
)


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Needs replacing")


class EventAction(models.TextChoices):
    CREATED = "created", _("Draft created")
    UPDATED = "updated", _("Details changed")
    DOCUMENT_ADDED = "document_added", _("Document uploaded")
    DOCUMENT_REMOVED = "document_removed", _("Document removed")
    COMMITMENT_ACCEPTED = "commitment_accepted", _("Commitment letter accepted")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for correction")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")
    SUPERSEDED = "superseded", _("Superseded by a change")
    CHANGE_FILED = "change_filed", _("Change filed")
    DOCUMENTS_PURGED = "documents_purged", _("Documents removed after the retention period")


# Where a registration form (online or at the window) shows a service's error about a field it
# does not have: the care scope follows from the province, the agent is given by name and number.
SERVICE_ERRORS_ON_FORMS = {"care_scope": "care_province", "agent": "agent_national_id"}
