"""Every page of the main journeys, as each role, checked by axe-core in Debian's chromium: no
serious or critical violation of WCAG 2.1 A and AA, in Chinese and English, on a desktop and on a
360 × 740 phone, where no page may scroll sideways either.

axe-core comes from npm (package.json; `.ci/run` installs it). The pages' CSP forbids inline
scripts, so the check runs in a context that lets Playwright add axe's script tag.
"""

import threading
import time
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.constants import ELDER_COOKIE, Role
from accounts.services import user_create
from claims import services as claim_services
from offices.models import Office
from policy.models import RuleSet
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_registration_journey import TIMEOUT, enter_authenticator_code
from tests.conftest import ENROLLEE_ID, PASSWORD, make_enrollee, require
from tests.files import upload
from tests.registrations.factories import make_approved, make_registration
from tests.review.views.test_registrations import file_case
from tests.security.figures import report

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHECKED: dict[str, int] = {"pages": 0, "violations": 0}


@pytest.fixture
def cases(browser, live_server, django_db_serialized_rollback):
    office = Office.objects.get(code="nantong-urban")
    enrollee = make_enrollee(ENROLLEE_ID, name="李华", phone="13800000001")
    staff = user_create(username="a11y-staff", password=PASSWORD, role=Role.STAFF, name="窗口 王", offices=[office])
    admin = user_create(username="a11y-admin", password=PASSWORD, role=Role.ADMIN, name="管理员 赵")
    approved = make_approved(enrollee, staff)
    draft = make_registration(enrollee)
    submitted = file_case(make_enrollee("320623195803170041", name="李四", phone="13800000002"))
    claim = claim_services.claim_create(actor=enrollee, enrollee=enrollee, claim_kind="outpatient")
    claim_services.expense_add(
        actor=enrollee,
        claim=claim,
        invoice_no="INV-1",
        date=timezone.localdate(),
        institution="复旦大学附属肿瘤医院",
        institution_level=3,
        province="上海市",
        total_amount="900.00",
        policy_amount="800.00",
    )
    for kind in ("social_security_card", "outpatient_record", "invoice", "itemised_list"):
        claim_services.claim_document_add(actor=enrollee, claim=claim, kind=kind, uploaded_file=upload())
    claim = claim_services.claim_submit(actor=enrollee, claim=claim)
    yield {
        "live_server_url": live_server.url,
        "enrollee": enrollee,
        "staff": staff,
        "admin": admin,
        "approved": approved,
        "draft": draft,
        "submitted": submitted,
        "claim": claim,
    }
    # The live server's request threads share the in-memory SQLite connection: let them finish.
    deadline = time.monotonic() + 10
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name:
            thread.join(max(0.0, deadline - time.monotonic()))


def pages_of(role: str, cases: dict) -> list[str]:
    if role == "public":
        return [
            "/",
            reverse("policy:wizard"),
            reverse("policy:index"),
            reverse("policy:current", args=["nantong"]),
            reverse("policy:changes", args=["nantong"]),
            reverse("offices:list"),
            reverse("accounts:login"),
            reverse("accounts:signup"),
            reverse("registrations:status"),
        ]
    if role == "enrollee":
        return [
            reverse("registrations:list"),
            reverse("registrations:new"),
            reverse("registrations:new_details", args=["referral"]),
            reverse("registrations:detail", args=[cases["draft"].uuid]),
            reverse("registrations:detail", args=[cases["approved"].uuid]),
            reverse("registrations:cancel", args=[cases["approved"].uuid]),
            reverse("claims:list"),
            reverse("claims:new"),
            reverse("claims:rescue"),
            reverse("claims:detail", args=[cases["claim"].uuid]),
            reverse("notifications:inbox"),
            reverse("notifications:preferences"),
        ]
    if role == "staff":
        return [
            reverse("review:queue"),
            reverse("review:detail", args=[cases["submitted"].uuid]),
            reverse("review:claims"),
            reverse("review:claim_detail", args=[cases["claim"].uuid]),
            reverse("review:file"),
            reverse("review:dashboard"),
        ]
    ruleset = RuleSet.objects.filter(jurisdiction__code="nantong").order_by("-effective_from").first()
    return [
        "/admin/",
        "/admin/policy/ruleset/",
        f"/admin/policy/ruleset/{ruleset.pk}/change/",
        f"/admin/policy/ruleset/{ruleset.pk}/preview/?registration_type=referral&care_scope=in_province&on_date=2026-12-01",
        f"/admin/policy/ruleset/{ruleset.pk}/publish/",
        "/admin/policy/materialgroup/",
        "/admin/offices/office/",
        f"/admin/offices/office/{Office.objects.get(code='nantong-urban').pk}/change/",
        f"/admin/registrations/registration/{cases['approved'].pk}/change/",
        "/admin/review/reasontemplate/",
        "/admin/notifications/reminderoffset/",
    ]


