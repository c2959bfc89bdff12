"""The main journey, in English: a new enrollee in 南通 signs up and files a referral; the office
returns it for one document; the enrollee replaces only that one and it is approved.

Three people in three browser contexts (the enrollee, the office's staff, another enrollee who
must not see the case), then the enrollee's registration once more on a 360 px phone.
"""

import base64
import datetime
import re
import threading
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts import national_id
from accounts.constants import Role
from accounts.services import user_create
from offices.models import Office
from tests.conftest import OTHER_ENROLLEE_ID, PASSWORD, make_enrollee
from tests.files import pdf_bytes

pytestmark = pytest.mark.browser

# Two CPUs shared with other test runs: be patient.
TIMEOUT = 30_000
PLAYWRIGHT_EXPECT_DEFAULT = 5_000

NAME = "王晓明"
NATIONAL_ID = "32060219850315002" + national_id.check_character("32060219850315002")
PHONE = "13912345678"
STAFF_USERNAME = "nantong-reviewer"
DOCUMENT_REASON = "The certificate has no hospital stamp: upload the stamped copy."

SUBMITTED = "Submitted, awaiting review"
RETURNED = "Returned for correction"
APPROVED = "Approved"


def pdf(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes(name)}


def one_year_from(day: datetime.date) -> datetime.date:
    """The day before the same date next year (29 February rolls to 1 March first)."""
    try:
        same_date = day.replace(year=day.year + 1)
    except ValueError:
        same_date = datetime.date(day.year + 1, 3, 1)
    return same_date - datetime.timedelta(days=1)


@pytest.fixture
def open_page(browser, live_server, django_db_serialized_rollback):
    """A page in a new English browser context (Accept-Language: en-US); all closed at the end."""
    contexts = []

    def open_(**options):
        context = browser.new_context(locale="en-US", base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT)
        contexts.append(context)
        return context.new_page()

    expect.set_options(timeout=TIMEOUT)
    yield open_
    expect.set_options(timeout=PLAYWRIGHT_EXPECT_DEFAULT)
    for context in contexts:
        context.close()
    # The in-memory SQLite connection is shared with the live server's request threads: let them
    # see their sockets closed and finish before the server (and that sharing) stops.
    deadline = time.monotonic() + 10
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name:
            thread.join(max(0.0, deadline - time.monotonic()))


def log_in(page, username: str, then: str) -> None:
    page.goto(then)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    if "/accounts/second-factor/" in page.url:
        enter_authenticator_code(page, username)
    expect(page).to_have_url(re.compile(re.escape(then) + "$"))


def enter_authenticator_code(page, username: str) -> None:
    """Staff: the code an authenticator app would show, from the key on the set-up page the first
    time (as a person types it into the app), afterwards from the device the portal keeps."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    shown_key = page.locator(".secret")
    if shown_key.count():
        key = base64.b32decode(shown_key.inner_text().replace(" ", ""))
    else:
        key = TOTPDevice.objects.get(user__username=username, confirmed=True).bin_key
    page.locator("#id_otp").fill(f"{totp(key):06d}")
    page.locator("form.card button[type=submit]").click()


def settle(page) -> None:
    """Wait for the review page's framed documents (PDFs load lazily, e.g. when a full-page
    screenshot brings them into view): with in-memory SQLite the live server's requests share
    one connection, so none should still be running when the next person acts."""
    page.wait_for_load_state("networkidle")


def status_of(page):
    return page.locator(".status-line .status-badge")


def kind(page, code: str):
    return page.locator(f"#kind-{code}")


def review_document(page, kind_name: str):
    """The review form's entry for the documents of one kind (its heading names the kind)."""
    return (
        page.locator(".review-checklist .kind")
        .filter(has=page.get_by_role("heading", level=4, name=kind_name, exact=True))
        .locator("li.doc")
    )


