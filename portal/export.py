"""Lists as spreadsheets: every export the portal offers goes through here, as CSV and XLSX.

A view builds a ``Table`` from what the user may see (its app's ``access.py`` decides the
rows) and answers ``response(request, table, fmt)``. The two formats hold the same rows:

- CSV for any program: semicolon-separated with a byte order mark, as Excel in Norway
  reads it, dates written "14.02.2024";
- XLSX (openpyxl) for Excel and LibreOffice: a bold header row with an autofilter, panes
  frozen below it and right of the first column, column widths, and dates as real dates
  (so they sort and filter) shown "14.02.2024".

Text never becomes a formula: in CSV a leading "=", "+", "-", "@" … gets an apostrophe, in
XLSX every text cell is stored as a string.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DATE_FORMAT = "DD.MM.YYYY"
TIME_FORMAT = "HH:MM"
# What a spreadsheet program would read as the start of a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "|", "%")

Value = str | int | date | time | None


@dataclass(frozen=True)
class Column:
    title: str
    width: int = 20  # in characters, for XLSX


@dataclass
class Table:
    """A sheet: its title (the XLSX sheet name), file name without extension, columns and
    rows of plain values (text, numbers, dates, times or None)."""

    title: str
    filename: str
    columns: Sequence[Column]
    rows: list[list[Value]] = field(default_factory=list)

    def add(self, row: Iterable[Value]) -> None:
        values = list(row)
        if len(values) != len(self.columns):
            raise ValueError(f"{len(values)} values for {len(self.columns)} columns")
        self.rows.append(values)


def csv_text(value: Value) -> str:
    """A CSV cell that Excel shows as text, never runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    text = str(value)
    if text[:1] in FORMULA_START:
        return "'" + text
    return text


def as_csv(table: Table) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads UTF-8 only with a byte order mark
    writer = csv.writer(out, delimiter=";")
    writer.writerow([c.title for c in table.columns])
    for row in table.rows:
        writer.writerow([csv_text(v) for v in row])
    return out.getvalue().encode("utf-8")


def as_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    # A sheet name is at most 31 characters and has none of []:*?/\
    sheet.title = "".join(c for c in table.title if c not in "[]:*?/\\")[:31] or "Ark"
    bold = Font(bold=True)
    for col, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=1, column=col, value=column.title)
        cell.font = bold
        sheet.column_dimensions[get_column_letter(col)].width = column.width
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(table.rows, start=2):
        for col, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=col)
            if isinstance(value, datetime):
                value = value.date()
            if isinstance(value, date):
                cell.value = value
                cell.number_format = DATE_FORMAT
            elif isinstance(value, time):
                cell.value = value
                cell.number_format = TIME_FORMAT
            elif isinstance(value, int):
                cell.value = value
            elif value not in (None, ""):
                cell.value = str(value)
                cell.data_type = "s"  # openpyxl would take a leading "=" as a formula
                cell.alignment = wrap
    last = get_column_letter(len(table.columns))
    sheet.auto_filter.ref = f"A1:{last}{max(1, len(table.rows) + 1)}"
    sheet.freeze_panes = "B2"
    sheet.print_title_rows = "1:1"
    book.properties.title = table.title
    book.properties.language = "nn-NO"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def response(request: HttpRequest, table: Table, fmt: str) -> HttpResponse:
    """``table`` as a download in ``fmt`` ("csv" or "xlsx").

    Like a PDF export, what it holds may depend on who asks (drafts are the secretariat's),
    so it varies on the session cookie and a logged-in user's copy stays private."""
    content = as_xlsx(table) if fmt == "xlsx" else as_csv(table)
    served = HttpResponse(content, content_type=FORMATS[fmt])
    served["Content-Disposition"] = content_disposition_header(True, f"{table.filename}.{fmt}")
    if request.user.is_authenticated:
        served["Cache-Control"] = "private, no-cache"
    patch_vary_headers(served, ["Cookie"])
    return served
