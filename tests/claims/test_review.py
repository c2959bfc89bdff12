"""Staff decide claims: adjust an invoice, compute or enter the payment, four eyes, payment."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from accounts.services import user_create
from claims import services
from claims.constants import ClaimStatus, SpecialCase
from claims.models import ReviewThreshold
from common.errors import ConflictError, ServiceError
from offices.models import Jurisdiction
from policy.models import BenefitRow, RuleSet
from tests.claims.test_submit import make_claim
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(enrollee):
    claim = make_claim(enrollee)
    with time_machine.travel("2026-06-02 09:00:00+08:00", tick=False):
        return services.claim_submit(actor=enrollee, claim=claim)


@pytest.fixture
def benefit_row(db):
    return BenefitRow.objects.create(
        ruleset=RuleSet.objects.get(jurisdiction__code="nantong"),
        scheme="employee",
        institution_level=3,
        deductible=Decimal("100.00"),
        base_ratio=Decimal("90.00"),
        annual_cap=None,
        source_ref="test figures, not official",
    )


def test_staff_adjust_an_invoice_and_the_payment_follows_the_benefit_table(enrollee, window_staff, benefit_row):
    claim = make_claim(enrollee, emergency=True)
    with time_machine.travel("2026-06-02 09:00:00+08:00", tick=False):
        claim = services.claim_submit(actor=enrollee, claim=claim)
    expense = claim.expenses.get()
    claim = services.claim_decide(
        actor=window_staff,
        claim=claim,
        decision="approve",
        expense_reviews={expense.id: ("700.00", "自费药品不在政策范围内")},
    )
    # Emergency: 10 points. (700 − 100) × (90 − 10)% = 480.00
    assert claim.status == ClaimStatus.APPROVED
    assert claim.approved_amount == Decimal("480.00")
    expense.refresh_from_db()
    assert expense.approved_policy_amount == Decimal("700.00")
    assert expense.adjust_reason
    assert claim.events.filter(action="expense_adjusted").count() == 1


def test_without_a_benefit_table_staff_enter_the_amount(submitted, window_staff):
    with pytest.raises(ServiceError) as error:
        services.claim_decide(actor=window_staff, claim=submitted, decision="approve")
    assert "approved_amount" in error.value.errors
    claim = services.claim_decide(actor=window_staff, claim=submitted, decision="approve", approved_amount="512.30")
    assert claim.status == ClaimStatus.APPROVED
    assert claim.approved_amount == Decimal("512.30")


def test_an_adjustment_needs_a_reason_and_cannot_exceed_the_claim(submitted, window_staff):
    expense = submitted.expenses.get()
    with pytest.raises(ServiceError):
        services.claim_decide(
            actor=window_staff, claim=submitted, decision="approve", expense_reviews={expense.id: ("700.00", "")}
        )
    with pytest.raises(ServiceError):
        services.claim_decide(
            actor=window_staff, claim=submitted, decision="approve", expense_reviews={expense.id: ("900.00", "x")}
        )


def test_four_eyes_above_the_threshold(submitted, window_staff, office):
    ReviewThreshold.objects.create(jurisdiction=Jurisdiction.objects.get(code="nantong"), four_eyes_above=500)
    claim = services.claim_decide(actor=window_staff, claim=submitted, decision="approve", approved_amount="600.00")
    assert claim.status == ClaimStatus.AWAITING_CONFIRMATION
    with pytest.raises(ServiceError):
        services.claim_confirm(actor=window_staff, claim=claim)
    second = user_create(username="staff-2", password=PASSWORD, role="staff", offices=[office])
    claim = services.claim_confirm(actor=second, claim=claim)
    assert claim.status == ClaimStatus.APPROVED
    assert claim.decided_by == second
    claim = services.claim_record_payment(actor=window_staff, claim=claim)
    assert claim.status == ClaimStatus.PAID
    assert claim.paid_at is not None
    assert [e.action for e in claim.events.all()][-3:] == ["approved_first", "approved", "paid"]


def test_second_decision_is_a_conflict_and_other_offices_cannot_decide(submitted, window_staff, other_office_staff):
    with pytest.raises(ServiceError):
        services.claim_decide(actor=other_office_staff, claim=submitted, decision="reject", reasons=["x"])
    services.claim_decide(actor=window_staff, claim=submitted, decision="return", reasons=["发票缺少收费章"])
    with pytest.raises(ConflictError):
        services.claim_decide(actor=window_staff, claim=submitted, decision="reject", reasons=["x"])


def test_a_late_claims_reason_must_be_decided_before_approval(enrollee, window_staff):
    claim = make_claim(enrollee)
    with time_machine.travel("2027-02-01 09:00:00+08:00", tick=False):
        claim = services.claim_submit(actor=enrollee, claim=claim, special_case_reason="住院期间无法办理")
        with pytest.raises(ServiceError):
            services.claim_decide(actor=window_staff, claim=claim, decision="approve", approved_amount="100.00")
        claim = services.claim_decide(
            actor=window_staff, claim=claim, decision="approve", approved_amount="100.00", special_case_accept=True
        )
    assert claim.special_case == SpecialCase.ACCEPTED
    assert claim.status == ClaimStatus.APPROVED
    assert claim.events.filter(action="special_case_accepted").exists()


def test_refused_reason_means_no_approval(enrollee, window_staff):
    claim = make_claim(enrollee, expense_date=datetime.date(2026, 5, 10))
    with time_machine.travel("2027-02-01 09:00:00+08:00", tick=False):
        claim = services.claim_submit(actor=enrollee, claim=claim, special_case_reason="忘记了")
        with pytest.raises(ServiceError):
            services.claim_decide(
                actor=window_staff, claim=claim, decision="approve", approved_amount="1.00", special_case_accept=False
            )


def test_with_a_benefit_table_the_payment_is_computed_and_four_eyes_cannot_be_dodged(
    enrollee, window_staff, benefit_row
):
    ReviewThreshold.objects.create(jurisdiction=Jurisdiction.objects.get(code="nantong"), four_eyes_above="500.00")
    claim = make_claim(enrollee, emergency=True)
    with time_machine.travel("2026-06-02 09:00:00+08:00", tick=False):
        claim = services.claim_submit(actor=enrollee, claim=claim)
    # (800 − 100) × 80% = 560.00 by the table: a lower figure typed in is refused, not used.
    with pytest.raises(ServiceError) as error:
        services.claim_decide(actor=window_staff, claim=claim, decision="approve", approved_amount="499.99")
    assert "560.00" in error.value.message
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    claim = services.claim_decide(actor=window_staff, claim=claim, decision="approve")
    assert claim.approved_amount == Decimal("560.00")
    assert claim.status == ClaimStatus.AWAITING_CONFIRMATION


def test_without_a_table_the_entered_payment_cannot_exceed_the_policy_amounts(submitted, window_staff):
    with pytest.raises(ServiceError):
        services.claim_decide(actor=window_staff, claim=submitted, decision="approve", approved_amount="800.01")
    claim = services.claim_decide(actor=window_staff, claim=submitted, decision="approve", approved_amount="800.00")
    assert claim.approved_amount == Decimal("800.00")


def test_a_returned_claim_filed_in_time_can_be_corrected_after_the_window(enrollee, window_staff):
    claim = make_claim(enrollee, emergency=True)
    with time_machine.travel("2026-12-20 09:00:00+08:00", tick=False):
        claim = services.claim_submit(actor=enrollee, claim=claim)
    services.claim_decide(actor=window_staff, claim=claim, decision="return", reasons=["明细清单缺页"])
    claim.refresh_from_db()
    with time_machine.travel("2027-04-10 09:00:00+08:00", tick=False):
        claim = services.claim_submit(actor=enrollee, claim=claim)
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.special_case == SpecialCase.NONE
