"""Reads of claims (claims.selectors), called directly: each invoice's window, which are late,
the reduction and where it comes from, the rescue guide's advice, who sees which claim."""

import datetime

import pytest
import time_machine
from django.http import Http404
from django.utils import translation

from claims import selectors, services
from claims.constants import ClaimStatus
from policy.rules import PolicyError
from tests.claims.test_submit import make_claim
from tests.registrations.factories import OTHER_TEMPORARY, make_approved

pytestmark = pytest.mark.django_db


def add_invoice(claim, actor, number, date, level=3):
    with time_machine.travel("2026-06-01 09:00:00+08:00", tick=False):
        return services.expense_add(
            actor=actor,
            claim=claim,
            invoice_no=number,
            date=date,
            institution="医院",
            institution_level=level,
            province="上海市",
            total_amount="100.00",
            policy_amount="100.00",
        )


# --- Windows and lateness ----------------------------------------------------------------------


def test_each_invoice_has_the_window_of_its_own_year():
    window = selectors.expense_window(jurisdiction="nantong", expense_date=datetime.date(2025, 11, 3))
    assert (window.deadline, window.extended) == (datetime.date(2025, 12, 31), datetime.date(2026, 3, 31))


def test_sheyangs_rules_state_no_window():
    window = selectors.expense_window(jurisdiction="sheyang", expense_date=datetime.date(2026, 5, 10))
    assert (window.deadline, window.extended) == (None, None)


def test_a_date_before_any_rules_has_no_window():
    with pytest.raises(PolicyError):
        selectors.expense_window(jurisdiction="nantong", expense_date=datetime.date(2001, 1, 1))


def test_the_windows_of_a_claim_are_read_once_per_claim(enrollee, django_assert_num_queries):
    claim = selectors.claim_get(enrollee, make_claim(enrollee).uuid)
    first = selectors.expense_windows(claim)
    with django_assert_num_queries(0):
        assert selectors.expense_windows(claim) is first
    assert set(first) == {e.id for e in claim.expenses.all()}


def test_late_means_past_the_deadline_and_closed_means_past_the_extension(enrollee):
    claim = make_claim(enrollee)  # an invoice of 10 May 2026
    expense = claim.expenses.get()
    on = datetime.date
    assert selectors.late_expenses(claim, on=on(2026, 12, 31), special_case_accepted=False) == []
    [(late, window)] = selectors.late_expenses(claim, on=on(2027, 1, 1), special_case_accepted=False)
    assert (late, window.deadline) == (expense, on(2026, 12, 31))
    assert selectors.late_expenses(claim, on=on(2027, 3, 31), special_case_accepted=True) == []
    assert len(selectors.late_expenses(claim, on=on(2027, 4, 1), special_case_accepted=True)) == 1


def test_a_claim_mixing_two_years_is_judged_by_the_earlier(enrollee):
    claim = make_claim(enrollee)
    add_invoice(claim, enrollee, "OLD-1", datetime.date(2025, 12, 20))
    late = selectors.late_expenses(claim, on=datetime.date(2026, 1, 2), special_case_accepted=False)
    assert [expense.invoice_no for expense, _window in late] == ["OLD-1"]


# --- The reduction -----------------------------------------------------------------------------


def test_the_reduction_comes_from_the_linked_registration(enrollee, window_staff):
    with time_machine.travel("2026-05-01 09:00:00+08:00", tick=False):
        registration = make_approved(enrollee, window_staff, fields=OTHER_TEMPORARY)
    claim = make_claim(enrollee)
    claim.refresh_from_db()
    assert claim.registration == registration
    with translation.override("en"):
        assert selectors.reduction_for(claim) == (20, "the linked registration")


def test_emergency_care_takes_the_reduction_of_the_type_that_needs_no_filing(enrollee):
    claim = make_claim(enrollee, emergency=True)
    with translation.override("en"):
        assert selectors.reduction_for(claim) == (10, "emergency care counts as registered")


def test_no_registration_no_reduction_and_no_estimate(enrollee):
    claim = make_claim(enrollee)
    with translation.override("en"):
        assert selectors.reduction_for(claim) == (None, "no registration is linked")
        estimate = selectors.estimate(claim)
    assert (estimate.available, estimate.total) == (False, None)
    assert estimate.reason == "No estimate: no registration is linked."


