"""The claim journey, in English: an enrollee with a referral in force files an outpatient
tumour-radiotherapy claim, sees the invoice's deadline as soon as the date is typed, is told
the radiotherapy record is missing, uploads it and submits; staff approve with an adjusted
amount; the enrollee sees the approved amount — then the same page on a 360 px phone.
"""

import re
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.constants import Role
from accounts.services import user_create
from offices.models import Office
from tests.browser.test_registration_journey import log_in, open_page, pdf, settle  # noqa: F401 - fixture
from tests.conftest import ENROLLEE_ID, PASSWORD, make_enrollee
from tests.registrations.factories import make_approved

pytestmark = pytest.mark.browser

DOCUMENTS = ["social_security_card", "outpatient_record", "invoice", "itemised_list", "tumour_treatment_record"]


@pytest.fixture
def people(open_page):  # noqa: F811 - after the live server's database is set up
    enrollee = make_enrollee(ENROLLEE_ID, name="李华", phone="13800000001")
    staff = user_create(
        username="claims-reviewer",
        password=PASSWORD,
        role=Role.STAFF,
        name="窗口 张",
        offices=[Office.objects.get(code="nantong-urban")],
    )
    return enrollee, staff, make_approved(enrollee, staff)


def upload(page, kind: str) -> None:
    box = page.locator(f"#kind-{kind}")
    box.locator("input[name=file]").set_input_files(pdf(f"{kind}.pdf"))
    box.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator(f"#kind-{kind} .documents a")).to_have_count(1)


def test_radiotherapy_claim_missing_record_then_adjusted_approval(open_page, people, screenshot):  # noqa: F811
    enrollee, staff, registration = people
    # Real time (the live server runs in other threads): care today, claimable until 31 December.
    today = timezone.localdate()
    deadline = f"{today.year}-12-31"
    page = open_page()
    log_in(page, enrollee.phone, "/claims/new/")
    page.get_by_label("Outpatient").check()
    page.get_by_label("Treatment").select_option("tumour_radiotherapy")
    page.get_by_label("Find the registration in force on the invoice dates").check()
    page.get_by_role("button", name="Continue: add the invoices").click()
    expect(page.locator("h1")).to_contain_text("Malignant tumour radiotherapy")

    page.get_by_label("Invoice number").fill("SH-2026-0001")
    page.get_by_label("Date on the invoice").fill(today.isoformat())
    # The deadline shows as soon as the date is there, before the invoice is saved.
    expect(page.locator(".deadline-live")).to_contain_text(deadline)
    screenshot(page, "1-invoice-deadline")
    page.get_by_label("Hospital or pharmacy").fill("复旦大学附属肿瘤医院")
    page.get_by_label("Level 3 (三级)").check()
    page.get_by_label("Province").select_option("上海市")
    page.get_by_label("Total paid (yuan)").fill("1200.50")
    page.get_by_label("Within the policy scope (yuan)").fill("1000.00")
    page.get_by_role("button", name="Add the invoice").click()
    expect(page.locator("#invoice-SH-2026-0001")).to_contain_text(deadline)
    expect(page.locator("#coverage")).to_contain_text(registration.number)

    for kind in DOCUMENTS:
        upload(page, kind)
    page.get_by_role("button", name="Submit the claim").click()
    problem = page.locator("#submit .error-summary")
    expect(problem).to_contain_text("Not submitted: still missing")
    expect(problem).to_contain_text("Radiotherapy record sheet or summary")
    screenshot(page, "2-told-missing")

    upload(page, "radiotherapy_record")
    page.get_by_role("button", name="Submit the claim").click()
    expect(page.locator(".status-line .status-badge")).to_have_text("Submitted, awaiting review")
    claim_url = page.url

    desk = open_page()
    log_in(desk, "claims-reviewer", "/review/claims/")
    desk.get_by_role("link", name=re.compile(r"^BX")).click()
    settle(desk)
    invoice = desk.locator("#invoice-SH-2026-0001")
    invoice.get_by_label("Approved policy amount of invoice SH-2026-0001 (yuan)").fill("800.00")
    invoice.get_by_label("Why invoice SH-2026-0001 was adjusted").fill("Self-paid drugs are outside the policy scope.")
    desk.get_by_label("Approve", exact=True).check()
    desk.get_by_label("Fund payment (yuan)").fill("640.00")
    radiotherapy = desk.locator(".doc-frame").filter(has_text="radiotherapy_record.pdf")
    radiotherapy.locator("summary").click()  # the staff member opens the document that was missing
    expect(radiotherapy.locator("iframe")).to_be_visible()
    screenshot(desk, "3-staff-review")
    desk.get_by_role("button", name="Record the decision").click()
    expect(desk.locator(".lead .status-badge")).to_have_text("Approved")

    page.goto(claim_url)
    expect(page.locator(".approved-amount")).to_contain_text("640.00 yuan")
    expect(page.locator("#invoice-SH-2026-0001")).to_contain_text("800.00")
    screenshot(page, "4-enrollee-sees-amount")

    phone = open_page(viewport={"width": 360, "height": 740}, is_mobile=True)
    log_in(phone, enrollee.phone, urlparse(claim_url).path)
    expect(phone.locator(".approved-amount")).to_contain_text("640.00")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(phone, "5-phone")
