"""In-place editing with the keyboard alone, as the secretariat: open an editor from its
"Endre" link, save with Enter, cancel with Escape or "Avbryt"; focus follows, and the
status region tells screen reader users what happened. What is edited in place comes from
pages.EDITABLE_ROWS."""

import re

import pytest
from harness import Radredigering, focus_within, tab_to
from pages import EDITABLE_ROWS, first_seat
from playwright.sync_api import expect


def _label(text: str) -> re.Pattern:
    """A field's label as it starts: a required field's label goes on "(må fyllast ut)"."""
    return re.compile(f"^{re.escape(text)}")


@pytest.mark.parametrize("rad", EDITABLE_ROWS, ids=[r.namn for r in EDITABLE_ROWS])
def test_edit_in_place_with_the_keyboard_alone(browser_page, rad: Radredigering):
    page = browser_page("sekretariat")
    page.goto(rad.url())
    row = page.locator(rad.rad())
    endre = row.get_by_role("link", name=re.compile("^Endre"))
    form = row.locator("form:has([data-avbryt])")
    status = page.locator("#statusmelding")
    before = rad.lagra()

    # Open: Tab to "Endre", Enter. Focus lands inside the swapped-in form.
    tab_to(page, endre)
    page.keyboard.press("Enter")
    assert focus_within(form), "focus did not move into the editor"

    # Save: Tab to the field, type, Enter.
    tab_to(page, form.get_by_label(_label(rad.felt)))
    page.keyboard.press("Control+A")
    page.keyboard.type(rad.tastar)
    page.keyboard.press("Enter")
    expect(status).to_contain_text(rad.melding)
    expect(form).to_have_count(0)
    assert focus_within(row), "focus did not return after saving"
    expect(endre).to_be_focused()
    assert rad.lagra() == rad.venta != before

    # Escape cancels: what was there comes back unchanged and keeps the focus.
    page.keyboard.press("Enter")  # focus is on "Endre" again
    assert focus_within(form), "focus did not move into the editor"
    tab_to(page, form.get_by_label(_label(rad.felt)))
    page.keyboard.type("9")
    page.keyboard.press("Escape")
    expect(form).to_have_count(0)
    expect(endre).to_be_focused()

    # "Avbryt" cancels too.
    page.keyboard.press("Enter")
    assert focus_within(form), "focus did not move into the editor"
    tab_to(page, form.get_by_role("link", name="Avbryt"))
    page.keyboard.press("Enter")
    expect(form).to_have_count(0)
    expect(endre).to_be_focused()
    assert rad.lagra() == rad.venta
    assert not page.funn.feil, page.funn.feil


def test_add_a_seat_with_an_error_then_correct_it(browser_page):
    """A mistake is announced and focus goes to the field that needs fixing."""
    seat = first_seat()
    page = browser_page("sekretariat")
    page.goto(seat.utval.get_absolute_url())
    add = page.locator("#medlemmar form[data-hx-post]").last
    tab_to(page, add.get_by_label("Eller ny person (namn)"))
    page.keyboard.press("Enter")  # nothing chosen: refused at the field
    person = page.locator("#medlemmar").get_by_label("Person", exact=True)
    expect(person).to_have_attribute("aria-invalid", "true")
    expect(person).to_be_focused()
    expect(page.locator("#statusmelding")).to_contain_text("feil")

    page.locator("#medlemmar").get_by_label("Eller ny person (namn)").focus()
    page.keyboard.type("Testperson Tastatur")
    page.keyboard.press("Enter")
    expect(page.locator("#statusmelding")).to_contain_text("Testperson Tastatur er lagd til")
    expect(page.locator("#medlemmar tbody")).to_contain_text("Testperson Tastatur")


def test_search_as_you_type_announces_the_hits(browser_page):
    page = browser_page("public")
    page.goto("/sok/")
    tab_to(page, page.get_by_role("main").get_by_role("searchbox"))
    page.keyboard.type("kinn")
    expect(page.locator("#statusmelding")).to_contain_text("treff på «kinn»")
    expect(page.get_by_role("main").get_by_role("link", name="Kinn kommune")).to_be_visible()
    expect(page.get_by_role("main").get_by_role("searchbox")).to_be_focused()
