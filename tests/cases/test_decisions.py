"""One decision path for both kinds of case (cases.decisions): who decides, and one winner.

Tested through the services, not the pages: the pages already answer 404 for another office's
case, so only a test here catches a service that forgot the rule.
"""

import pytest
import time_machine
from django.utils import translation

from accounts.services import user_create
from claims import services as claims
from claims.constants import ClaimStatus
from claims.models import ReviewThreshold
from common.errors import ConflictError, NotAllowedError, ServiceError
from offices.models import Jurisdiction
from registrations import services as registrations
from registrations.constants import RegistrationStatus
from tests.claims.test_submit import make_claim
from tests.conftest import PASSWORD
from tests.registrations.factories import make_registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration(enrollee):
    return make_registration(enrollee, submit=True)


@pytest.fixture
def claim(enrollee):
    claim = make_claim(enrollee)
    with time_machine.travel("2026-06-02 09:00:00+08:00", tick=False):
        return claims.claim_submit(actor=enrollee, claim=claim)


def decide_registration(actor, case, decision="approve", **kwargs):
    return registrations.registration_decide(actor=actor, registration=case, decision=decision, **kwargs)


def decide_claim(actor, case, decision="approve", **kwargs):
    kwargs.setdefault("approved_amount", "100.00" if decision == "approve" else None)
    return claims.claim_decide(actor=actor, claim=case, decision=decision, **kwargs)


KINDS = [("registration", decide_registration), ("claim", decide_claim)]


@pytest.fixture(params=KINDS, ids=[kind for kind, _decide in KINDS])
def case_and_decide(request):
    kind, decide = request.param
    return request.getfixturevalue(kind), decide


def test_another_offices_staff_cannot_decide_through_the_service(case_and_decide, other_office_staff):
    case, decide = case_and_decide
    history = case.events.count()
    with pytest.raises(NotAllowedError) as error:
        decide(other_office_staff, case)
    assert error.value.status_code == 403
    case.refresh_from_db()
    assert case.status == "submitted"
    assert case.decided_by is None
    assert case.events.count() == history  # nothing written


def test_an_enrollee_cannot_decide_even_their_own_case(case_and_decide, enrollee):
    case, decide = case_and_decide
    with pytest.raises(NotAllowedError):
        decide(enrollee, case, "reject", reasons=["x"])
    case.refresh_from_db()
    assert case.status == "submitted"


def test_staff_of_the_office_and_admins_decide(case_and_decide, window_staff, admin_user):
    case, decide = case_and_decide
    decided = decide(window_staff, case, "return", reasons=["请补充材料"])
    assert decided.status == "returned"
    assert decided.decided_by == window_staff


def test_an_admin_decides_for_any_office(case_and_decide, admin_user):
    case, decide = case_and_decide
    assert decide(admin_user, case, "reject", reasons=["不符合条件"]).status == "rejected"


def test_the_second_decision_is_a_conflict_that_names_who_decided_first(case_and_decide, window_staff, office):
    case, decide = case_and_decide
    window_staff.first_name = "王"
    window_staff.save()
    decide(window_staff, case, "reject", reasons=["不符合条件"])
    second = user_create(username="staff-2", password=PASSWORD, role="staff", offices=[office])
    with pytest.raises(ConflictError) as error:
        decide(second, case, "return", reasons=["x"])
    assert error.value.status_code == 409
    assert "王" in error.value.message
    case.refresh_from_db()
    assert case.status == "rejected"


def test_a_draft_has_nothing_to_decide(enrollee, window_staff):
    draft = make_registration(enrollee)
    with translation.override("en"), pytest.raises(ConflictError) as error:
        decide_registration(window_staff, draft)
    assert "nothing to decide" in error.value.message
    assert draft.events.count() == 1


def test_an_unknown_decision_is_refused_for_both_kinds(case_and_decide, window_staff):
    case, decide = case_and_decide
    with pytest.raises(ServiceError) as error:
        decide(window_staff, case, "maybe")
    assert "decision" in error.value.errors
    case.refresh_from_db()
    assert case.status == "submitted"


