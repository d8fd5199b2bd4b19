"""In-place editing with the keyboard alone, as the secretariat: open an editor from its
"Endre" link, save with Enter, cancel with Escape or "Avbryt"; focus follows, and the
status region tells screen reader users what happened. What is edited in place comes from
pages.EDITABLE_ROWS; adding, reordering and uploading have tests of their own."""

import re

import pytest
from django.urls import reverse
from harness import Radredigering, catch_file_dialogs, focus_within, tab_to
from helpers import HOSPITERING, blank_pdf
from pages import EDITABLE_ROWS, agenda, first_sak, first_seat
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
    # The form opens in place, with focus on its heading.
    section = page.locator("#medlemmar")
    tab_to(page, section.get_by_role("link", name="Legg til medlem"))
    page.keyboard.press("Enter")
    expect(section.get_by_role("heading", name="Legg til medlem")).to_be_focused()
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


def test_add_a_sak_with_an_error_then_correct_it(browser_page):
    from moter.models import Sak

    mote = agenda()
    page = browser_page("sekretariat")
    page.goto(mote.get_absolute_url())
    sakliste = page.locator("#sakliste")
    status = page.locator("#statusmelding")

    tab_to(page, sakliste.get_by_role("link", name="Legg til sak"))
    page.keyboard.press("Enter")  # opens the form in place, focus on its heading
    expect(sakliste.get_by_role("heading", name="Legg til sak")).to_be_focused()
    title = sakliste.locator("form.ny-sak").get_by_label(_label("Tittel"))
    tab_to(page, title)
    page.keyboard.press("Enter")  # no title: refused at the field
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(title).to_be_focused()
    expect(status).to_contain_text("Ikkje lagra")

    page.keyboard.type("Testsak frå tastaturet")
    page.keyboard.press("Enter")
    expect(status).to_contain_text("er lagd til")
    sak = Sak.objects.get(mote=mote, tittel="Testsak frå tastaturet")
    expect(status).to_contain_text(f"Sak {sak.saksnummer} er lagd til.")
    expect(page.locator(f"#sak-{sak.pk}")).to_be_focused()  # the new sak, last on the agenda
    assert not page.funn.feil, page.funn.feil


def _order(locator) -> list[str]:
    return locator.evaluate_all("els => els.map(el => el.textContent.trim())")


def test_reorder_saker_and_attachments_with_the_keyboard(browser_page):
    """A move button keeps the focus when its item has moved, so pressing it again moves
    the item on; at the end of the list the item stays, and the user is told so."""
    mote = agenda()
    first, second = mote.saker.order_by("rekkjefolgje")
    page = browser_page("sekretariat")
    page.goto(mote.get_absolute_url())
    status = page.locator("#statusmelding")
    titles = page.locator("#sakliste article.sak > h3")

    down = page.get_by_role("button", name=f"Flytt ned sak {first.saksnummer}", exact=True)
    tab_to(page, down)
    page.keyboard.press("Enter")
    expect(status).to_contain_text(f"Sak {first.saksnummer} er flytta ned.")
    expect(titles.first).to_contain_text(second.tittel)
    assert list(mote.saker.order_by("rekkjefolgje")) == [second, first]
    expect(down).to_be_focused()
    page.keyboard.press("Enter")  # last already
    expect(status).to_contain_text(f"Sak {first.saksnummer} står alt sist.")
    expect(down).to_be_focused()

    attachments = page.locator(f"#sak-{first.pk} ol.vedlegg > li > a")
    expect(attachments).to_have_text(["Testvedlegg 1", "Testvedlegg 2"])
    tab_to(page, page.get_by_role("button", name="Flytt ned vedlegget Testvedlegg 1"))
    page.keyboard.press("Enter")
    expect(status).to_contain_text("Vedlegget «Testvedlegg 1» er flytta ned.")
    expect(attachments).to_have_text(["Testvedlegg 2", "Testvedlegg 1"])
    assert [v.tittel for v in first.vedlegg.order_by("rekkjefolgje")] == [
        "Testvedlegg 2",
        "Testvedlegg 1",
    ]
    # Last now, it has no "Flytt ned": focus is on its other move button.
    up = page.get_by_role("button", name="Flytt opp vedlegget Testvedlegg 1")
    expect(up).to_be_focused()
    page.keyboard.press("Enter")
    expect(status).to_contain_text("Vedlegget «Testvedlegg 1» er flytta opp.")
    expect(attachments).to_have_text(["Testvedlegg 1", "Testvedlegg 2"])
    expect(page.get_by_role("button", name="Flytt ned vedlegget Testvedlegg 1")).to_be_focused()
    assert not page.funn.feil, page.funn.feil


