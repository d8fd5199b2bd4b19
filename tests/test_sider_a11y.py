"""What a second accessibility engine and keyboard and screen-reader walks found, as a user
meets it: row headers, titles, labels on phones, select choices, the wrong password, a
delete without JavaScript, dates, the words used, and the accessibility statement.
(Focus after a delete and what the pack's status says are in tests/browser.)"""

import re
from datetime import date, time

import lxml.html
import pytest
from django.conf import settings
from django.urls import reverse
from helpers import HEIMESJUKEHUS, htmx, tiltak
from matrix import ROUTES

from handlingsplan.models import Tiltak
from moter.models import Mote, Motepakke
from portal.lagring import store_whole

# Markup, words and focus: decided by templates, not by the database.
pytestmark = pytest.mark.one_database(on="sqlite")

SITE = "Sogn og Fjordane helsefellesskap"
PLAN_URL = reverse("handlingsplan:periode", args=[2023, 2024])


@pytest.fixture(autouse=True)
def _pdfs_without_typesetting(monkeypatch):
    """The sweep below reads pages, not PDFs."""
    from helpers import blank_pdf
    from weasyprint import HTML

    stand_in = blank_pdf()
    monkeypatch.setattr(HTML, "write_pdf", lambda self, *args, **kwargs: stand_in)


def tree(response):
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content.decode())


def text_of(el) -> str:
    return " ".join(el.text_content().split())


def pages(client, data) -> dict[str, object]:
    """Every whole page the client gets as HTML by GET, by URL name (not the fragments
    some addresses give)."""
    found = {}
    for name, route in sorted(ROUTES.items()):
        url = reverse(name, kwargs=route.kwargs(data))
        response = client.get(url)
        if response.streaming or response.status_code != 200:
            continue
        if response.content.lstrip()[:9].lower() == b"<!doctype":
            found[name] = response
    return found


def test_every_page_is_titled_page_then_site_once_with_no_dashes(public, sekretariat, data):
    for client in (public, sekretariat):
        for name, response in pages(client, data).items():
            doc = tree(response)
            title = doc.findtext(".//title")
            if name == "framside":
                assert title == SITE
            else:
                page, _, site = title.rpartition(" – ")
                assert site == SITE and page and SITE not in page, (name, title)
            assert "---------" not in response.content.decode(), name


def test_the_portal_says_vert_not_blir():
    """One of the two nynorsk forms throughout what the portal itself writes (the shipped
    documents quote their sources as they are)."""
    root = settings.BASE_DIR
    sources = [
        path
        for pattern in ("*/templates/**/*.html", "templates/**/*.html", "static/**/*.js")
        for path in root.glob(pattern)
    ]
    sources += [
        path
        for app in ("portal", "partnarskap", "avtalar", "handlingsplan", "moter")
        for path in (root / app).glob("*.py")
    ]
    said = [p for p in sources if re.search(r"\b[Bb]lir\b", p.read_text(encoding="utf-8"))]
    assert not said


def test_the_tiltak_is_the_row_header_of_its_row(public, seeded):
    doc = tree(public.get(PLAN_URL))
    row = doc.get_element_by_id(f"tiltak-{tiltak().pk}")
    header = row[0]
    assert header.tag == "th" and header.get("scope") == "row"
    assert text_of(header).startswith(HEIMESJUKEHUS)


def test_stacked_tables_label_each_value(public, sekretariat, data):
    """On a phone the column headers are out of sight: each value carries its column's name
    (data-label, shown by the style sheet), except the cell of links and buttons."""
    for client in (public, sekretariat):
        for name, response in pages(client, data).items():
            for table in tree(response).find_class("tabell--stable"):
                heads = [text_of(th) for th in table.xpath("./thead/tr/th")]
                for row in table.xpath("./tbody/tr"):
                    cells = row.xpath("./td|./th")
                    if len(cells) != len(heads):
                        continue  # a row that spans the table (a form, a delmål)
                    for head, cell in zip(heads, cells, strict=True):
                        if cell.tag == "th" or cell.xpath(".//*[@class='handlingar']"):
                            continue
                        assert cell.get("data-label") == head, (name, head, text_of(cell))


def test_stacked_values_are_labelled_on_phones_by_the_style_sheet():
    css = (settings.BASE_DIR / "static/portal/portal.css").read_text()
    rule = r"\.tabell--stable td\[data-label\]::before \{ content: attr\(data-label\)"
    assert re.search(rule, css)


