from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.constants import CASE_ACTIONS, CASE_STATUSES, case_choices

ClaimStatus = case_choices(
    "ClaimStatus",
    "DRAFT SUBMITTED RETURNED AWAITING_CONFIRMATION APPROVED REJECTED PAID",
    CASE_STATUSES,
    AWAITING_CONFIRMATION=("awaiting_confirmation", _("Approved, awaiting a second reviewer")),
    PAID=("paid", _("Paid")),
)


EDITABLE_STATUSES = (ClaimStatus.DRAFT, ClaimStatus.RETURNED)
# Finished for good: their documents are removed after the retention period (the history stays).
CLOSED_STATUSES = (ClaimStatus.PAID, ClaimStatus.REJECTED)


class SpecialCase(models.TextChoices):
    """A late claim (after 31 Dec, until 31 Mar) needs a stated reason that staff accept."""

    NONE = "", _("No special case")
    PENDING = "pending", _("Reason given, awaiting the office")
    ACCEPTED = "accepted", _("Accepted by the office")
    REFUSED = "refused", _("Refused by the office")


ClaimEventAction = case_choices(
    "ClaimEventAction",
    "CREATED UPDATED EXPENSE_ADDED EXPENSE_REMOVED REGISTRATION_LINKED REGISTRATION_UNLINKED DOCUMENT_ADDED "
    "DOCUMENT_REMOVED SUBMITTED SPECIAL_CASE_ACCEPTED SPECIAL_CASE_REFUSED EXPENSE_ADJUSTED APPROVED_FIRST APPROVED "
    "RETURNED REJECTED PAID DOCUMENTS_PURGED",
    CASE_ACTIONS,
    EXPENSE_ADDED=("expense_added", _("Invoice added")),
    EXPENSE_REMOVED=("expense_removed", _("Invoice removed")),
    REGISTRATION_LINKED=("registration_linked", _("Registration in force on the invoice date linked")),
    REGISTRATION_UNLINKED=("registration_unlinked", _("No registration in force on the earliest invoice date")),
    SPECIAL_CASE_ACCEPTED=("special_case_accepted", _("Late-claim reason accepted")),
    SPECIAL_CASE_REFUSED=("special_case_refused", _("Late-claim reason refused")),
    EXPENSE_ADJUSTED=("expense_adjusted", _("Invoice amount adjusted")),
    APPROVED_FIRST=("approved_first", _("Approved, awaiting a second reviewer")),
    PAID=("paid", _("Paid")),
)