def log_in(page, user) -> None:
    login = "/admin/login/?next=/admin/" if user.role == Role.ADMIN else reverse("accounts:login")
    page.goto(login)
    page.locator("#id_username").fill(user.username if user.role != Role.ENROLLEE else user.phone)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form [type=submit]").last.click()
    page.wait_for_load_state()
    if "/accounts/second-factor/" in page.url:
        enter_authenticator_code(page, user.username)
        page.wait_for_load_state()


ELDER_CHECK = """() => {
  // A tick box or radio is tapped together with its label: the row they share is the target.
  const target = e => (['checkbox', 'radio'].includes(e.type) && (e.closest('.choice, label, li') ||
    document.querySelector(`label[for="${e.id}"]`))) || e;
  const small = [...document.querySelectorAll('button, .button, input:not([type=hidden]), select')]
    .filter(e => e.offsetParent !== null && target(e).getBoundingClientRect().height < 48)
    .map(e => e.outerHTML.slice(0, 80));
  return [parseFloat(getComputedStyle(document.body).fontSize), small];
}"""


def violations_on(page, path: str, *, phone: bool, elder: bool = False) -> list[str]:
    page.goto(path)
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(path), f"{path}: sent to {page.url} (not logged in?)"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    found = [
        f"{path}: {v['id']} ({v['impact']}) — {v['help']}: {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    if elder:
        size, small = page.evaluate(ELDER_CHECK)
        if size < 18:
            found.append(f"{path}: body text {size} px in the elderly-friendly mode (at least 18)")
        found += [f"{path}: a touch target under 48 px in the elderly-friendly mode: {html}" for html in small]
    if phone:
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1]:
            found.append(f"{path}: scrolls sideways on a phone ({width[0]} px wide in {width[1]} px)")
    CHECKED["pages"] += 1
    CHECKED["violations"] += len(found)
    report(
        "accessibility", f"{CHECKED['pages']} pages checked with axe-core, {CHECKED['violations']} serious or critical"
    )
    return found


@pytest.mark.parametrize("role", ["public", "enrollee", "staff", "admin"])
@pytest.mark.parametrize(
    ("language", "phone", "elder"), [("zh-CN", False, False), ("en-US", True, False), ("zh-CN", True, True)]
)
def test_pages_have_no_serious_accessibility_violations(browser, cases, role, language, phone, elder):
    require(AXE.exists(), "axe-core is not installed (npm install)")
    if elder and role == "admin":
        pytest.skip("the admin site has no elderly-friendly mode: it is for the portal's admins")
    size = {"viewport": {"width": 360, "height": 740}, "is_mobile": True} if phone else {}
    context = browser.new_context(locale=language, base_url=cases["live_server_url"], bypass_csp=True, **size)
    context.set_default_timeout(TIMEOUT)
    if elder:
        context.add_cookies([{"name": ELDER_COOKIE, "value": "1", "url": cases["live_server_url"]}])
    page = context.new_page()
    try:
        if role != "public":
            log_in(page, cases[role])
        found = [
            problem for path in pages_of(role, cases) for problem in violations_on(page, path, phone=phone, elder=elder)
        ]
    finally:
        context.close()
    if found:  # the whole list, for the person fixing it (the assertion's diff is cut short)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = f"accessibility-{role}-{language}{'-elder' if elder else ''}.txt"
        (ARTIFACTS / name).write_text("\n".join(found) + "\n")
    assert found == []


def test_logging_in_works_by_keyboard_alone_with_the_focus_in_sight(browser, cases):
    context = browser.new_context(locale="en-US", base_url=cases["live_server_url"])
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    try:
        page.goto("/")
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.outerHTML")
        assert "skip-link" in focused, focused  # the first stop skips the menu
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
        assert float(outline.removesuffix("px")) >= 2  # the focus is visible
        page.goto(reverse("accounts:login"))
        page.keyboard.press("Enter")  # sent empty: the page comes back starting at what to fix
        page.wait_for_selector(".error-summary")
        assert "error-summary" in page.evaluate("document.activeElement.className")
        page.goto(reverse("accounts:login") + "?next=" + reverse("registrations:list"))
        assert page.evaluate("document.activeElement.id") == "id_username"  # ready to type
        page.keyboard.type(cases["enrollee"].phone)
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url("**" + reverse("registrations:list"))
    finally:
        context.close()
