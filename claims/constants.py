from django.db import models
from django.utils.translation import gettext_lazy as _


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting review")
    RETURNED = "returned", _("Returned for correction")
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Approved, awaiting a second reviewer")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    PAID = "paid", _("Paid")


EDITABLE_STATUSES = (ClaimStatus.DRAFT, ClaimStatus.RETURNED)
# Finished for good: their documents are removed after the retention period (the history stays).
CLOSED_STATUSES = (ClaimStatus.PAID, ClaimStatus.REJECTED)


class SpecialCase(models.TextChoices):
    """A late claim (after 31 Dec, until 31 Mar) needs a stated reason that staff accept."""

    NONE = "", _("No special case")
    PENDING = "pending", _("Reason given, awaiting the office")
    ACCEPTED = "accepted", _("Accepted by the office")
    REFUSED = "refused", _("Refused by the office")


class ClaimEventAction(models.TextChoices):
    CREATED = "created", _("Draft created")
    UPDATED = "updated", _("Details changed")
    EXPENSE_ADDED = "expense_added", _("Invoice added")
    EXPENSE_REMOVED = "expense_removed", _("Invoice removed")
    REGISTRATION_LINKED = "registration_linked", _("Registration in force on the invoice date linked")
    REGISTRATION_UNLINKED = "registration_unlinked", _("No registration in force on the earliest invoice date")
    DOCUMENT_ADDED = "document_added", _("Document uploaded")
    DOCUMENT_REMOVED = "document_removed", _("Document removed")
    SUBMITTED = "submitted", _("Submitted")
    SPECIAL_CASE_ACCEPTED = "special_case_accepted", _("Late-claim reason accepted")
    SPECIAL_CASE_REFUSED = "special_case_refused", _("Late-claim reason refused")
    EXPENSE_ADJUSTED = "expense_adjusted", _("Invoice amount adjusted")
    APPROVED_FIRST = "approved_first", _("Approved, awaiting a second reviewer")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for correction")
    REJECTED = "rejected", _("Rejected")
    PAID = "paid", _("Paid")
    DOCUMENTS_PURGED = "documents_purged", _("Documents removed after the retention period")
