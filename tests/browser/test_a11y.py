"""axe-core over every page type in pages.PAGES, in every state: zero WCAG 2.1 A/AA
violations, no sideways scrolling at 320 CSS px, nothing blocked by the content security
policy, no script errors."""

import pytest
from harness import SJEKKA, Side, axe_violations, format_violations, reflow_problems
from pages import PAGES


def check_state(page, side: Side, state: str) -> None:
    where = f"«{side.namn}» ({state}) as {side.persona}, {page.url}"
    SJEKKA.sider.add(side.namn)
    SJEKKA.tilstandar += 1
    SJEKKA.html[f"{side.namn} – {state}"] = page.content()
    violations = axe_violations(page)
    SJEKKA.axe += 1
    assert not violations, format_violations(where, violations)
    reflow = reflow_problems(page)
    assert not reflow, f"{where} does not reflow at 320 CSS px:\n" + "\n".join(reflow)
    assert not page.funn.feil, f"The browser reported problems on {where}:\n" + "\n".join(
        page.funn.feil
    )


def visit(browser_page, side: Side, check=check_state):
    page = browser_page(side.persona)
    response = page.goto(side.adresse())
    assert response.status == side.status, f"{side.namn}: {response.status}"
    SJEKKA.html[f"{side.namn} – served"] = response.text()
    check(page, side, "lasta")
    for tilstand in side.tilstandar:
        tilstand.handling(page)
        check(page, side, tilstand.namn)
    return page


@pytest.mark.parametrize("side", PAGES, ids=[s.namn for s in PAGES])
def test_page_is_accessible(browser_page, side):
    visit(browser_page, side)