def test_referral_signup_return_fix_and_approval(open_page, live_server, screenshot):
    today = timezone.localdate()
    ends = one_year_from(today)
    user_create(
        username=STAFF_USERNAME,
        password=PASSWORD,
        role=Role.STAFF,
        name="周审核",
        offices=[Office.objects.get(code="nantong-urban")],
    )
    make_enrollee(OTHER_ENROLLEE_ID, name="李四", phone="13800000002")

    # 1. A new enrollee signs up and lands logged in.
    page = open_page()
    page.goto("/accounts/signup/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    page.get_by_label("Full name").fill(NAME)
    page.get_by_label("Identity number (18 characters)").fill(NATIONAL_ID)
    page.get_by_label("Mobile number").fill(PHONE)
    page.get_by_label("Employee medical insurance").check()
    page.get_by_label("Insured region").select_option("nantong")
    page.get_by_label("Insured office (district)").select_option("nantong-urban")
    page.get_by_label("Password").fill(PASSWORD)
    screenshot(page, "1-signup")
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator(".messages")).to_contain_text("Your account is ready.")
    header = page.locator(".site-header")
    expect(header.locator(".who")).to_have_text(NAME)
    expect(header.get_by_role("button", name="Log out")).to_be_visible()
    screenshot(page, "2-signed-up")

    # 2. The kinds of registration side by side with what each costs; the referral is filed.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My registrations").click()
    expect(page).to_have_url(re.compile(r"/registrations/$"))
    page.goto("/registrations/new/")
    referral = page.locator("#type-referral")
    expect(referral.locator(".reduction")).to_have_text("Reimbursement lowered by 10 percentage points")
    expect(referral).to_contain_text("12 months")
    expect(referral).to_contain_text(f"(starting {today.isoformat()}: until {ends.isoformat()})")
    expect(referral).to_contain_text("Office staff review it first")
    expect(referral).to_contain_text("Referral certificate")
    expect(page.locator("#type-other_temporary .reduction")).to_have_text(
        "Reimbursement lowered by 20 percentage points"
    )
    screenshot(page, "3-choose-type")
    referral.get_by_role("link", name="File: Referred by a hospital").click()
    expect(page).to_have_url(re.compile(r"/registrations/new/referral/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Referred by a hospital")
    page.get_by_label("Province where you live or will be treated").select_option("上海市")
    expect(page.locator(".scope-live")).to_contain_text("Care scope")
    page.locator("#id_care_city").fill("徐汇区")
    page.get_by_label("Start date").fill(today.isoformat())
    page.get_by_label("Referring hospital", exact=True).fill("南通大学附属医院")
    page.get_by_label("Level of the referring hospital").select_option("3")
    page.locator("#id_contact_phone").fill(PHONE)
    screenshot(page, "4-details")
    page.get_by_role("button", name="Save the draft").click()
    expect(page).to_have_url(re.compile(r"/registrations/[0-9a-f-]{36}/#checklist$"))
    expect(page.locator(".messages")).to_contain_text("saved. Now add the documents and submit it.")
    expect(status_of(page)).to_have_text("Draft")
    number = page.locator(".reg-number").inner_text().strip()
    assert re.fullmatch(r"BA\d+", number), number
    detail_url = page.url.split("#")[0]
    expect(page.locator("#validity")).to_contain_text(
        f"If approved: from {today.isoformat()} until {ends.isoformat()}."
    )
    expect(page.locator("#group-identity .check-state")).to_have_text("✗ Missing")
    expect(page.locator("#group-referral_certificate .check-state")).to_have_text("✗ Missing")
    screenshot(page, "5-draft")

    # 3. The two documents, then submit.
    identity = kind(page, "id_document")
    identity.get_by_label("Upload: Valid identity document").set_input_files(pdf("identity-card.pdf"))
    identity.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("“identity-card.pdf” uploaded.")
    certificate = kind(page, "referral_certificate")
    certificate.get_by_label("Upload: Referral certificate").set_input_files(pdf("referral.pdf"))
    certificate.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("“referral.pdf” uploaded.")
    expect(page.locator("#group-identity .check-state")).to_have_text("✓ Provided")
    expect(page.locator("#group-referral_certificate .check-state")).to_have_text("✓ Provided")
    expect(page.locator("#submit")).to_contain_text("Everything the rules ask for is there.")
    screenshot(page, "6-documents")
    page.locator("#submit").get_by_role("button", name="Submit", exact=True).click()
    expect(page).to_have_url(detail_url)
    expect(page.locator(".messages")).to_contain_text(f"Registration {number} submitted.")
    expect(status_of(page)).to_have_text(SUBMITTED)
    expect(page.locator("#submit")).to_have_count(0)
    screenshot(page, "7-submitted")

    # 4. Staff of 南通 市区 find it in the queue and return it: the certificate needs replacing.
    staff = open_page()
    log_in(staff, STAFF_USERNAME, then="/review/")
    expect(staff.get_by_role("heading", level=1)).to_have_text("Review queue")
    row = staff.locator("table.queue tbody tr").filter(has_text=number)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(NAME)
    expect(row).to_contain_text(national_id.mask(NATIONAL_ID))
    expect(row).to_contain_text("Referred by a hospital")
    screenshot(staff, "8-queue")
    settle(staff)
    row.get_by_role("link", name=number).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(f"Registration {number}")
    expect(staff.locator(".lead .status-badge")).to_have_text(SUBMITTED)
    expect(staff.get_by_role("region", name="Care", exact=True)).to_contain_text("南通大学附属医院")
    review_document(staff, "Valid identity document").get_by_label("Accept", exact=True).check()
    to_replace = review_document(staff, "Referral certificate")
    to_replace.get_by_label("Needs replacing", exact=True).check()
    to_replace.get_by_label("Or in your own words").fill(DOCUMENT_REASON)
    decision = staff.locator(".decision")
    decision.get_by_label("Return for correction", exact=True).check()
    screenshot(staff, "9-review-return")
    settle(staff)
    decision.get_by_role("button", name="Record the decision").click()
    expect(staff.locator(".messages")).to_contain_text(f"Registration {number}: {RETURNED}.")
    expect(staff.locator(".lead .status-badge")).to_have_text(RETURNED)
    expect(staff.locator("ul.fixes li")).to_have_count(1)
    expect(staff.locator("ul.fixes li")).to_contain_text(DOCUMENT_REASON)
    screenshot(staff, "10-review-returned")
    settle(staff)

    # 5. The enrollee sees one complete list of what to fix and replaces only the certificate.
    page.reload()
    expect(status_of(page)).to_have_text(RETURNED)
    fixes = page.locator("#fixes")
    expect(fixes.get_by_role("heading")).to_have_text("Returned for correction: everything to fix")
    expect(fixes.locator("ol > li")).to_have_count(1)
    expect(fixes.locator("ol > li")).to_contain_text(DOCUMENT_REASON)
    identity, certificate = kind(page, "id_document"), kind(page, "referral_certificate")
    expect(identity.locator(".doc-status")).to_have_text("Accepted")
    expect(identity.get_by_role("button", name="Remove")).to_have_count(0)
    expect(certificate.locator(".doc-status")).to_have_text("Needs replacing")
    expect(certificate.locator(".field-error")).to_have_text(f"Why: {DOCUMENT_REASON}")
    expect(page.locator("#group-referral_certificate .check-state")).to_have_text("✗ Missing")
    screenshot(page, "11-returned")
    certificate.get_by_label("Upload: Referral certificate").set_input_files(pdf("referral-stamped.pdf"))
    certificate.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("“referral-stamped.pdf” uploaded.")
    expect(page.locator("#group-referral_certificate .check-state")).to_have_text("✓ Provided")
    page.locator("#submit").get_by_role("button", name="Submit again").click()
    expect(page).to_have_url(detail_url)
    expect(status_of(page)).to_have_text(SUBMITTED)
    expect(page.locator("#fixes")).to_have_count(0)
    identity, certificate = kind(page, "id_document"), kind(page, "referral_certificate")
    expect(identity.locator(".doc-status")).to_have_text("Accepted")
    expect(
        certificate.locator(".document").filter(has_text="referral-stamped.pdf").locator(".doc-status")
    ).to_have_text("Awaiting review")
    screenshot(page, "12-resubmitted")

    # 6. Staff approve.
    staff.reload()
    settle(staff)
    expect(staff.locator(".lead .status-badge")).to_have_text(SUBMITTED)
    expect(review_document(staff, "Valid identity document").locator(".doc-status")).to_have_text("Accepted")
    expect(review_document(staff, "Referral certificate")).to_have_count(2)
    decision = staff.locator(".decision")
    decision.get_by_label("Approve", exact=True).check()
    decision.get_by_role("button", name="Record the decision").click()
    expect(staff.locator(".lead .status-badge")).to_have_text(APPROVED)
    expect(staff.get_by_role("region", name="Care", exact=True)).to_contain_text(
        f"{today.isoformat()} – {ends.isoformat()}"
    )
    screenshot(staff, "13-review-approved")
    settle(staff)

    # 7. The enrollee sees it in force, today until the day before the same date next year.
    page.reload()
    expect(status_of(page)).to_have_text(APPROVED)
    expect(page.locator(".next-step")).to_have_text(f"In force until {ends.isoformat()}")
    expect(page.locator("#validity")).to_have_text(f"{today.isoformat()} – {ends.isoformat()}")
    expect(page.locator("#validity time").first).to_have_attribute("datetime", today.isoformat())
    expect(page.locator("#validity time").last).to_have_attribute("datetime", ends.isoformat())
    expect(
        page.locator(".check-group .document").filter(has_text="referral-stamped.pdf").locator(".doc-status")
    ).to_have_text("Accepted")
    screenshot(page, "14-approved")

    # 8. Another enrollee cannot open it.
    other = open_page()
    log_in(other, OTHER_ENROLLEE_ID, then="/registrations/")
    response = other.goto(detail_url)
    assert response.status == 404
    expect(other.locator("main")).not_to_contain_text(number)
    expect(other.locator("main")).not_to_contain_text(NAME)
    screenshot(other, "15-other-enrollee-404")

    # The approved registration on a phone: nothing scrolls sideways.
    phone = open_page(
        storage_state=page.context.storage_state(), viewport={"width": 360, "height": 740}, is_mobile=True
    )
    phone.goto(detail_url)
    expect(status_of(phone)).to_have_text(APPROVED)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "16-approved-phone")
