"""Status messages: the enrollee is told when their registration or claim moves on.

The case apps announce every history row (registrations.events, claims.events); this module
decides which of them a person hears about and in what words, so the wording lives here and the
case apps know nothing of notifications. A message is written in the recipient's language
(services.status_changed) and filed in the same transaction as the change: the outbox.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims.constants import ClaimStatus
from claims.events import claim_changed
from notifications import services
from registrations.constants import EventAction, RegistrationStatus
from registrations.events import registration_changed

# The statuses a person is told about when their case reaches them. A first approval awaiting
# a second reviewer, a draft or a superseded registration are the office's business.
TOLD_REGISTRATION_STATUSES = (
    RegistrationStatus.SUBMITTED,
    RegistrationStatus.APPROVED,
    RegistrationStatus.RETURNED,
    RegistrationStatus.REJECTED,
    RegistrationStatus.CANCELLED,
    RegistrationStatus.EXPIRED,
)
TOLD_CLAIM_STATUSES = (
    ClaimStatus.SUBMITTED,
    ClaimStatus.RETURNED,
    ClaimStatus.APPROVED,
    ClaimStatus.REJECTED,
    ClaimStatus.PAID,
)


def _moved_to(entry, statuses) -> bool:
    """A history row that moved the case into one of `statuses` (not one that only recorded something)."""
    return bool(entry.from_status) and entry.from_status != entry.to_status and entry.to_status in statuses


def _fixes_and_reasons(entry, statuses, fixes):
    """The lines both kinds of case share (`statuses` is their status enum): what to fix, why
    not, what happens next."""
    if entry.to_status == statuses.RETURNED:
        yield _("Everything to fix:")
        yield from (f"- {fix}" for fix in fixes)
    if entry.to_status == statuses.REJECTED:
        yield from (entry.details or {}).get("reasons", []) or [entry.reason]
    if entry.to_status == statuses.SUBMITTED:
        yield _("The office reviews it; you will see the result in the portal.")


def registration_status_told(sender, *, registration, entry, **kwargs) -> None:
    if not _moved_to(entry, TOLD_REGISTRATION_STATUSES):
        return
    details = entry.details or {}

    def lines():
        if entry.action == EventAction.APPROVED and details.get("valid_from"):
            if details.get("valid_until"):
                yield _("In force from %(start)s until %(end)s.") % {
                    "start": details["valid_from"],
                    "end": details["valid_until"],
                }
            else:
                yield _("In force from %(start)s until you change or cancel it.") % {"start": details["valid_from"]}
        yield from _fixes_and_reasons(entry, RegistrationStatus, details.get("fixes", []))

    services.status_changed(
        recipient=registration.enrollee,
        case=gettext_lazy("Registration"),
        number=registration.number,
        status=RegistrationStatus(entry.to_status).label,
        lines=lines,
        link=reverse("registrations:detail", args=[registration.uuid]),
        event_key=f"registration:{entry.pk}",
    )


def claim_status_told(sender, *, claim, entry, **kwargs) -> None:
    if not _moved_to(entry, TOLD_CLAIM_STATUSES):
        return

    def lines():
        paid_out = entry.to_status in (ClaimStatus.APPROVED, ClaimStatus.PAID)
        if paid_out and claim.approved_amount is not None:
            yield _("The fund pays %(amount)s yuan.") % {"amount": claim.approved_amount}
        yield from _fixes_and_reasons(entry, ClaimStatus, claim.return_reasons)

    services.status_changed(
        recipient=claim.enrollee,
        case=gettext_lazy("Claim"),
        number=claim.number,
        status=ClaimStatus(entry.to_status).label,
        lines=lines,
        link=reverse("claims:detail", args=[claim.uuid]),
        event_key=f"claim:{entry.pk}",
    )


def connect() -> None:
    registration_changed.connect(registration_status_told, dispatch_uid="notifications-registration-status")
    claim_changed.connect(claim_status_told, dispatch_uid="notifications-claim-status")
