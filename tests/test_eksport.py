"""Spreadsheet exports: the handlingsplan, the agreements and the meetings, as XLSX and CSV.

openpyxl opens what a user downloads: a header row, frozen panes, filters, widths and real
dates; the CSV holds the same rows. Nothing a user may not see is in either."""

import csv
import io
from datetime import date, time

import pytest
from django.urls import reverse
from helpers import HEIMESJUKEHUS, tiltak
from openpyxl import load_workbook

from avtalar.models import Avtale
from moter.models import Mote

PLAN_XLSX = reverse("handlingsplan:xlsx", args=[2023, 2024])
PLAN_CSV = reverse("handlingsplan:csv", args=[2023, 2024])


def sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    return load_workbook(io.BytesIO(response.content)).active


def rows(ws) -> list[list]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_plan_as_xlsx_has_a_header_row_frozen_panes_filters_and_real_dates(public, seeded):
    t = tiltak()
    t.frist = date(2024, 6, 30)
    t.save()
    response = public.get(PLAN_XLSX)
    assert 'filename="handlingsplan-2023-2024.xlsx"' in response["Content-Disposition"]
    ws = sheet(response)
    header = rows(ws)[0]
    assert header[:5] == ["Innsatsområde", "Delmål", "Tiltak", "Ansvarleg", "Frist"]
    assert ws["A1"].font.b
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == f"A1:I{ws.max_row}"
    assert ws.column_dimensions["C"].width >= 40  # the tiltak are long lines
    row = next(r for r in ws.iter_rows(min_row=2) if r[2].value == HEIMESJUKEHUS)
    assert row[4].value.date() == date(2024, 6, 30)
    assert row[4].number_format == "DD.MM.YYYY"
    # Every tiltak is a row, and the gaps (innsatsområde 4, delmål 5.2) keep theirs.
    assert ws.max_row == 1 + 32 + 1 + 1


def test_the_plan_as_csv_holds_the_same_rows_with_norwegian_dates(public, seeded):
    t = tiltak()
    t.frist = date(2024, 6, 30)
    t.save()
    table = csv_rows(public.get(PLAN_CSV))
    ws = sheet(public.get(PLAN_XLSX))
    assert len(table) == ws.max_row
    assert table[0] == [c.value for c in ws[1]]
    row = next(r for r in table if r[2] == HEIMESJUKEHUS)
    assert row[4] == "30.06.2024"


def test_a_period_as_deadline_stays_words(public, seeded):
    t = tiltak()
    t.frist_tekst = "Haust 2024"
    t.save()
    ws = sheet(public.get(PLAN_XLSX))
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[2] == HEIMESJUKEHUS)
    assert row[4] == "Haust 2024"


def test_text_never_becomes_a_formula(public, seeded):
    t = tiltak()
    t.tekst = '=HYPERLINK("http://x","y")'
    t.save()
    ws = sheet(public.get(PLAN_XLSX))
    cell = next(r[2] for r in ws.iter_rows(min_row=2) if "HYPERLINK" in str(r[2].value))
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x","y")'
    table = csv_rows(public.get(PLAN_CSV))
    assert '\'=HYPERLINK("http://x","y")' in [r[2] for r in table]


def test_the_plan_as_it_stood_on_a_date(public, seeded):
    before = sheet(public.get(PLAN_XLSX, {"dato": "2000-01-01"}))
    assert before.max_row == 1  # the portal has no records of the plan that early
    assert public.get(PLAN_XLSX, {"dato": "ikkje-ein-dato"}).status_code == 404


@pytest.fixture
def utkast(seeded):
    avtale = Avtale.objects.create(
        type=Avtale.Type.DELAVTALE,
        tittel="Hemmeleg utkast om legevakt",
        slug="hemmeleg-utkast",
        status=Avtale.Status.UTKAST,
        neste_revisjon=date(2030, 1, 31),
    )
    return avtale


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_draft_agreement_is_in_the_secretariats_export_only(
    fmt, public, medlem, sekretariat, utkast
):
    url = reverse(f"avtalar:{fmt}")
    for client, sees in ((public, False), (medlem, False), (sekretariat, True)):
        response = client.get(url)
        assert response.status_code == 200
        assert (utkast.tittel in _cells(response)) is sees
        assert "Cookie" in response["Vary"]
    assert sekretariat.get(url)["Cache-Control"] == "private, no-cache"


def _cells(response) -> list:
    table = (
        csv_rows(response)
        if response["Content-Type"].startswith("text/csv")
        else rows(sheet(response))
    )
    return [value for row in table for value in row]


def test_the_agreements_as_xlsx(public, seeded, utkast):
    ws = sheet(public.get(reverse("avtalar:xlsx")))
    table = rows(ws)
    assert table[0][:4] == ["Nummer", "Tittel", "Type", "Status"]
    assert len(table) == 1 + Avtale.objects.exclude(status=Avtale.Status.UTKAST).count()
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref
    titles = [r[1] for r in table[1:]]
    assert "Delavtale gjensidig hospiteringsordning" in titles
    assert table[1][2] == "Rammeavtale"  # in the list's order


def test_the_agreements_export_follows_the_lists_filter(sekretariat, utkast):
    table = csv_rows(sekretariat.get(reverse("avtalar:csv"), {"status": "utkast"}))
    assert [r[1] for r in table[1:]] == [utkast.tittel]
    assert table[1][10] == "31.01.2030"
    ws = sheet(sekretariat.get(reverse("avtalar:xlsx"), {"status": "utkast"}))
    assert ws.cell(row=2, column=11).value.date() == date(2030, 1, 31)


def test_the_meetings_of_a_year(public, fsu):
    mote = Mote.objects.get(utval=fsu, dato=date(2024, 2, 14))
    mote.start, mote.slutt, mote.stad = time(10, 0), time(15, 0), "Førde"
    mote.save()
    ws = sheet(public.get(reverse("moter:xlsx", args=[2024])))
    table = rows(ws)
    assert table[0][:5] == ["Dato", "Til dato", "Startar", "Sluttar", "Møte"]
    assert len(table) == 1 + Mote.objects.filter(dato__year=2024).count()
    first = next(r for r in ws.iter_rows(min_row=2) if r[6].value == "Førde")
    assert first[0].value.date() == date(2024, 2, 14) and first[0].number_format == "DD.MM.YYYY"
    assert first[2].value == time(10, 0)
    assert first[4].value == fsu.namn
    assert first[10].value.endswith(mote.get_absolute_url())
    table = csv_rows(public.get(reverse("moter:csv", args=[2024])))
    row = next(r for r in table if r[6] == "Førde")
    assert row[:4] == ["14.02.2024", "", "10:00", "15:00"]


def test_every_list_that_exports_offers_both_formats(public, seeded):
    pages = {
        reverse("handlingsplan:plan"): ("handlingsplan:csv", "handlingsplan:xlsx", [2023, 2024]),
        reverse("avtalar:oversikt"): ("avtalar:csv", "avtalar:xlsx", []),
        reverse("moter:ar", args=[2024]): ("moter:csv", "moter:xlsx", [2024]),
    }
    for page, (csv_name, xlsx_name, args) in pages.items():
        html = public.get(page).content.decode()
        assert f'href="{reverse(csv_name, args=args)}' in html, page
        assert f'href="{reverse(xlsx_name, args=args)}' in html, page
        assert "Excel-rekneark (XLSX)" in html and "som CSV" in html
    html = public.get(reverse("avtalar:oversikt"), {"type": "delavtale"}).content.decode()
    assert f'href="{reverse("avtalar:xlsx")}?type=delavtale"' in html
