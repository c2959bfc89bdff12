from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.constants import CASE_ACTIONS, CASE_STATUSES, case_choices

RegistrationStatus = case_choices(
    "RegistrationStatus",
    "DRAFT SUBMITTED RETURNED APPROVED REJECTED CANCELLED EXPIRED SUPERSEDED",
    CASE_STATUSES,
    CANCELLED=("cancelled", _("Cancelled")),
    EXPIRED=("expired", _("Expired")),
    SUPERSEDED=("superseded", _("Superseded by a change")),
)


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


EventAction = case_choices(
    "EventAction",
    "CREATED UPDATED DOCUMENT_ADDED DOCUMENT_REMOVED COMMITMENT_ACCEPTED SUBMITTED APPROVED RETURNED REJECTED "
    "CANCELLED EXPIRED SUPERSEDED CHANGE_FILED DOCUMENTS_PURGED",
    CASE_ACTIONS,
    COMMITMENT_ACCEPTED=("commitment_accepted", _("Commitment letter accepted")),
    CANCELLED=("cancelled", _("Cancelled")),
    EXPIRED=("expired", _("Expired")),
    SUPERSEDED=("superseded", _("Superseded by a change")),
    CHANGE_FILED=("change_filed", _("Change filed")),
)


# Where a registration form (online or at the window) shows a service's error about a field it
# does not have: the care scope follows from the province, the agent is given by name and number.
SERVICE_ERRORS_ON_FORMS = {"care_scope": "care_province", "agent": "agent_national_id"}


# The facts of a filing a person gives and may change (the API's, the forms' and the services'
# names for them); type, channel and care scope are decided with the rules, not copied.
DETAIL_FIELDS = (
    "care_province",
    "care_city",
    "start_date",
    "proof_valid_until",
    "referral_hospital",
    "referral_hospital_level",
    "special_disease",
    "designated_institution",
    "designated_institution_level",
    "designated_institution_dialysis",
    "contact_phone",
    "contact_address",
)