def test_a_cancelled_registration_is_not_decided(registration, enrollee, window_staff):
    registrations.registration_cancel(actor=enrollee, registration=registration)
    with pytest.raises(ConflictError):
        decide_registration(window_staff, registration)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


# --- The claim's second steps go through the same gate --------------------------------------


def test_another_offices_staff_cannot_confirm_or_record_a_payment(claim, window_staff, other_office_staff, office):
    ReviewThreshold.objects.create(jurisdiction=Jurisdiction.objects.get(code="nantong"), four_eyes_above="50.00")
    claim = decide_claim(window_staff, claim)
    assert claim.status == ClaimStatus.AWAITING_CONFIRMATION
    with pytest.raises(NotAllowedError):
        claims.claim_confirm(actor=other_office_staff, claim=claim)
    second = user_create(username="staff-2", password=PASSWORD, role="staff", offices=[office])
    claim = claims.claim_confirm(actor=second, claim=claim)
    with pytest.raises(NotAllowedError):
        claims.claim_record_payment(actor=other_office_staff, claim=claim)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    assert claims.claim_record_payment(actor=second, claim=claim).status == ClaimStatus.PAID


def test_a_payment_is_recorded_once(claim, window_staff):
    claim = claims.claim_record_payment(actor=window_staff, claim=decide_claim(window_staff, claim))
    with translation.override("en"), pytest.raises(ConflictError) as error:
        claims.claim_record_payment(actor=window_staff, claim=claim)
    assert "already decided" in error.value.message


def test_a_payment_exactly_at_the_four_eyes_threshold_needs_no_second_reviewer(claim, window_staff):
    """The threshold is the most one reviewer approves alone: exactly 100.00 of 100.00 needs nobody else."""
    ReviewThreshold.objects.create(jurisdiction=Jurisdiction.objects.get(code="nantong"), four_eyes_above="100.00")
    assert decide_claim(window_staff, claim, approved_amount="100.00").status == ClaimStatus.APPROVED


def test_a_cent_above_the_four_eyes_threshold_waits_for_a_second_reviewer(claim, window_staff):
    ReviewThreshold.objects.create(jurisdiction=Jurisdiction.objects.get(code="nantong"), four_eyes_above="100.00")
    claim = decide_claim(window_staff, claim, approved_amount="100.01")
    assert claim.status == ClaimStatus.AWAITING_CONFIRMATION
    assert claim.first_approved_by == window_staff
    assert claim.decided_by is None


# --- What the refusals say ---------------------------------------------------------------------


def test_the_refusal_names_the_kind_of_case(registration, claim, other_office_staff):
    with translation.override("en"):
        for decide, case, noun in ((decide_registration, registration, "registration"), (decide_claim, claim, "claim")):
            with pytest.raises(NotAllowedError) as error:
                decide(other_office_staff, case)
            assert error.value.message == f"Only staff of the enrollee's office decide on this {noun}."


def test_the_conflict_says_who_decided_and_when(registration, window_staff, office, time_machine):
    time_machine.move_to("2026-06-03 10:15:00+08:00", tick=False)
    window_staff.first_name, window_staff.last_name = "明", "王"
    window_staff.save()
    decide_registration(window_staff, registration, "reject", reasons=["不符合条件"])
    second = user_create(username="staff-2", password=PASSWORD, role="staff", offices=[office])
    with translation.override("en"), pytest.raises(ConflictError) as error:
        decide_registration(second, registration, "approve")
    assert error.value.message == (
        f"This registration was already decided (Rejected by {window_staff.get_full_name()} at 2026-06-03 10:15)."
    )


def test_a_case_decided_by_the_system_says_so(enrollee, window_staff):
    """Types that need no review are approved by the portal itself: nobody is named."""
    from tests.registrations.factories import OTHER_TEMPORARY

    approved = make_registration(enrollee, fields=OTHER_TEMPORARY, submit=True)
    assert approved.status == RegistrationStatus.APPROVED
    with translation.override("en"), pytest.raises(ConflictError) as error:
        decide_registration(window_staff, approved, "return", reasons=["x"])
    assert "(Approved by — at " in error.value.message
