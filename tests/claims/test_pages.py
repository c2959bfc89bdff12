"""The enrollee's claim pages: create, invoices with their deadline, documents, estimate, submit, status."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from claims import services
from claims.constants import ClaimStatus
from claims.models import Claim, Expense
from registrations.models import Registration
from tests.claims.test_review import benefit_row  # noqa: F401 - fixture
from tests.claims.test_submit import OUTPATIENT_DOCUMENTS, make_claim
from tests.files import upload
from tests.registrations.factories import make_approved

pytestmark = pytest.mark.django_db

INVOICE = {
    "invoice_no": "SH-0001",
    "date": "2026-05-10",
    "institution": "复旦大学附属肿瘤医院",
    "institution_level": "3",
    "province": "上海市",
    "city": "上海市",
    "total_amount": "1200.50",
    "policy_amount": "1000.00",
}


@pytest.fixture(autouse=True)
def _june_2026():
    with time_machine.travel("2026-06-01 10:00:00+08:00", tick=False):
        yield


def _page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


def test_new_claim_then_invoice_shows_its_deadline_and_the_estimate(client, enrollee, benefit_row):  # noqa: F811
    client.force_login(enrollee)
    response = client.post(
        reverse("claims:new"), {"claim_kind": "outpatient", "treatment": "", "coverage": "emergency"}
    )
    claim = Claim.objects.get(enrollee=enrollee)
    assert response.status_code == 302
    assert claim.emergency

    response = client.post(reverse("claims:expense_add", args=[claim.uuid]), INVOICE)
    assert response.status_code == 302
    expense = Expense.objects.get(claim=claim)
    assert expense.total_amount == Decimal("1200.50")

    page = _page(client, reverse("claims:detail", args=[claim.uuid]))
    assert "2026-12-31" in page
    assert "2027-03-31" in page
    # Emergency: 10 points. (1000 − 100) × (90 − 10)% = 720.00, marked as an estimate.
    assert "720.00" in page
    assert "estimate" in page.lower() or "估算" in page


def test_the_deadline_of_a_date_is_answered_as_it_is_typed(client, enrollee):
    client.force_login(enrollee)
    url = reverse("claims:deadline")
    data = client.get(url, {"date": "2026-05-10"}).json()
    assert "2026-12-31" in data["text"]
    assert not data["closed"]
    data = client.get(url, {"date": "2025-09-01"}).json()
    assert data["closed"]
    assert "2026-03-31" in data["text"]
    assert client.get(url, {"date": "not-a-date"}).status_code == 400


@pytest.mark.parametrize(
    ("change", "field_text"),
    [
        ({"date": "2026-07-01"}, "2026-07-01"),
        ({"policy_amount": "1300.00"}, ""),
        ({"total_amount": "12.345"}, ""),
    ],
)
def test_a_refused_invoice_changes_nothing_and_says_why(client, enrollee, change, field_text):
    claim = services.claim_create(actor=enrollee, enrollee=enrollee, claim_kind="outpatient", emergency=True)
    client.force_login(enrollee)
    response = client.post(reverse("claims:expense_add", args=[claim.uuid]), {**INVOICE, **change})
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert field_text in response.content.decode()
    assert not Expense.objects.filter(claim=claim).exists()


def test_an_invoice_already_in_another_claim_is_refused_naming_it(client, enrollee):
    first = make_claim(enrollee, emergency=True)
    second = services.claim_create(actor=enrollee, enrollee=enrollee, claim_kind="outpatient", emergency=True)
    client.force_login(enrollee)
    response = client.post(reverse("claims:expense_add", args=[second.uuid]), {**INVOICE, "invoice_no": "INV-1"})
    assert response.status_code == 400
    assert first.number in response.content.decode()


def test_a_claim_without_a_registration_finds_the_one_in_force_on_the_invoice_date(enrollee, window_staff):
    with time_machine.travel("2026-05-01 10:00:00+08:00", tick=False):
        registration = make_approved(enrollee, window_staff)
    claim = services.claim_create(actor=enrollee, enrollee=enrollee, claim_kind="outpatient")
    services.expense_add(
        actor=enrollee, claim=claim, **{**INVOICE, "institution_level": 3, "date": datetime.date(2026, 5, 10)}
    )
    claim.refresh_from_db()
    assert claim.registration == registration
    assert claim.events.filter(action="registration_linked").exists()


def test_radiotherapy_is_told_what_is_missing_then_submits(client, enrollee):
    claim = make_claim(enrollee, treatment="tumour_radiotherapy", emergency=True)
    client.force_login(enrollee)
    response = client.post(reverse("claims:submit", args=[claim.uuid]))
    assert response.status_code == 400
    page = response.content.decode()
    assert "放射治疗记录单" in page
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT

    for kind in ("tumour_treatment_record", "radiotherapy_summary"):
        response = client.post(
            reverse("claims:document_upload", args=[claim.uuid]), {"kind": kind, "file": upload(f"{kind}.png")}
        )
        assert response.status_code == 302
    response = client.post(reverse("claims:submit", args=[claim.uuid]))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


def test_a_hostile_upload_is_refused_on_the_page(client, enrollee):
    claim = make_claim(enrollee, documents=[], emergency=True)
    client.force_login(enrollee)
    fake = upload("invoice.png", content=b"<html><script>alert(1)</script></html>")
    response = client.post(reverse("claims:document_upload", args=[claim.uuid]), {"kind": "invoice", "file": fake})
    assert response.status_code == 400
    assert not claim.documents.exists()


def test_after_31_december_the_page_says_why_and_whom_to_call(client, enrollee):
    claim = make_claim(enrollee, emergency=True)
    with time_machine.travel("2027-01-02 10:00:00+08:00", tick=False):
        client.force_login(enrollee)
        page = _page(client, reverse("claims:detail", args=[claim.uuid]))
        assert 'name="special_case_reason"' in page
        response = client.post(reverse("claims:submit", args=[claim.uuid]), {"special_case_reason": ""})
        assert response.status_code == 400
        page = response.content.decode()
        assert "2026-12-31" in page
        assert "12393" in page
        response = client.post(reverse("claims:submit", args=[claim.uuid]), {"special_case_reason": "住院期间无法办理"})
        assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.special_case == "pending"


def test_after_31_march_the_claim_cannot_be_submitted_even_with_a_reason(client, enrollee):
    claim = make_claim(enrollee, emergency=True, documents=OUTPATIENT_DOCUMENTS)
    with time_machine.travel("2027-04-01 10:00:00+08:00", tick=False):
        client.force_login(enrollee)
        response = client.post(reverse("claims:submit", args=[claim.uuid]), {"special_case_reason": "住院"})
    assert response.status_code == 400
    assert "2027-03-31" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT


def test_returned_claim_shows_everything_to_fix_and_approved_shows_the_amount(client, enrollee, window_staff):
    claim = make_claim(enrollee, emergency=True)
    claim = services.claim_submit(actor=enrollee, claim=claim)
    services.claim_decide(
        actor=window_staff, claim=claim, decision="return", reasons=["发票缺少收费章", "明细清单缺页"]
    )
    client.force_login(enrollee)
    page = _page(client, reverse("claims:detail", args=[claim.uuid]))
    assert "发票缺少收费章" in page
    assert "明细清单缺页" in page

    claim.refresh_from_db()
    claim = services.claim_submit(actor=enrollee, claim=claim)
    services.claim_decide(actor=window_staff, claim=claim, decision="approve", approved_amount="432.10")
    page = _page(client, reverse("claims:detail", args=[claim.uuid]))
    assert "432.10" in page
    list_page = _page(client, reverse("claims:list"))
    assert claim.number in list_page
    assert "432.10" in list_page


# --- Rescue path ----------------------------------------------------------------------------

RESCUE = {
    "treated_on": "2026-05-20",
    "claim_kind": "inpatient",
    "emergency": "no",
    "referred": "no",
    "discharged": "yes",
    "care_province": "上海市",
    "care_city": "上海市",
    "referral_hospital": "",
    "referral_hospital_level": "",
}


def test_rescue_non_emergency_advises_then_files_both_linked(client, enrollee):
    client.force_login(enrollee)
    page = client.post(reverse("claims:rescue"), RESCUE).content.decode()
    assert "20" in page
    assert "2026-12-31" in page
    assert not Claim.objects.exists()  # advice first, nothing filed yet

    response = client.post(reverse("claims:rescue"), {**RESCUE, "confirm": "file"})
    assert response.status_code == 302
    claim = Claim.objects.get(enrollee=enrollee)
    registration = Registration.objects.get(enrollee=enrollee)
    assert claim.registration == registration
    assert registration.registration_type == "other_temporary"
    assert registration.start_date == datetime.date(2026, 5, 20)
    page = _page(client, response.url)
    assert registration.number in page
    assert claim.number in page


def test_rescue_emergency_files_only_the_claim(client, enrollee):
    client.force_login(enrollee)
    response = client.post(reverse("claims:rescue"), {**RESCUE, "emergency": "yes", "confirm": "file"})
    assert response.status_code == 302
    claim = Claim.objects.get(enrollee=enrollee)
    assert claim.emergency
    assert claim.registration is None
    assert not Registration.objects.exists()


def test_rescue_referred_needs_the_hospital(client, enrollee):
    client.force_login(enrollee)
    response = client.post(reverse("claims:rescue"), {**RESCUE, "referred": "yes", "confirm": "file"})
    assert response.status_code == 400
    assert not Claim.objects.exists()
    assert not Registration.objects.exists()


def test_an_invoice_dated_before_any_rules_is_refused_and_the_page_keeps_working(client, enrollee):
    claim = services.claim_create(actor=enrollee, enrollee=enrollee, claim_kind="outpatient", emergency=True)
    client.force_login(enrollee)
    for day in ("2019-12-31", "0001-01-01"):
        response = client.post(reverse("claims:expense_add", args=[claim.uuid]), {**INVOICE, "date": day})
        assert response.status_code == 400
        assert day in response.content.decode()
    assert not Expense.objects.filter(claim=claim).exists()
    assert client.get(reverse("claims:detail", args=[claim.uuid])).status_code == 200
    assert client.get(reverse("claims:deadline"), {"date": "0001-01-01"}).json()["closed"]
    assert client.get(reverse("claims:deadline"), {"date": "9999-12-31"}).json()["closed"]


def test_an_enrollee_without_an_insured_region_is_told_not_crashed(client, enrollee):
    enrollee.jurisdiction, enrollee.office = None, None
    enrollee.save(update_fields=["jurisdiction", "office"])
    client.force_login(enrollee)
    response = client.post(reverse("claims:new"), {"claim_kind": "outpatient", "treatment": "", "coverage": "find"})
    assert response.status_code == 400
    assert not Claim.objects.exists()


def test_the_found_registration_follows_the_earliest_invoice(enrollee, window_staff):
    with time_machine.travel("2026-05-01 10:00:00+08:00", tick=False):
        registration = make_approved(enrollee, window_staff)
    claim = services.claim_create(actor=enrollee, enrollee=enrollee, claim_kind="outpatient")
    april = {**INVOICE, "institution_level": 3, "invoice_no": "APR", "date": datetime.date(2026, 4, 20)}
    may = {**INVOICE, "institution_level": 3, "invoice_no": "MAY", "date": datetime.date(2026, 5, 10)}
    services.expense_add(actor=enrollee, claim=claim, **may)
    claim.refresh_from_db()
    assert claim.registration == registration
    services.expense_add(actor=enrollee, claim=claim, **april)  # now April is the earliest: none was in force
    claim.refresh_from_db()
    assert claim.registration is None
    services.expense_remove(actor=enrollee, expense=claim.expenses.get(invoice_no="APR"))
    claim.refresh_from_db()
    assert claim.registration == registration


def test_editing_a_submitted_claim_says_why_and_changes_nothing(client, enrollee):
    claim = services.claim_submit(actor=enrollee, claim=make_claim(enrollee, emergency=True))
    client.force_login(enrollee)
    response = client.post(
        reverse("claims:expense_add", args=[claim.uuid]), {**INVOICE, "invoice_no": "LATE-1"}, follow=True
    )
    assert "can no longer be edited" in response.content.decode() or "不能再修改" in response.content.decode()
    assert claim.expenses.count() == 1


def test_rescue_after_the_window_closed_files_nothing_and_says_whom_to_call(client, enrollee):
    client.force_login(enrollee)
    old = {**RESCUE, "treated_on": "2025-09-01"}
    page = client.post(reverse("claims:rescue"), old).content.decode()
    assert "2026-03-31" in page
    assert "12393" in page
    assert 'value="file"' not in page
    client.post(reverse("claims:rescue"), {**old, "confirm": "file"})
    assert not Claim.objects.exists()
    assert not Registration.objects.exists()
