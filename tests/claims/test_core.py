"""Claims core (issue 5, first part): invoices, their windows and the estimate."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from claims import selectors, services
from claims.models import Expense
from common.errors import ServiceError
from policy.models import BenefitRow, RuleSet
from tests.registrations.factories import LONG_TERM, OTHER_TEMPORARY, REFERRAL, make_approved

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_day():
    with time_machine.travel("2026-06-01 09:00:00+08:00", tick=False):
        yield


def invoice(claim, actor, **changes):
    fields = {
        "invoice_no": "320600123",
        "date": datetime.date(2026, 5, 10),
        "institution": "复旦大学附属肿瘤医院",
        "institution_level": 3,
        "province": "上海市",
        "total_amount": "1500.00",
        "policy_amount": "1200.00",
    } | changes
    return services.expense_add(actor=actor, claim=claim, **fields)


@pytest.fixture
def claim(enrollee):
    return services.claim_create(actor=enrollee, enrollee=enrollee, claim_kind="outpatient")


@pytest.mark.parametrize(
    ("on", "special", "open_"),
    [
        ("2026-12-31", False, True),
        ("2027-01-01", False, False),
        ("2027-01-01", True, True),
        ("2027-03-31", True, True),
        ("2027-04-01", True, False),
    ],
)
def test_expense_of_may_is_claimable_until_31_december_or_31_march_with_a_special_case(
    claim, enrollee, on, special, open_
):
    invoice(claim, enrollee)
    late = selectors.late_expenses(claim, on=datetime.date.fromisoformat(on), special_case_accepted=special)
    assert (late == []) is open_


def test_each_invoice_keeps_its_own_years_deadline(claim, enrollee):
    invoice(claim, enrollee, invoice_no="A-2025", date=datetime.date(2025, 12, 20))
    invoice(claim, enrollee, invoice_no="B-2026", date=datetime.date(2026, 1, 5))
    windows = [selectors.expense_window(jurisdiction="nantong", expense_date=e.date) for e in claim.expenses.all()]
    assert [(w.deadline, w.extended) for w in windows] == [
        (datetime.date(2025, 12, 31), datetime.date(2026, 3, 31)),
        (datetime.date(2026, 12, 31), datetime.date(2027, 3, 31)),
    ]
    late = selectors.late_expenses(claim, on=datetime.date(2026, 6, 1), special_case_accepted=True)
    assert [expense.invoice_no for expense, _ in late] == ["A-2025"]


def test_future_dates_and_duplicate_invoices_are_refused(claim, enrollee):
    with pytest.raises(ServiceError) as error:
        invoice(claim, enrollee, date=datetime.date(2026, 6, 2))
    assert "date" in error.value.errors
    invoice(claim, enrollee)
    with pytest.raises(ServiceError) as error:
        invoice(claim, enrollee)
    assert "this claim" in error.value.errors["invoice_no"][0] or "本" in error.value.errors["invoice_no"][0]
    other = services.claim_create(actor=enrollee, enrollee=enrollee, claim_kind="inpatient")
    with pytest.raises(ServiceError) as error:
        invoice(other, enrollee)
    assert claim.number in error.value.errors["invoice_no"][0]
    assert Expense.objects.count() == 1


def test_another_enrollee_may_use_the_same_invoice_number(claim, enrollee, other_enrollee):
    invoice(claim, enrollee)
    theirs = services.claim_create(actor=other_enrollee, enrollee=other_enrollee, claim_kind="outpatient")
    assert invoice(theirs, other_enrollee).invoice_no == "320600123"


@pytest.mark.parametrize(
    ("field", "value"),
    [("total_amount", "12.345"), ("total_amount", "-1"), ("policy_amount", "abc"), ("policy_amount", "2000.00")],
)
def test_money_is_exact_yuan(claim, enrollee, field, value):
    with pytest.raises(ServiceError) as error:
        invoice(claim, enrollee, **{field: value})
    assert field in error.value.errors


def test_amounts_are_stored_as_decimals(claim, enrollee):
    expense = invoice(claim, enrollee, total_amount="0.10", policy_amount="0.10")
    expense.refresh_from_db()
    assert expense.total_amount == Decimal("0.10")
    assert isinstance(expense.total_amount, Decimal)


def test_no_estimate_while_the_benefit_table_is_empty(enrollee, window_staff):
    registration = make_approved(enrollee, window_staff)
    claim = services.claim_create(actor=enrollee, enrollee=enrollee, claim_kind="outpatient", registration=registration)
    invoice(claim, enrollee)
    result = selectors.estimate(claim)
    assert result.available is False
    assert result.total is None


@pytest.mark.parametrize(
    ("fields", "extra", "points", "first", "second"),
    [
        # 0 points: (1200 − 500) × 90% = 630.00; 800 × 90% = 720.00, capped at 1200 − 630 = 570.00
        (LONG_TERM, {"proof_valid_until": datetime.date(2028, 1, 1)}, 0, "630.00", "570.00"),
        # 10 points: 700 × 80% = 560.00; 800 × 80% = 640.00 (exactly reaches the cap)
        (REFERRAL, {}, 10, "560.00", "640.00"),
        # 20 points: 700 × 70% = 490.00; 800 × 70% = 560.00 (under the cap)
        (OTHER_TEMPORARY, {}, 20, "490.00", "560.00"),
    ],
    ids=["long-term", "referral", "other-temporary"],
)
def test_estimate_matches_hand_computed_cases(enrollee, window_staff, fields, extra, points, first, second):
    BenefitRow.objects.create(
        ruleset=RuleSet.objects.get(jurisdiction__code="nantong"),
        scheme="employee",
        institution_level=3,
        deductible=Decimal("500.00"),
        base_ratio=Decimal("90.00"),
        annual_cap=Decimal("1200.00"),
        source_ref="test figures, not official",
    )
    registration = make_approved(enrollee, window_staff, fields=fields, start_date=datetime.date(2026, 5, 1), **extra)
    assert registration.reduction_points == points
    claim = services.claim_create(actor=enrollee, enrollee=enrollee, claim_kind="outpatient", registration=registration)
    a = invoice(claim, enrollee, invoice_no="A", date=datetime.date(2026, 5, 10), policy_amount="1200.00")
    b = invoice(claim, enrollee, invoice_no="B", date=datetime.date(2026, 5, 20), policy_amount="800.00")
    result = selectors.estimate(claim)
    assert result.available
    assert result.per_expense == {a.id: Decimal(first), b.id: Decimal(second)}
    assert result.total == Decimal(first) + Decimal(second)


def test_emergency_counts_as_registered_for_the_estimate(enrollee):
    claim = services.claim_create(actor=enrollee, enrollee=enrollee, claim_kind="inpatient", emergency=True)
    points, _source = selectors.reduction_for(claim)
    assert points == 10
