"""Who has signed which agreement version: the agreement page's list, the signing overview
(agreements × Helse Førde and the municipalities) with its CSV and XLSX exports, and the
versions still waiting for signatures some weeks after approval ("til oppfølging").

A party that has no signing recorded has "ikkje signert": the shipped data records none,
since the source documents give none, and nothing is filled in to look complete.
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from avtalar.models import Avtale, Avtaleversjon, Signering, gjeldande_id
from partnarskap.models import Partnar, today

SIGNERT = "signert"
IKKJE_SIGNERT = "ikkje_signert"
IKKJE_PART = "ikkje_part"
INGEN_VERSJON = "ingen_versjon"
TEKST = {
    SIGNERT: "Signert",
    IKKJE_SIGNERT: "Ikkje signert",
    IKKJE_PART: "Ikkje part",
    INGEN_VERSJON: "Ingen gjeldande versjon",
}


@dataclass
class Celle:
    partnar: Partnar
    status: str
    signering: Signering | None = None

    @property
    def tekst(self) -> str:
        if self.signering:
            return f"Signert {self.signering.dato:%d.%m.%Y}"
        return TEKST[self.status]


def signeringspartar() -> list[Partnar]:
    """The columns of the overview: Helse Førde and the municipalities, today's."""
    return list(
        Partnar.objects.filter(
            type__in=(Partnar.Type.HELSEFORETAK, Partnar.Type.KOMMUNE), avslutta__isnull=True
        ).order_by("type", "namn")
    )


def med_signeringar(avtalar: QuerySet[Avtale]) -> QuerySet[Avtale]:
    """``avtalar`` with their versions and each version's signings prefetched."""
    signings = Signering.objects.select_related("partnar").order_by()
    versions = Avtaleversjon.objects.order_by().prefetch_related(
        Prefetch("signeringar", queryset=signings)
    )
    return avtalar.prefetch_related(
        Prefetch("versjonar", queryset=versions),
        Prefetch("partar", queryset=Partnar.objects.order_by("type", "namn")),
    )


def celle(
    partnar: Partnar, er_part: bool, version: Avtaleversjon | None, signed: dict[int, Signering]
) -> Celle:
    """One partner against a version: ``signed`` is the version's signings by partner."""
    if not er_part:
        return Celle(partnar, IKKJE_PART)
    if version is None:
        return Celle(partnar, INGEN_VERSJON)
    if partnar.pk in signed:
        return Celle(partnar, SIGNERT, signed[partnar.pk])
    return Celle(partnar, IKKJE_SIGNERT)


def status_for(avtale: Avtale, partnarar: list[Partnar], on: date | None = None) -> list[Celle]:
    """Each of ``partnarar`` against the agreement's current version (prefetched)."""
    version = avtale.gjeldande_versjon(on)
    parties = {p.pk for p in avtale.partar.all()}
    signed = {s.partnar_id: s for s in version.signeringar.all()} if version else {}
    return [celle(p, p.pk in parties, version, signed) for p in partnarar]


def partar_status(avtale: Avtale, on: date | None = None) -> list[Celle]:
    """The agreement's own parties, each once, against its current version."""
    return status_for(avtale, list(avtale.partar.all()), on)


@dataclass
class Rad:
    avtale: Avtale
    versjon: Avtaleversjon | None
    celler: list[Celle]


def oversikt(avtalar: QuerySet[Avtale], on: date | None = None) -> tuple[list[Partnar], list[Rad]]:
    """The overview: one row per agreement that is not repealed, a column per party."""
    columns = signeringspartar()
    rows = []
    qs = med_signeringar(avtalar.exclude(status=Avtale.Status.OPPHEVA)).order_by(
        "type", "rekkjefolgje", "tittel"
    )
    order = {t: i for i, t in enumerate(Avtale.Type.values)}
    for avtale in sorted(qs, key=lambda a: order[a.type]):
        rows.append(Rad(avtale, avtale.gjeldande_versjon(on), status_for(avtale, columns, on)))
    return columns, rows


