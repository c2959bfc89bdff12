"""The claim pages' own rules (claims.views): what the list says is next, the deadline of a date as
it is typed, who may start a claim or the guide, and edits racing the office."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from claims import services
from claims.constants import ClaimStatus, SpecialCase
from claims.models import Claim
from tests.claims.test_submit import make_claim
from tests.registrations.factories import OTHER_TEMPORARY, make_approved, make_registration

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def list_page(client, person) -> str:
    client.force_login(person)
    return client.get(reverse("claims:list"), **EN).content.decode()


def submitted(enrollee, claim=None):
    claim = claim or make_claim(enrollee)
    with time_machine.travel("2026-06-02 09:00:00+08:00", tick=False):
        return services.claim_submit(actor=enrollee, claim=claim)


# --- What is next, on the list -----------------------------------------------------------------


def test_a_draft_without_invoices_asks_for_them(client, enrollee):
    services.claim_create(actor=enrollee, enrollee=enrollee, claim_kind="outpatient")
    assert "Add the invoices" in list_page(client, enrollee)


def test_a_draft_with_an_invoice_asks_for_the_documents(client, enrollee):
    make_claim(enrollee, documents=())
    assert "Add the documents, then submit" in list_page(client, enrollee)


def test_a_submitted_claim_says_since_when_it_waits(client, enrollee):
    submitted(enrollee)
    assert "Awaiting review since 2026-06-02" in list_page(client, enrollee)


def test_a_late_claim_says_the_office_weighs_the_reason(client, enrollee):
    claim = make_claim(enrollee)
    with time_machine.travel("2027-01-10 09:00:00+08:00", tick=False):
        claim = services.claim_submit(actor=enrollee, claim=claim, special_case_reason="住院")
    assert claim.special_case == SpecialCase.PENDING
    assert "Awaiting the office: your late-claim reason and the review" in list_page(client, enrollee)


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        (("return",), "Returned: fix what the office lists, then submit again"),
        (("approve",), "Approved: 123.45 yuan to be paid"),
        (("approve", "pay"), "Paid: 123.45 yuan"),
        (("reject",), "Rejected: see why"),
    ],
)
def test_each_decision_says_what_comes_next(client, enrollee, window_staff, steps, expected):
    claim = submitted(enrollee)
    for step in steps:
        if step == "pay":
            claim = services.claim_record_payment(actor=window_staff, claim=claim)
        else:
            claim = services.claim_decide(
                actor=window_staff,
                claim=claim,
                decision=step,
                reasons=["明细清单缺页"],
                approved_amount="123.45" if step == "approve" else None,
            )
    assert expected in list_page(client, enrollee)


def test_the_list_holds_only_the_persons_claims(client, enrollee, other_enrollee):
    mine = make_claim(enrollee)
    assert mine.number in list_page(client, enrollee)
    assert mine.number not in list_page(client, other_enrollee)


# --- The deadline of a date, as it is typed ----------------------------------------------------


def deadline(client, person, day, today="2026-06-01 10:00:00+08:00"):
    with time_machine.travel(today, tick=False):
        client.force_login(person)  # a session this old would have ended: log in on the day
        return client.get(reverse("claims:deadline"), {"date": day}, **EN)


def test_a_date_in_the_window_says_both_deadlines(client, enrollee):
    answer = deadline(client, enrollee, "2026-05-10").json()
    assert answer == {
        "text": "Claim by 2026-12-31 (special cases, with a reason the office accepts: until 2027-03-31).",
        "closed": False,
    }


def test_a_date_past_31_december_is_late_until_31_march(client, enrollee):
    answer = deadline(client, enrollee, "2026-05-10", today="2027-01-05 10:00:00+08:00").json()
    assert answer == {"text": "Late: only as a special case with a reason, until 2027-03-31.", "closed": False}


def test_a_date_whose_window_closed_says_so(client, enrollee):
    answer = deadline(client, enrollee, "2026-05-10", today="2027-04-01 10:00:00+08:00").json()
    assert answer["closed"] is True
    assert answer["text"] == "The window for this date closed on 2027-03-31: it can no longer be claimed."


def test_a_future_date_is_refused_as_typed(client, enrollee):
    assert deadline(client, enrollee, "2026-06-02").json() == {"text": "The date is in the future.", "closed": True}


@pytest.mark.parametrize("day", ["", "2026-13-01", "tomorrow"])
def test_a_malformed_date_is_a_400_with_no_text(client, enrollee, day):
    response = deadline(client, enrollee, day)
    assert response.status_code == 400
    assert response.json() == {"text": ""}


def test_a_date_before_any_rules_says_whom_to_ask(client, enrollee):
    answer = deadline(client, enrollee, "2001-01-01").json()
    assert answer["closed"] is True
    assert "2001-01-01" in answer["text"]


def test_someone_without_an_insured_region_gets_no_deadline(client, enrollee):
    enrollee.jurisdiction = None
    enrollee.save(update_fields=["jurisdiction"])
    assert deadline(client, enrollee, "2026-05-10").status_code == 400


def test_the_deadline_needs_a_log_in(client):
    response = client.get(reverse("claims:deadline"), {"date": "2026-05-10"})
    assert response.status_code == 302


# --- Who may start what ------------------------------------------------------------------------


def test_staff_are_sent_back_from_a_new_claim(client, window_staff):
    client.force_login(window_staff)
    response = client.get(reverse("claims:new"), **EN)
    assert response.status_code == 302
    assert response.url == reverse("claims:list")
    assert not Claim.objects.exists()


def test_staff_are_sent_back_from_the_guide(client, window_staff):
    client.force_login(window_staff)
    response = client.post(reverse("claims:rescue"), {"treated_on": "2026-05-10"}, **EN)
    assert response.status_code == 302
    assert not Claim.objects.exists()


def test_the_registrations_offered_are_the_persons_own_with_their_period(
    client, enrollee, other_enrollee, window_staff
):
    with time_machine.travel("2026-05-10 09:00:00+08:00", tick=False):
        mine = make_approved(enrollee, window_staff, fields=OTHER_TEMPORARY)
        draft = make_registration(enrollee)
        theirs = make_registration(other_enrollee)
    client.force_login(enrollee)
    page = client.get(reverse("claims:new"), **EN).content.decode()
    assert f"{mine.number} (2026-05-10 – 2027-05-09)" in page
    assert f"{draft.number} (Draft)" in page
    assert theirs.number not in page


def test_a_claim_may_rest_on_one_of_the_persons_registrations(client, enrollee, window_staff):
    registration = make_approved(enrollee, window_staff, fields=OTHER_TEMPORARY)
    client.force_login(enrollee)
    response = client.post(reverse("claims:new"), {"claim_kind": "inpatient", "coverage": str(registration.uuid)})
    assert response.status_code == 302
    claim = Claim.objects.get()
    assert (claim.registration, claim.registration_found, claim.claim_kind) == (registration, False, "inpatient")


def test_a_claim_cannot_rest_on_another_persons_registration(client, enrollee, other_enrollee):
    theirs = make_registration(other_enrollee)
    client.force_login(enrollee)
    response = client.post(reverse("claims:new"), {"claim_kind": "inpatient", "coverage": str(theirs.uuid)})
    assert response.status_code == 400
    assert not Claim.objects.exists()


# --- Edits racing the office -------------------------------------------------------------------


def test_an_invoice_is_taken_back_from_a_draft(client, enrollee):
    claim = make_claim(enrollee)
    expense = claim.expenses.get()
    client.force_login(enrollee)
    response = client.post(reverse("claims:expense_remove", args=[claim.uuid, expense.id]), **EN)
    assert response.status_code == 302
    assert response.url.endswith("#expenses")
    assert not claim.expenses.exists()
    assert claim.events.filter(action="expense_removed").exists()


def test_an_invoice_of_a_submitted_claim_stays_and_the_page_says_why(client, enrollee):
    claim = submitted(enrollee)
    expense = claim.expenses.get()
    client.force_login(enrollee)
    response = client.post(reverse("claims:expense_remove", args=[claim.uuid, expense.id]), follow=True, **EN)
    assert "can no longer be edited" in response.content.decode()
    assert claim.expenses.filter(pk=expense.pk).exists()


def test_another_persons_invoice_is_a_404(client, enrollee, other_enrollee):
    claim = make_claim(enrollee)
    client.force_login(other_enrollee)
    response = client.post(reverse("claims:expense_remove", args=[claim.uuid, claim.expenses.get().id]))
    assert response.status_code == 404
    assert claim.expenses.exists()


def test_submitting_twice_shows_the_claim_as_it_is_now(client, enrollee):
    claim = submitted(enrollee)
    client.force_login(enrollee)
    response = client.post(reverse("claims:submit", args=[claim.uuid]), follow=True, **EN)
    assert response.redirect_chain[-1][0] == reverse("claims:detail", args=[claim.uuid])
    assert "can no longer be edited" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.events.filter(action="submitted").count() == 1


def test_an_overlong_late_reason_is_refused_on_the_form(client, enrollee):
    claim = make_claim(enrollee)
    client.force_login(enrollee)
    response = client.post(reverse("claims:submit", args=[claim.uuid]), {"special_case_reason": "x" * 1001}, **EN)
    assert response.status_code == 400
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT


def test_the_guide_files_a_referral_with_its_hospital(client, enrollee):
    client.force_login(enrollee)
    data = {
        "treated_on": "2026-05-10",
        "claim_kind": "inpatient",
        "emergency": "no",
        "referred": "yes",
        "discharged": "yes",
        "care_province": "上海市",
        "care_city": "上海市",
        "referral_hospital": "南通大学附属医院",
        "referral_hospital_level": "3",
        "confirm": "file",
    }
    with time_machine.travel("2026-06-01 10:00:00+08:00", tick=False):
        response = client.post(reverse("claims:rescue"), data, **EN)
    assert response.status_code == 302
    claim = Claim.objects.get()
    registration = claim.registration
    assert registration.referral_hospital == "南通大学附属医院"
    assert registration.referral_hospital_level == 3
    assert registration.start_date == datetime.date(2026, 5, 10)
    assert registration.care_scope == "cross_province"