def test_empty_choices_say_what_to_do(sekretariat, seeded):
    html = sekretariat.get(reverse("moter:mote_ny")).content.decode()
    assert "---------" not in html
    doc = lxml.html.fromstring(html)
    utval = doc.xpath("//select[@name='utval']/option")[0]
    vertskap = doc.xpath("//select[@name='vertskap']/option")[0]
    assert (utval.get("value"), utval.text) == ("", "Ingen")
    assert (vertskap.get("value"), vertskap.text) == ("", "Ingen")
    seat_form = sekretariat.get(reverse("partnarskap:medlemskap_ny", args=["fsu"]))
    first = tree(seat_form).xpath("//select[@name='person']/option")[0]
    assert first.text.startswith("Vel ")


def test_a_wrong_password_marks_the_fields_and_points_at_the_message(client, sekretariat_user):
    login = reverse("login")
    assert not tree(client.get(login)).xpath("//*[@role='alert']")
    response = client.post(login, {"username": sekretariat_user.username, "password": "feil"})
    doc = tree(response)
    message = doc.get_element_by_id("innlogging-feil")
    assert "Brukarnamnet eller passordet er feil" in text_of(message)
    for name in ("username", "password"):
        field = doc.xpath(f"//input[@name='{name}']")[0]
        assert field.get("aria-invalid") == "true"
        assert field.get("aria-describedby") == "innlogging-feil"
    assert not doc.xpath("//*[@role='alert']")  # portal.js reads the message out instead


def test_without_javascript_slett_asks_on_a_page_of_its_own(sekretariat, seeded):
    t = tiltak()
    url = reverse("handlingsplan:tiltak_slett", args=[t.pk])
    doc = tree(sekretariat.get(PLAN_URL))
    form = doc.xpath(f"//form[@action='{url}']")[0]
    assert form.get("method") == "get" and form.get("data-hx-post") == url
    assert not form.xpath(".//input[@name='csrfmiddlewaretoken']")  # no token in a URL
    # The button leads to a question, not a deletion.
    page = sekretariat.get(url, {"edit_version": t.edit_version})
    assert Tiltak.objects.filter(pk=t.pk).exists()
    doc = tree(page)
    assert "Slett tiltaket?" in text_of(doc.find(".//h1"))
    assert doc.xpath("//button[normalize-space()='Ja, slett']")
    done = sekretariat.post(url, {"edit_version": t.edit_version}, follow=True)
    assert not Tiltak.objects.filter(pk=t.pk).exists()
    assert "Tiltaket er sletta." in text_of(tree(done).find_class("meldingar")[0])


def test_without_javascript_cancelling_a_meeting_asks_first(sekretariat, fsu):
    mote = Mote.objects.get(utval=fsu, dato=date(2024, 2, 14))
    url = reverse("moter:mote_avlys", args=[mote.pk])
    form = tree(sekretariat.get(mote.get_absolute_url())).xpath(f"//form[@action='{url}']")[0]
    assert form.get("method") == "get" and form.get("data-hx-post") == url
    doc = tree(sekretariat.get(url))
    mote.refresh_from_db()
    assert not mote.avlyst
    assert "Avlys Fagleg samarbeidsutval 14. februar 2024?" in text_of(doc.find(".//h1"))
    assert doc.xpath("//form[@method='post']//button[normalize-space()='Ja, avlys møtet']")
    assert doc.xpath(f"//a[normalize-space()='Avbryt'][@href='{mote.get_absolute_url()}']")
    done = tree(sekretariat.post(url, follow=True))
    assert "Møtet er avlyst." in text_of(done.find_class("meldingar")[0])
    mote.refresh_from_db()
    assert mote.avlyst
    # Asked again, once it is cancelled: no question, only what is so.
    again = tree(sekretariat.get(url, follow=True))
    assert "Møtet er alt avlyst." in text_of(again.find_class("meldingar")[0])