def frist(version: Avtaleversjon) -> date | None:
    """When every party should have signed: some weeks after approval (unknown when the
    version's approval date is)."""
    approved = version.godkjent_dato
    if approved is None:
        return None
    return approved + timedelta(weeks=settings.SIGNERING_OPPFOLGING_VEKER)


def seint_signerte(avtalar: QuerySet[Avtale], on: date | None = None) -> QuerySet[Avtaleversjon]:
    """The current versions of ``avtalar`` that a party has not signed once their deadline
    has passed, the earliest deadline first: found in the database, so that the front page
    can count them and fetch a few."""
    on = on or today()
    approved_before = on - timedelta(weeks=settings.SIGNERING_OPPFOLGING_VEKER)  # frist < on
    current = avtalar.exclude(status=Avtale.Status.OPPHEVA).annotate(v=gjeldande_id(on))
    signed = Signering.objects.filter(versjon=OuterRef(OuterRef("pk")), partnar=OuterRef("partnar"))
    unsigned_party = Avtale.partar.through.objects.filter(avtale=OuterRef("avtale")).filter(
        ~Exists(signed)
    )
    return (
        Avtaleversjon.objects.filter(pk__in=current.values("v"), godkjent_dato__lt=approved_before)
        .filter(Exists(unsigned_party))
        .select_related("avtale")
        .order_by("godkjent_dato", "avtale__tittel", "pk")
    )


def til_oppfolging(versions: Iterable[Avtaleversjon]) -> list[tuple[Rad, date]]:
    """Each of ``versions`` (from ``seint_signerte``) with its parties' cells and its
    deadline, from plain rows (which partner is party to what; who signed which version)
    with each partner made once."""
    due = [(v.avtale, v, deadline) for v in versions if (deadline := frist(v)) is not None]
    if not due:
        return []
    partners = Partnar.objects.in_bulk()
    parties: dict[int, list[Partnar]] = {}
    party_rows = Avtale.partar.through.objects.filter(avtale__in=[a for a, _v, _d in due])
    for avtale_id, partnar_id in party_rows.values_list("avtale_id", "partnar_id"):
        parties.setdefault(avtale_id, []).append(partners[partnar_id])
    signed: dict[int, dict[int, Signering]] = {}
    for s in Signering.objects.filter(versjon__in=[v for _a, v, _d in due]):
        signed.setdefault(s.versjon_id, {})[s.partnar_id] = s
    late = []
    for avtale, version, deadline in due:
        own = sorted(parties.get(avtale.pk, []), key=lambda p: (p.type, p.namn))
        cells = [celle(p, True, version, signed.get(version.pk, {})) for p in own]
        late.append((Rad(avtale, version, cells), deadline))
    return late


# --- Exports ---


def _tabell(columns: list[Partnar], rows: list[Rad]) -> list[list]:
    header = ["Avtale", "Type", "Gjeldande versjon", *[p.namn for p in columns]]
    table: list[list] = [header]
    for row in rows:
        version = ""
        if row.versjon:
            version = row.versjon.versjon or row.versjon.dato_tekst or "Versjon"
        cells = [c.signering.dato if c.signering else TEKST[c.status] for c in row.celler]
        table.append([row.avtale.tittel, row.avtale.get_type_display(), version, *cells])
    return table


def som_csv(columns: list[Partnar], rows: list[Rad]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")  # what a Norwegian Excel opens as columns
    for line in _tabell(columns, rows):
        writer.writerow([v.isoformat() if isinstance(v, date) else v for v in line])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM tells Excel it is UTF-8


def som_xlsx(columns: list[Partnar], rows: list[Rad]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Signering"
    for line in _tabell(columns, rows):
        sheet.append(line)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = "DD.MM.YYYY"
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
