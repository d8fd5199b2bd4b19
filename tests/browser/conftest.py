"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Every test in this folder is marked `browser` and runs after the rest of the suite (so the
event loop Playwright keeps does not meet the other tests). Use `browser_page(persona)` to
get a page logged in as one of the personas in tests/conftest.py."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from harness import CHROMIUM, SJEKKA, watch
from helpers import logged_in

HERE = Path(__file__).resolve().parent
LAST = "test_html.py"  # the Nu Html Checker runs over what the other tests collected


def pytest_collection_modifyitems(config, items):
    mine, others = [], []
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
            mine.append(item)
        else:
            others.append(item)
    mine.sort(key=lambda item: Path(item.path).name == LAST)  # stable: keeps the rest in order
    items[:] = others + mine


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not SJEKKA.sider and not SJEKKA.html_sjekka:
        return
    terminalreporter.write_sep("-", "browser checks")
    terminalreporter.write_line(
        f"{len(SJEKKA.sider)} pages in {SJEKKA.tilstandar} states checked with axe-core "
        f"(WCAG 2.1 A/AA, {SJEKKA.axe} runs) and HTML_CodeSniffer ({SJEKKA.htmlcs} runs); "
        f"{SJEKKA.html_sjekka} documents through the "
        "Nu Html Checker"
    )


@pytest.fixture(scope="session")
def _chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make install` (or apt-get install chromium)")
    # Playwright's sync API keeps an asyncio loop in this thread; Django's ORM would then
    # refuse to run in the test's own code (seeding, log-ins, assertions on the data).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # One renderer process for every page: each new page otherwise starts a process of
        # its own, which costs Chromium more than loading the page does.
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--renderer-process-limit=1"]
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(request, live_server, seeded, _chromium):
    """`browser_page(persona)` gives a new page for 'public', 'annan_medlem', 'medlem' or
    'sekretariat' (the personas of tests/conftest.py), logged in by session cookie. Pages of
    the same persona share one browser context. Each page has `.funn`: what the browser
    reported going wrong (policy violations, script errors, missing static files)."""
    contexts = {}

    def open_page(persona: str = "public"):
        if persona not in contexts:
            context = _chromium.new_context(base_url=live_server.url, locale="nn-NO")
            context.set_default_timeout(10_000)
            if persona != "public":
                client = logged_in(request.getfixturevalue(f"{persona}_user"))
                context.add_cookies(
                    [
                        {
                            "name": settings.SESSION_COOKIE_NAME,
                            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                            "url": live_server.url,
                        }
                    ]
                )
            contexts[persona] = context
        page = contexts[persona].new_page()
        page.funn = watch(page)
        return page

    yield open_page
    for context in contexts.values():
        context.close()
