"""The årshjul: recurring items and the year's meetings per month and utval, as a page and
as a one-page PDF, and the secretariat keeping the items."""

import json
import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse
from helpers import htmx, pdf_reader

from moter.hooks import MoterHooks
from partnarskap.models import Arshjulpunkt, Utval, today
from portal.hooks import Arshjulmote

MONTHS = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
          "september", "oktober", "november", "desember", "ikkje fastsett"]  # fmt: skip


def _grid(html: str) -> dict[str, dict[str, str]]:
    """The årshjul table as {row heading: {month: cell text}}."""
    table = re.search(r'<table class="tabell arshjul">(.*?)</table>', html, re.S).group(1)
    body = table.split("<tbody>")[1]
    grid = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [
            " ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split())
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        grid[cells[0]] = dict(zip(MONTHS, cells[1:], strict=True))
    return grid


def _page(client, year: int) -> str:
    response = client.get(reverse("partnarskap:arshjul_ar", args=[year]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def moter(monkeypatch, fsu):
    """Stand in for the meetings app's arshjul_moter hook, with meetings a test can add to."""
    meetings = [
        {"dato": date(2024, 2, 14), "utval_id": fsu.pk, "tittel": "Møte i FSU", "url": "/m/1/"},
        {"dato": date(2024, 5, 16), "utval_id": fsu.pk, "tittel": "Møte i FSU", "url": "/m/2/"},
        {"dato": date(2024, 6, 12), "utval_id": None, "tittel": "Konferansedag", "url": "/m/3/"},
        {"dato": date(2025, 2, 13), "utval_id": fsu.pk, "tittel": "Neste år", "url": "/m/4/"},
    ]

    def arshjul_moter(self, year):
        return [Arshjulmote(**m) for m in meetings if m["dato"].year == year]

    # Replace the meetings app's own hook, so only these meetings are placed.
    monkeypatch.setattr(MoterHooks, "arshjul_moter", arshjul_moter)
    return meetings


def test_items_from_the_seeds_land_in_their_month_and_years(public, seeded):
    grid = _grid(_page(public, 2024))
    heile = grid["Heile helsefellesskapet"]
    assert "Erfaringskonferanse" in heile["juni"]
    assert "Samhandlingskonferanse" in heile["ikkje fastsett"]
    assert "Evaluering og revisjon av handlingsplanen" in heile["ikkje fastsett"]
    assert "Årsmelding frå brukarutvalet" in grid["Felles brukarutval"]["ikkje fastsett"]
    # A biennial item whose years the seeds do not give is shown every year, and says so.
    dagsamlingar = grid["Arbeidsgruppa for samhandlingsavvik"]["ikkje fastsett"]
    assert "år ikkje fastsett" in dagsamlingar

    odd = _grid(_page(public, 2025))["Heile helsefellesskapet"]
    assert "Erfaringskonferanse" not in " ".join(odd.values())
    assert "revisjon av handlingsplanen" not in odd["ikkje fastsett"]
    assert "Samhandlingskonferanse" in odd["ikkje fastsett"]


def test_meetings_are_placed_by_month_and_utval(public, moter):
    html = _page(public, 2024)
    grid = _grid(html)
    fsu = grid["Fagleg samarbeidsutval"]
    assert fsu["februar"] == "14.2. Møte i FSU"
    assert fsu["mai"] == "16.5. Møte i FSU"
    assert "12.6. Konferansedag" in grid["Heile helsefellesskapet"]["juni"]
    assert "Neste år" not in html
    assert 'href="/m/1/"' in html


def test_year_page_queries_do_not_grow(public, moter, django_assert_max_num_queries):
    for utval in Utval.objects.all():
        for month in range(1, 13):
            Arshjulpunkt.objects.create(tittel=f"Testpunkt {month}", utval=utval, manad=month)
    moter.extend(
        {"dato": date(2024, m, 1), "utval_id": u.pk, "tittel": "Testmøte", "url": "/m/"}
        for u in Utval.objects.all()
        for m in range(1, 13)
    )
    with django_assert_max_num_queries(3):
        html = _page(public, 2024)
    assert html.count("Testmøte") >= 2 * 12 * 10  # table and list view


def test_front_door_shows_this_year_and_navigates(public, seeded):
    html = public.get(reverse("partnarskap:arshjul")).content.decode()
    year = today().year
    assert f"<h1>Årshjul {year}</h1>" in html
    assert reverse("partnarskap:arshjul_ar", args=[year + 1]) in html
    assert reverse("partnarskap:arshjul_pdf", args=[year]) in html
    assert public.get(reverse("partnarskap:arshjul_ar", args=[1066])).status_code == 404
    overview = public.get(reverse("partnarskap:oversikt")).content.decode()
    assert reverse("partnarskap:arshjul") in overview


def test_pdf_is_one_landscape_page_with_the_same_content(public, moter):
    for utval in Utval.objects.filter(aktiv=True):
        for month in (1, 3, 9, 11):
            moter.append(
                {"dato": date(2024, month, 20), "utval_id": utval.pk, "tittel": "Møte", "url": ""}
            )
    response = public.get(reverse("partnarskap:arshjul_pdf", args=[2024]))
    assert response["Content-Type"] == "application/pdf"
    reader = pdf_reader(response.content)
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height
    # Narrow month columns hyphenate long words; read the text without line breaks.
    text = re.sub(r"[\s\-\u00ad\u2010]", "", page.extract_text())
    for expected in ("Årshjul 2024", "Erfaringskonferanse", "Månad ikkje fastsett",
                     "12.6. Konferansedag", "Fagleg samarbeidsutval"):  # fmt: skip
        assert expected.replace(" ", "") in text


def test_secretariat_adds_an_item_in_place(sekretariat, seeded):
    url = reverse("partnarskap:arshjulpunkt_ny")
    data = {"tittel": "Budsjettmøte", "intervall": "arleg", "manad": "10"}
    response = htmx(sekretariat, "post", url, data)
    assert response.status_code == 200
    assert "Budsjettmøte" in response.content.decode()
    assert "lagt til i årshjulet" in json.loads(response["HX-Trigger"])["portal:melding"]
    grid = _grid(_page(sekretariat, 2031))
    assert "Budsjettmøte" in grid["Heile helsefellesskapet"]["oktober"]


def test_invalid_items_are_refused_in_nynorsk_at_the_field(sekretariat, seeded):
    url = reverse("partnarskap:arshjulpunkt_ny")
    data = {"tittel": "", "intervall": "annakvart", "manad": "13", "startar": ""}
    response = htmx(sekretariat, "post", url, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_arshjulpunkt_ny_tittel_error"' in html and "Skriv ein tittel." in html
    assert "Månaden må vere mellom 1 (januar) og 12 (desember)." in html
    assert "Skriv eit år då punktet skjer" in html
    # Without JavaScript the same errors come on a page of their own.
    plain = sekretariat.post(url, {**data, "tittel": "Noko", "manad": "3"})
    assert plain.status_code == 422
    assert "Skriv eit år då punktet skjer" in plain.content.decode()
    assert not Arshjulpunkt.objects.filter(tittel="Noko").exists()


def test_secretariat_edits_in_place_and_history_records_it(sekretariat, sekretariat_user, seeded):
    punkt = Arshjulpunkt.objects.get(tittel="Samhandlingskonferanse")
    url = reverse("partnarskap:arshjulpunkt_endre", args=[punkt.pk])
    form = htmx(sekretariat, "get", url).content.decode()
    assert 'data-hx-post="' + url in form
    seen = re.search(r'name="edit_version" value="(\d+)"', form).group(1)
    data = {"tittel": "Samhandlingskonferanse", "intervall": "arleg", "manad": "4",
            "kjelde": punkt.kjelde, "aktiv": "on", "edit_version": seen}  # fmt: skip
    response = htmx(sekretariat, "post", url, data)
    assert response.status_code == 200
    assert "April" in response.content.decode()
    assert (
        "Samhandlingskonferanse"
        in _grid(_page(sekretariat, 2024))["Heile helsefellesskapet"]["april"]
    )
    latest = punkt.history.latest()
    assert latest.history_user == sekretariat_user and latest.manad == 4
    assert reverse("historikk", args=["partnarskap", "arshjulpunkt", punkt.pk]) in (
        sekretariat.get(reverse("partnarskap:arshjul")).content.decode()
    )

    # A second editor who opened the form before that save is told, and nothing is lost.
    stale = htmx(sekretariat, "post", url, {**data, "manad": "9"})
    assert stale.status_code == 409
    assert "Nokon andre har lagra ei endring" in stale.content.decode()
    punkt.refresh_from_db()
    assert punkt.manad == 4


def test_deactivated_items_leave_the_wheel_but_stay_listed(sekretariat, public, seeded):
    punkt = Arshjulpunkt.objects.get(tittel="Samhandlingskonferanse")
    url = reverse("partnarskap:arshjulpunkt_deaktiver", args=[punkt.pk])
    response = htmx(sekretariat, "post", url)
    assert response.status_code == 200 and "Teke ut" in response.content.decode()
    html = _page(public, 2024)
    assert "Samhandlingskonferanse" not in _grid(html)["Heile helsefellesskapet"]["ikkje fastsett"]
    assert "Samhandlingskonferanse" in html  # still in the list of items
    assert sekretariat.post(url).status_code == 302


def test_only_the_secretariat_keeps_the_items(medlem, public, seeded):
    url = reverse("partnarskap:arshjulpunkt_ny")
    data = {"tittel": "Ikkje lov", "intervall": "arleg"}
    assert medlem.post(url, data).status_code == 403
    assert htmx(public, "post", url, data).status_code == 403
    assert not Arshjulpunkt.objects.filter(tittel="Ikkje lov").exists()
    html = _page(medlem, 2024)
    assert "Legg til punkt" not in html and "Historikk" not in html


def test_front_page_search_and_follow_up(public, sekretariat, seeded):
    month = today().month
    Arshjulpunkt.objects.create(tittel="Testpunkt for denne månaden", manad=month)
    front = public.get(reverse("framside")).content.decode()
    assert "Testpunkt for denne månaden" in front
    assert reverse("partnarskap:arshjul_ar", args=[today().year]) in front
    assert "Årshjulpunkt utan fastsett tid" not in front

    hits = public.get(reverse("sok"), {"q": "erfaringskonferanse"}).content.decode()
    assert "Årshjul" in hits and "<mark>Erfaringskonferanse" in hits

    own = sekretariat.get(reverse("framside")).content.decode()
    assert "Samhandlingskonferanse: månad ikkje fastsett" in own
    assert "Regionale dagsamlingar kring samhandlingsavvik: månad og år ikkje fastsett" in own
