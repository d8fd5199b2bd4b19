"""axe-core and HTML_CodeSniffer over every page type in pages.PAGES, in every state: zero
WCAG 2.1 A/AA violations and zero WCAG 2 AA errors, no sideways scrolling at 320 CSS px,
nothing blocked by the content security policy, no script errors.

One test per persona walks all of that persona's pages (the live server's database is
emptied and seeded again per test, which is slow on PostgreSQL) and reports every page that
fails, not only the first."""

import pytest
from harness import (
    SJEKKA,
    Side,
    axe_violations,
    format_htmlcs,
    format_violations,
    htmlcs_errors,
    reflow_problems,
)
from pages import PAGES
from playwright.sync_api import Error as PlaywrightError

PERSONAS = list(dict.fromkeys(s.persona for s in PAGES))


def check_state(page, side: Side, state: str) -> None:
    where = f"«{side.namn}» ({state}) as {side.persona}, {page.url}"
    SJEKKA.sider.add(side.namn)
    SJEKKA.tilstandar += 1
    SJEKKA.html[f"{side.namn} – {state}"] = page.content()
    violations = axe_violations(page)
    SJEKKA.axe += 1
    assert not violations, format_violations(where, violations)
    errors = htmlcs_errors(page)
    SJEKKA.htmlcs += 1
    assert not errors, format_htmlcs(where, errors)
    reflow = reflow_problems(page)
    assert not reflow, f"{where} does not reflow at 320 CSS px:\n" + "\n".join(reflow)
    assert not page.funn.feil, f"The browser reported problems on {where}:\n" + "\n".join(
        page.funn.feil
    )


def visit(pages, side: Side, check=check_state) -> None:
    """Open `side` as its persona, check it as loaded and after each of its states.
    `pages` gives the persona's page: one per persona, taken from page to page as a reader
    goes (a new page would start Chromium's work afresh each time)."""
    page = pages(side.persona)
    page.funn.feil.clear()
    try:
        response = page.goto(side.adresse())
        assert response.status == side.status, (
            f"«{side.namn}» answered {response.status}, not {side.status}"
        )
        SJEKKA.html[f"{side.namn} – served"] = response.text()
        check(page, side, "lasta")
        for tilstand in side.tilstandar:
            try:
                tilstand.handling(page)
            except (PlaywrightError, AssertionError) as error:
                raise AssertionError(
                    f"«{side.namn}»: could not get to state «{tilstand.namn}»: {error}"
                ) from error
            check(page, side, tilstand.namn)
    finally:
        page.goto("about:blank")  # leave nothing running (a poll) on to the next page


def per_persona(browser_page):
    """One page for each persona, opened when first asked for."""
    opened = {}

    def page(persona: str):
        if persona not in opened:
            opened[persona] = browser_page(persona)
        return opened[persona]

    return page


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_is_accessible(browser_page, persona):
    problems = []
    pages = per_persona(browser_page)
    for side in PAGES:
        if side.persona != persona:
            continue
        try:
            visit(pages, side)
        except AssertionError as error:
            problems.append(str(error))
    assert not problems, f"{len(problems)} page(s) failed:\n\n" + "\n\n".join(problems)
