"""The harness can fail: it sees what it is there to see."""

from harness import axe_violations, format_violations
from playwright.sync_api import expect


def test_axe_reports_what_it_should(browser_page):
    """The harness can fail: a page with an unlabelled field and an image without text."""
    page = browser_page("public")
    page.goto("/tilgjengelegheit/")
    page.evaluate(
        """() => {
            const main = document.querySelector("main");
            main.append(document.createElement("input"), document.createElement("img"));
        }"""
    )
    violations = axe_violations(page)
    found = {v["id"] for v in violations}
    assert {"label", "image-alt"} <= found
    assert "label (critical)" in format_violations("test", violations)


def test_the_content_security_policy_holds_in_the_browser(browser_page):
    """An inline script and an inline style are refused, and the harness notices."""
    page = browser_page("public")
    page.goto("/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "document.body.dataset.inline = 'køyrde'";
            const style = document.createElement("style");
            style.textContent = "body { background: red; }";
            document.head.append(script, style);
        }"""
    )
    expect(page.locator("body")).not_to_have_attribute("data-inline", "køyrde")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 0, 0)"
    for _ in range(40):  # console messages reach the test a moment later
        if sum("CSP" in problem for problem in page.funn.feil) >= 2:
            break
        page.wait_for_timeout(50)
    assert sum("CSP" in problem for problem in page.funn.feil) >= 2, page.funn.feil
