"""Users' journeys end to end in the browser. Add a journey per capability as it lands."""

from harness import axe_violations, format_violations
from playwright.sync_api import expect


def test_partner_finds_their_municipality(browser_page):
    page = browser_page("public")
    page.goto("/")
    page.get_by_role("navigation", name="Hovudmeny").get_by_role("link", name="Partnarskap").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Korleis helsefellesskapet er organisert"
    )
    page.get_by_role("link", name="Kinn kommune", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kinn kommune")
    expect(page.get_by_role("navigation", name="Brødsmular")).to_contain_text("Partnarskap")
    assert page.url.endswith("/partnarskap/partnar/kinn/")


def test_secretariat_logs_in_through_the_form(browser_page, sekretariat_user):
    page = browser_page("public")
    page.goto("/partnarskap/")
    page.get_by_role("link", name="Logg inn").click()
    page.get_by_label("Brukarnamn").fill("sigrid")
    page.get_by_label("Passord").fill("ikkje-i-bruk-123")
    page.get_by_role("button", name="Logg inn").click()
    # Back where they came from, as the secretariat.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Korleis helsefellesskapet er organisert"
    )
    expect(page.locator(".konto")).to_contain_text("Sigrid (sekretariatet)")
    assert not page.funn.feil, page.funn.feil


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
