"""Playwright driving Debian's chromium (it cannot download a browser here).

Pages are served by pytest-django's live server; each step's screenshot is saved under
test-artifacts/screenshots/ so a run leaves a picture of what people saw.
"""

from pathlib import Path

import pytest

from tests.conftest import require

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser(django_db_setup, django_db_blocker):
    require(CHROMIUM.exists(), "Debian's chromium is not installed (apt-get install chromium)")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        # Playwright's sync API leaves an event loop running on this thread, so from here on
        # asgiref hands Django new connection objects (async-context storage). Give them the
        # contents serialized_rollback restores from, or every browser test after the first
        # would start from an empty database when plain `db` tests ran before Playwright.
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, django_db_serialized_rollback):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server, django_db_serialized_rollback):
    context = browser.new_context(
        locale="zh-CN", base_url=live_server.url, viewport={"width": 360, "height": 740}, is_mobile=True
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(request):
    def take(page, step: str):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"{request.node.name}-{step}.png", full_page=True)

    return take