# --- The rescue guide --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("emergency", "referred", "expected"),
    [(True, False, (None, 10)), (False, True, ("referral", 10)), (False, False, ("other_temporary", 20))],
)
def test_the_guide_advises_by_what_happened(emergency, referred, expected):
    with time_machine.travel("2026-06-01 09:00:00+08:00", tick=False):
        advice = selectors.rescue_advice(
            jurisdiction="nantong", treated_on=datetime.date(2026, 5, 10), emergency=emergency, referred=referred
        )
    assert (advice.registration_type, advice.reduction_points) == expected
    assert advice.claim_deadline == datetime.date(2026, 12, 31)
    assert advice.window_closed is False


def test_the_guide_says_a_referral_would_have_cost_less():
    advice = selectors.rescue_advice(
        jurisdiction="nantong", treated_on=datetime.date(2026, 5, 10), emergency=False, referred=False
    )
    assert advice.cheaper_with_referral is True
    assert advice.referral_points == 10


def test_the_guide_knows_when_the_window_closed():
    with time_machine.travel("2027-04-01 09:00:00+08:00", tick=False):
        advice = selectors.rescue_advice(
            jurisdiction="nantong", treated_on=datetime.date(2026, 5, 10), emergency=False, referred=False
        )
    assert advice.window_closed is True


def test_rules_without_a_type_for_the_case_say_to_call_the_office():
    # 射阳 2019 knows no other temporary care and files no emergency: nothing fits an unreferred stay.
    with pytest.raises(PolicyError) as error:
        selectors.rescue_advice(
            jurisdiction="sheyang", treated_on=datetime.date(2026, 5, 10), emergency=False, referred=False
        )
    assert error.value.field == "registration_type"


# --- Who sees which claim ----------------------------------------------------------------------


def second_claim(enrollee):
    claim = services.claim_create(actor=enrollee, enrollee=enrollee, claim_kind="inpatient", emergency=True)
    add_invoice(claim, enrollee, "INV-2", datetime.date(2026, 5, 12))
    return claim


def test_staff_see_their_offices_submitted_claims_only(enrollee, window_staff, other_office_staff, admin_user):
    submitted = make_claim(enrollee, emergency=True)
    draft = second_claim(enrollee)
    with time_machine.travel("2026-06-02 09:00:00+08:00", tick=False):
        services.claim_submit(actor=enrollee, claim=submitted)
    assert set(selectors.claims_visible_to(window_staff)) == {submitted}
    assert set(selectors.claims_visible_to(other_office_staff)) == set()
    assert set(selectors.claims_visible_to(admin_user)) == {submitted}
    assert set(selectors.claims_visible_to(enrollee)) == {draft, submitted}
    assert selectors.review_counts(window_staff) == {ClaimStatus.SUBMITTED: 1}


def test_an_invoice_of_another_claim_is_a_404(enrollee):
    first, second = make_claim(enrollee), second_claim(enrollee)
    with pytest.raises(Http404):
        selectors.expense_get(enrollee, second.uuid, first.expenses.get().id)


def test_the_sweep_finds_unsubmitted_claims_with_costs_in_a_period(enrollee):
    claim = make_claim(enrollee)  # 10 May 2026
    found = selectors.claims_unsubmitted_with_costs_between(
        jurisdiction_id=claim.jurisdiction_id, first=datetime.date(2026, 5, 1), last=datetime.date(2026, 5, 31)
    )
    assert list(found) == [claim]
    assert not selectors.claims_unsubmitted_with_costs_between(
        jurisdiction_id=claim.jurisdiction_id, first=datetime.date(2026, 6, 1), last=datetime.date(2026, 12, 31)
    ).exists()
    with time_machine.travel("2026-06-02 09:00:00+08:00", tick=False):
        services.claim_submit(actor=enrollee, claim=claim)
    assert not found.all().exists()  # read again: a submitted claim is no longer the sweep's
    assert list(selectors.claims_unsubmitted_of(enrollee)) == []
