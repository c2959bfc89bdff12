"""A newcomer opens the portal on a phone, reads the home page, switches to English, finds an office."""

import pytest

pytestmark = pytest.mark.browser


def test_home_language_switch_and_offices_on_a_phone(phone_page, screenshot):
    page = phone_page
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert "12月31日" in page.locator("main").inner_text()
    screenshot(page, "1-home-zh")

    # Nothing on a 360 px screen may scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "31 December" in page.locator("main").inner_text()
    screenshot(page, "2-home-en")

    page.get_by_role("link", name="Office addresses and phone numbers").click()
    page.wait_for_url("**/offices/")
    rudong = page.locator("#office-rudong")
    assert "84180001 (employees)" in rudong.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "3-offices-en")
