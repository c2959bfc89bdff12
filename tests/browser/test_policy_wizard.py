"""Someone in 南通 asks the wizard which registration they need: a referral, an emergency, a trip."""

import datetime

import pytest
from playwright.sync_api import expect

from policy import services
from policy.models import RegistrationType, RuleSet

pytestmark = pytest.mark.browser

REFERRED = "A local hospital is referring me to a hospital elsewhere"
EMERGENCY = "I need emergency care or rescue while away"
TRAVELLING = "I am travelling, or going elsewhere for care for another reason"


def no_sideways_scroll(page, width=360):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def answer(page, situation):
    page.get_by_label(situation).check()
    page.get_by_role("button", name="Show my registration").click()
    page.wait_for_url("**/policy/wizard/?**#result")
    return page.locator("#result")


def test_wizard_referral_and_emergency_on_a_phone(phone_page, screenshot):
    page = phone_page
    page.goto("/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Which registration?").click()
    page.wait_for_url("**/policy/wizard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Which registration do I need?")
    no_sideways_scroll(page)
    screenshot(page, "1-questions")

    page.get_by_label("Nantong").check()
    page.get_by_label("Within Jiangsu").check()
    result = answer(page, REFERRED)
    expect(result.locator(".recommendation")).to_contain_text("Referred by a hospital")
    referral = result.locator("#type-referral")
    expect(referral).to_have_class("card type-card recommended")
    expect(referral.locator(".reduction")).to_have_text("Reimbursement lowered by 10 percentage points")
    expect(referral.locator(".validity")).to_contain_text("12 months")
    expect(referral).to_contain_text("Referral certificate")
    expect(referral).to_contain_text("At the referring hospital")
    # the alternatives side by side, with their own cost
    expect(result.locator("#type-other_temporary .reduction")).to_have_text(
        "Reimbursement lowered by 20 percentage points"
    )
    expect(result.locator("#claim-back")).to_contain_text("March 31")
    expect(page.locator("#referral-note")).to_have_count(0)
    no_sideways_scroll(page)
    screenshot(page, "2-referral")

    # The answers stay in the form: change one and ask again.
    expect(page.get_by_label("Nantong")).to_be_checked()
    result = answer(page, EMERGENCY)
    note = page.locator("#no-filing-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("No filing needed")
    expect(note).to_contain_text("counts as registered")
    expect(note).to_contain_text("10 percentage points")
    expect(result.locator("#type-emergency .filing")).to_have_text("No filing needed: it counts as registered")
    no_sideways_scroll(page)
    screenshot(page, "3-emergency")


def test_wizard_warns_before_other_temporary_care(page, screenshot):
    page.goto("/policy/wizard/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    page.get_by_label("Nantong").check()
    page.get_by_label("Outside Jiangsu").check()
    result = answer(page, TRAVELLING)
    expect(result.locator(".recommendation")).to_contain_text("Other temporary care elsewhere")
    note = page.locator("#referral-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("lowers your reimbursement by 20 percentage points")
    expect(note).to_contain_text("lowers it by only 10")
    # the referral it points to is the next card
    cards = result.locator(".compare > li")
    expect(cards.nth(0)).to_have_attribute("id", "type-other_temporary")
    expect(cards.nth(1)).to_have_attribute("id", "type-referral")
    expect(result.locator("#care-scope")).to_contain_text("The care region's lists")
    screenshot(page, "other-temporary-desktop")

    note.get_by_role("link", name="Compare the referral below").click()
    page.wait_for_url("**#type-referral")
    expect(page.locator("#type-referral")).to_be_in_viewport()


def test_wizard_bad_date_and_the_rules_pages_on_a_phone(phone_page, screenshot):
    page = phone_page
    page.goto("/policy/wizard/?jurisdiction=nantong&situation=referred&care_scope=in_province&on=2024-01-01")
    expect(page.locator(".error-summary")).to_contain_text("2025-08-01")
    expect(page.locator("#result")).to_have_attribute("role", "alert")
    expect(page.locator("#id_on")).to_have_attribute("aria-invalid", "true")
    no_sideways_scroll(page)
    screenshot(page, "1-bad-date-zh")

    for path in ("/policy/", "/policy/nantong/", "/policy/sheyang/"):
        page.goto(path)
        expect(page.locator("main h1")).to_be_visible()
        no_sideways_scroll(page)
    screenshot(page, "2-sheyang-rules-zh")

    # A new version of 南通's rules: the change table fits a phone too.
    source = RuleSet.objects.get(jurisdiction__code="nantong")
    new = services.ruleset_new_version(source=source, effective_from=datetime.date(2027, 1, 1), name="南通 2027-01")
    services.ruleset_publish(ruleset=new, backdated_ok=True)
    referral = RegistrationType.objects.get(ruleset=new, code="referral")
    referral.reduction_points = 5
    referral.channels = ["hospital", "window"]
    referral.save()
    page.goto("/policy/nantong/changes/")
    changed = page.locator(".type-change")
    expect(changed).to_contain_text("异地转诊人员")
    expect(changed.locator("del").first).to_have_text("10")
    expect(changed.locator("ins").first).to_have_text("5")
    no_sideways_scroll(page)
    screenshot(page, "3-nantong-changes-zh")