def test_without_javascript_removing_an_attachment_asks_first(sekretariat, fsu):
    from django.core.files.base import ContentFile

    from bench.testdata import lag_pdf
    from moter.models import Sak, Vedlegg

    mote = Mote.objects.get(utval=fsu, dato=date(2024, 2, 14))
    sak = Sak.objects.create(mote=mote, utval=fsu, ar=2024, nummer=1, tittel="Budsjett 2025")
    vedlegg = Vedlegg(sak=sak, tittel="Budsjettnotat", sider=1)
    vedlegg.fil.save("budsjett.pdf", ContentFile(lag_pdf(1)), save=True)
    url = reverse("moter:vedlegg_slett", args=[vedlegg.pk])
    form = tree(sekretariat.get(mote.get_absolute_url())).xpath(f"//form[@action='{url}']")[0]
    assert form.get("method") == "get" and form.get("data-hx-post") == url
    assert not form.xpath(".//input[@name='csrfmiddlewaretoken']")
    doc = tree(sekretariat.get(url))
    assert Vedlegg.objects.filter(pk=vedlegg.pk).exists()
    assert "Fjerne vedlegget «Budsjettnotat»?" in text_of(doc.find(".//h1"))
    assert doc.xpath("//form[@method='post']//button[normalize-space()='Ja, fjern vedlegget']")
    done = tree(sekretariat.post(url, follow=True))
    assert not Vedlegg.objects.filter(pk=vedlegg.pk).exists()
    assert "Vedlegget «Budsjettnotat» er fjerna." in text_of(done.find_class("meldingar")[0])


def test_a_delmal_swapped_in_keeps_the_heading_level_of_its_page(sekretariat, seeded):
    d = tiltak().delmal
    own_page = "http://testserver" + reverse("handlingsplan:delmal", args=[d.pk])
    endre = reverse("handlingsplan:delmal_endre", args=[d.pk])
    form = {"nummer": d.nummer, "tekst": d.tekst, "edit_version": d.edit_version}
    for current, level in ((own_page, "h2"), ("http://testserver" + PLAN_URL, "h3")):
        block = htmx(
            sekretariat,
            "get",
            reverse("handlingsplan:delmal", args=[d.pk]),
            HTTP_HX_CURRENT_URL=current,
        )
        assert lxml.html.fromstring(block.content).xpath(f"//{level}[@class='delmal-tittel']")
    saved = htmx(sekretariat, "post", endre, form, HTTP_HX_CURRENT_URL=own_page)
    assert saved.status_code == 200, saved.content.decode()[:500]
    assert lxml.html.fromstring(saved.content).xpath("//h2[@class='delmal-tittel']")


def test_a_delete_seen_from_an_older_version_is_refused(sekretariat, seeded):
    t = tiltak()
    url = reverse("handlingsplan:tiltak_slett", args=[t.pk])
    seen = t.edit_version
    t.kommentar = "Endra av nokon andre"
    t.save()
    Tiltak.objects.filter(pk=t.pk).update(edit_version=seen + 1)
    page = tree(sekretariat.get(url, {"edit_version": seen}))
    assert page.xpath(f"//input[@name='edit_version'][@value='{seen}']")
    assert sekretariat.post(url, {"edit_version": seen}).status_code == 409
    assert Tiltak.objects.filter(pk=t.pk).exists()


@pytest.mark.parametrize(
    ("post", "message"),
    [
        (lambda m: (reverse("moter:mote_avlys", args=[m.pk]), {}), "Møtet er avlyst."),
    ],
)
def test_full_page_fallbacks_say_what_was_done(sekretariat, fsu, post, message):
    mote = Mote.objects.get(utval=fsu, dato=date(2024, 2, 14))
    url, form = post(mote)
    page = tree(sekretariat.post(url, form, follow=True))
    assert message in text_of(page.find_class("meldingar")[0])


def test_moving_without_javascript_says_what_moved(sekretariat, seeded):
    t = tiltak()
    url = reverse("handlingsplan:tiltak_flytt", args=[t.pk])
    page = tree(sekretariat.post(url, {"retning": "ned"}, follow=True))
    assert "Tiltaket" in text_of(page.find_class("meldingar")[0])


def test_hidden_link_texts_end_at_a_word(sekretariat, seeded):
    t = tiltak()
    t.tekst = "Utgreie ein felles modell for hospitering mellom kommunane og Helse Førde HF"
    t.save()
    doc = tree(sekretariat.get(PLAN_URL))
    names = [text_of(a) for a in doc.get_element_by_id(f"tiltak-{t.pk}").xpath(".//a|.//button")]
    cut = [n for n in names if "…" in n]
    assert cut, names
    for name in cut:
        shown = re.search(r"«(.*?) …»", name)
        assert shown and t.tekst.startswith(shown.group(1) + " "), name


