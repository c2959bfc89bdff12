"""`make screenshots`: the main screens in Chinese, English and the elderly-friendly mode, on a
desktop and a phone, written to docs/screenshots/ (the README shows some). Skipped unless
SCREENSHOTS names the folder, so the ordinary test run leaves the pictures alone."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.constants import ELDER_COOKIE
from tests.browser.test_accessibility import cases, log_in  # noqa: F401 - the fixture
from tests.browser.test_registration_journey import TIMEOUT

pytestmark = pytest.mark.browser

FOLDER = os.environ.get("SCREENSHOTS", "")
SIZES = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 360, "height": 740}, "is_mobile": True},
}
MODES = {"zh": ("zh-CN", False), "en": ("en-US", False), "elder": ("zh-CN", True)}


def screens(cases) -> list[tuple[str, str | None, str]]:
    """(name, who is logged in, address)."""
    return [
        ("home", None, "/"),
        ("wizard", None, reverse("policy:wizard")),
        ("filing-form", "enrollee", reverse("registrations:new_details", args=["referral"])),
        ("staff-queue", "staff", reverse("review:queue")),
        ("review", "staff", reverse("review:detail", args=[cases["submitted"].uuid])),
        ("dashboard", "staff", reverse("review:dashboard")),
    ]


@pytest.mark.skipif(not FOLDER, reason="make screenshots sets SCREENSHOTS")
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("size", SIZES)
def test_screenshots(browser, cases, mode, size):  # noqa: F811
    folder = Path(FOLDER)
    folder.mkdir(parents=True, exist_ok=True)
    language, elder = MODES[mode]
    sessions = {}
    try:
        for name, who, path in screens(cases):
            if who not in sessions:
                context = browser.new_context(locale=language, base_url=cases["live_server_url"], **SIZES[size])
                context.set_default_timeout(TIMEOUT)
                if elder:
                    context.add_cookies([{"name": ELDER_COOKIE, "value": "1", "url": cases["live_server_url"]}])
                page = context.new_page()
                if who:
                    log_in(page, cases[who])
                sessions[who] = (context, page)
            page = sessions[who][1]
            page.goto(path)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=folder / f"{name}-{mode}-{size}.png", full_page=size == "phone")
    finally:
        for context, _page in sessions.values():
            context.close()