def test_reorder_the_action_plan_with_the_keyboard(browser_page):
    from handlingsplan.models import Tiltak

    tiltak = Tiltak.objects.get(tekst="følge opp prosjektet avansert heimesjukehus")
    delmal = tiltak.delmal
    siblings = delmal.innsatsomrade.delmal.order_by("rekkjefolgje")
    place = list(siblings.all()).index(delmal)
    page = browser_page("sekretariat")
    page.goto(reverse("handlingsplan:periode", args=[2023, 2024]))
    status = page.locator("#statusmelding")

    up = page.locator(f"#delmal-{delmal.pk}-tittel").get_by_role("button", name=re.compile("^Opp"))
    tab_to(page, up)
    page.keyboard.press("Enter")
    expect(status).to_contain_text(f"Delmål {delmal.nummer} er flytta opp.")
    assert list(siblings.all()).index(delmal) == place - 1
    expect(up).to_be_focused()

    rows = page.locator(f"#delmal-{delmal.pk} tr.tiltak")
    up = page.locator(f"#tiltak-{tiltak.pk}").get_by_role("button", name=re.compile("^Opp"))
    expect(rows.nth(1)).to_have_id(f"tiltak-{tiltak.pk}")
    tab_to(page, up)
    page.keyboard.press("Enter")
    expect(status).to_contain_text("Tiltaket er flytta opp.")
    expect(rows.first).to_have_id(f"tiltak-{tiltak.pk}")
    expect(up).to_be_focused()
    page.keyboard.press("Enter")  # first already
    expect(status).to_contain_text("Tiltaket står alt først.")
    expect(up).to_be_focused()
    assert not page.funn.feil, page.funn.feil


NOT_A_PDF = {"name": "notat.txt", "mimeType": "text/plain", "buffer": b"Berre tekst."}


def _choose_file(page, file: dict) -> None:
    """Space on the focused file field opens the system's file dialog; choose `file` there."""
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(files=[file])


def test_upload_an_attachment_with_the_keyboard(browser_page):
    from bench.testdata import lag_pdf

    sak = first_sak(agenda())
    page = browser_page("sekretariat")
    catch_file_dialogs(page)
    page.goto(sak.get_absolute_url())
    status = page.locator("#statusmelding")
    upload = page.locator(f"#sak-{sak.pk} form.vedlegg-skjema")
    field = upload.get_by_label(_label("Fil"))
    submit = upload.get_by_role("button", name=re.compile("^Last opp"))

    # Not a PDF: refused at the field, said out loud, focus on the field.
    tab_to(page, field)
    _choose_file(page, NOT_A_PDF)
    tab_to(page, submit)
    page.keyboard.press("Enter")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(upload.locator(".felt--feil")).to_contain_text("Fila er ikkje ein PDF.")
    expect(status).to_contain_text("Ikkje lagra")
    expect(field).to_be_focused()
    assert sak.vedlegg.count() == 2

    # A PDF: listed with the others, said out loud, and focus on it.
    _choose_file(
        page, {"name": "Tastaturvedlegg.pdf", "mimeType": "application/pdf", "buffer": lag_pdf(2)}
    )
    tab_to(page, submit)
    page.keyboard.press("Enter")
    expect(status).to_contain_text("Vedlegget «Tastaturvedlegg» er lasta opp.")
    new = page.locator(f"#sak-{sak.pk}").get_by_role("link", name="Tastaturvedlegg")
    expect(new).to_be_focused()
    assert [v.sider for v in sak.vedlegg.filter(tittel="Tastaturvedlegg")] == [2]
    assert not page.funn.feil, page.funn.feil


def test_upload_a_new_agreement_version_with_the_keyboard(browser_page):
    """The version form is a page of its own (the upload is a plain form): after it, the
    agreement page says what was done, and a refused file is pointed out at its field."""
    from avtalar.models import Avtale
    from partnarskap.models import today

    page = browser_page("sekretariat")
    catch_file_dialogs(page)
    page.goto(reverse("avtalar:avtale", args=[HOSPITERING]))
    status = page.locator("#statusmelding")
    tab_to(page, page.get_by_role("link", name="Registrer ny versjon"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ny versjon")

    form = page.locator("main form")
    field = form.get_by_label(_label("Dokument"))
    tab_to(page, field)
    _choose_file(page, NOT_A_PDF)
    tab_to(page, form.get_by_label(_label("Versjon")))
    page.keyboard.type("Testversjon frå tastaturet")
    # 1 January this year: a date field takes its parts in the browser locale's order.
    for label in ("Godkjend dato", "Gjeld frå"):
        tab_to(page, form.get_by_label(_label(label)))
        page.keyboard.type(f"0101{today().year}")
    tab_to(page, form.get_by_label(_label("Kva som er endra")))
    page.keyboard.type("Skrive med tastaturet.")
    tab_to(page, form.get_by_role("button", name="Lagre versjonen"))
    page.keyboard.press("Enter")

    expect(field).to_have_attribute("aria-invalid", "true")
    expect(form.locator(".felt--feil")).to_have_count(1)
    expect(form.locator(".felt--feil")).to_contain_text("Fila er ikkje ein PDF.")
    expect(field).to_be_focused()
    expect(status).to_contain_text("Ikkje lagra")

    pdf = blank_pdf(width=595, height=842)
    _choose_file(page, {"name": "avtale.pdf", "mimeType": "application/pdf", "buffer": pdf})
    tab_to(page, form.get_by_role("button", name="Lagre versjonen"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("Ny versjon")
    expect(page.locator("section.gjeldande")).to_contain_text("Testversjon frå tastaturet")
    expect(page.locator(".meldingar")).to_be_focused()
    expect(status).to_contain_text("Den nye versjonen er lagra og er no gjeldande.")
    avtale = Avtale.objects.get(slug=HOSPITERING)
    assert avtale.gjeldande_versjon(today()).versjon == "Testversjon frå tastaturet"
    assert not page.funn.feil, page.funn.feil