def test_in_place_editors_focus_something_visible(sekretariat, data, seeded):
    t = tiltak()
    fragments = [
        reverse("handlingsplan:tiltak_endre", args=[t.pk]),
        reverse("handlingsplan:delmal_endre", args=[t.delmal_id]),
        reverse("handlingsplan:tiltak_ny", args=[t.delmal_id]),
        reverse("partnarskap:medlemskap_endre", args=[data["seat"].pk]),
    ]
    for url in fragments:
        response = htmx(sekretariat, "get", url)
        doc = lxml.html.fragment_fromstring(response.content.decode(), create_parent="div")
        targets = doc.xpath("//*[@data-fokus]")
        assert targets, url
        for el in targets:
            hidden = el.xpath("ancestor-or-self::*[contains(@class, 'visuelt-skjult')]")
            assert not hidden, (url, lxml.html.tostring(el))


def test_history_writes_dates_and_times_the_norwegian_way(sekretariat, fsu, sekretariat_user):
    mote = Mote.objects.get(utval=fsu, dato=date(2024, 2, 14))
    mote._history_user = sekretariat_user
    mote.dato, mote.start = date(2024, 2, 15), time(10, 0)
    mote.save()
    page = text_of(tree(sekretariat.get(reverse("historikk", args=["moter", "mote", mote.pk]))))
    assert "14. februar 2024" in page and "15. februar 2024" in page and "10:00" in page
    assert "2024-02-1" not in page and "10:00:00" not in page


def test_the_accessibility_statement_follows_uutilsynets_model(public, settings):
    settings.DEFAULT_FROM_EMAIL = "Helsefellesskapet <sekretariat@example.no>"
    doc = tree(public.get(reverse("tilgjengelegheit")))
    body = text_of(doc.body)
    assert re.search(r"sist oppdatert \d{1,2}\. [a-zæøå]+ \d{4}", body)
    headings = [text_of(h) for h in doc.xpath("//h2")]
    assert "Status" in headings and "Klage til Uutilsynet" in headings
    assert doc.xpath("//ul[@class='avvik']/li")  # the known deviations
    assert doc.xpath("//a[@href='mailto:sekretariat@example.no']")
    assert doc.xpath("//a[starts-with(@href, 'https://www.uutilsynet.no')]")


def _pakke(client, mote) -> lxml.html.HtmlElement:
    response = htmx(client, "get", reverse("moter:motepakke_status", args=[mote.pk]))
    return lxml.html.fragment_fromstring(response.content.decode())


def test_the_pack_says_when_it_starts_and_when_it_ends_once_each(medlem, fsu):
    """What the status region reads (data-kunngjer) is the same on every poll while the pack
    is built, so it is read once; the end is said once, ready or failed, and polling stops."""
    from moter import pack

    mote = Mote.objects.get(utval=fsu, dato=date(2024, 2, 14))
    data = pack.innhald(mote, Motepakke.Publikum.MEDLEMMAR)
    path, fingerprint = pack.ferdig_pakke(data)
    row = Motepakke.objects.create(
        mote=mote, publikum=Motepakke.Publikum.MEDLEMMAR, fingeravtrykk=fingerprint
    )
    page = tree(medlem.get(mote.get_absolute_url())).get_element_by_id("motepakke")
    polls = [_pakke(medlem, mote) for _ in range(2)]
    said = {s.get("data-kunngjer") for s in [page, *polls]}
    assert len(said) == 1 and "vert laga" in said.pop()
    assert not page.xpath(".//*[@role='status']")  # no live region re-read on each swap
    assert polls[0].get("data-hx-trigger") == "every 2s"

    row.status = Motepakke.Status.FEILA
    row.save()
    failed = _pakke(medlem, mote)
    assert "kunne ikkje" in failed.get("data-kunngjer")
    assert failed.get("data-hx-trigger") is None

    store_whole(path, b"%PDF-1.4\n%%EOF\n")  # the worker has put the pack in place
    ready = _pakke(medlem, mote)
    assert "klar" in ready.get("data-kunngjer")
    assert ready.get("data-hx-trigger") is None
    # A page opened when the pack is already there says nothing unasked.
    page = tree(medlem.get(mote.get_absolute_url())).get_element_by_id("motepakke")
    assert page.get("data-kunngjer") is None
