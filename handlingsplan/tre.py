"""The plan as a tree (innsatsområde → delmål → tiltak), now or as it stood on a past date."""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.apps import apps
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from avtalar.models import Avtale
from handlingsplan.access import avtalar_for_tiltak, tiltak_for_lists, tiltak_visible_to
from handlingsplan.models import Delmal, Framdrift, Handlingsplan, Innsatsomrade, Tiltak


def gjeldande_plan() -> Handlingsplan | None:
    """The plan whose period covers this year; else the newest that has started; else the
    newest."""
    year = timezone.localdate().year
    rank = Case(
        When(fra_ar__lte=year, til_ar__gte=year, then=Value(2)),
        When(fra_ar__lte=year, then=Value(1)),
        default=Value(0),
    )
    return Handlingsplan.objects.order_by(rank.desc(), "-fra_ar", "-til_ar").first()


def merk(tiltak: list[Tiltak], user) -> list[Tiltak]:
    """Attach what a tiltak's row shows but the model does not hold directly: who is
    ansvarleg (their names as the plan writes them, and the slugs the filter matches), the
    agreements ``user`` may see, and whether it is over its frist. Three queries of plain
    values for any number of tiltak: Django's prefetch would make a related manager and a
    queryset per tiltak and relation, a third of building the plan's tree."""
    by_pk = {t.pk: t for t in tiltak}
    avtaleliste: dict[int, list[Avtale]] = {t.pk: [] for t in tiltak}
    for t in tiltak:
        t.ansvarleg, t.utval_slugs, t.partnar_slugs = [], set(), set()
        t.avtaleliste = avtaleliste[t.pk]
    # Utval first, then partners, each in its model's order, as the plan names them.
    for relation, target, order, slugs in (
        (Tiltak.ansvarleg_utval, "utval", ("rekkjefolgje", "namn"), "utval_slugs"),
        (Tiltak.ansvarleg_partnarar, "partnar", ("type", "namn"), "partnar_slugs"),
    ):
        rows = relation.through.objects.filter(tiltak_id__in=by_pk).order_by(
            *(f"{target}__{name}" for name in order), f"{target}_id"
        )
        for pk, namn, kortnamn, slug in rows.values_list(
            "tiltak_id", f"{target}__namn", f"{target}__kortnamn", f"{target}__slug"
        ):
            by_pk[pk].ansvarleg.append(kortnamn or namn)
            getattr(by_pk[pk], slugs).add(slug)
    avtalar = Tiltak.avtalar.through.objects.filter(
        tiltak_id__in=by_pk, avtale__in=avtalar_for_tiltak(user)
    )
    for pk, avtale_pk, tittel, slug in avtalar.order_by(
        "avtale__type", "avtale__rekkjefolgje", "avtale__tittel", "avtale_id"
    ).values_list("tiltak_id", "avtale_id", "avtale__tittel", "avtale__slug"):
        avtaleliste[pk].append(Avtale(pk=avtale_pk, tittel=tittel, slug=slug))
    for t in tiltak:
        if t.alle_partnarar:
            t.ansvarleg.append("Partnarane")
        if t.ansvarleg_anna:
            t.ansvarleg.append(t.ansvarleg_anna)
        t.over_frist = t.er_over_frist()
    return tiltak


@dataclass
class Filter:
    status: str = ""
    ansvarleg: str = ""
    pasientgruppe: str = ""
    over_frist: bool = False

    @property
    def aktivt(self) -> bool:
        return bool(self.status or self.ansvarleg or self.pasientgruppe or self.over_frist)

    def passar(self, t: Tiltak, idag: date) -> bool:
        if self.status == "ukjend" and t.status:
            return False
        if self.status == "ikkje_ferdig" and t.status in Tiltak.FERDIG:
            return False
        if self.status not in ("", "ukjend", "ikkje_ferdig") and t.status != self.status:
            return False
        if self.pasientgruppe and str(t.pasientgruppe_id) != self.pasientgruppe:
            return False
        if self.over_frist and not (t.frist and t.frist < idag and t.status not in Tiltak.FERDIG):
            return False
        if self.ansvarleg:
            kind, _, slug = self.ansvarleg.partition("-")
            if kind == "utval" and slug not in t.utval_slugs:
                return False
            # A tiltak for the partners together concerns each of them.
            if kind == "partnar" and slug not in t.partnar_slugs and not t.alle_partnarar:
                return False
            if self.ansvarleg == "alle-partnarar" and not t.alle_partnarar:
                return False
        return True


@dataclass
class Tre:
    plan: Handlingsplan
    omrade: list = field(default_factory=list)
    dato: date | None = None
    tal_tiltak: int = 0
    tal_over_frist: int = 0
    framdrift: dict = field(default_factory=dict)


def slutten_av(dato: date) -> datetime:
    return timezone.make_aware(datetime.combine(dato, time.max))


def bygg_tre(
    plan: Handlingsplan, filter: Filter | None = None, dato: date | None = None, user=None
) -> Tre:
    """The plan's tree as ``user`` may see it (``None`` is the public)."""
    filter = filter or Filter()
    idag = dato or timezone.localdate()
    if dato is None:
        omrade = list(Innsatsomrade.objects.filter(plan=plan).order_by("nummer"))
        delmal = list(
            Delmal.objects.filter(innsatsomrade__plan=plan).order_by("rekkjefolgje", "nummer", "pk")
        )
        tiltak = merk(
            list(
                tiltak_for_lists(
                    tiltak_visible_to(user)
                    .filter(delmal__innsatsomrade__plan=plan)
                    .order_by("rekkjefolgje", "pk")
                )
            ),
            user,
        )
    else:
        omrade, delmal, tiltak = _som_det_stod(plan, slutten_av(dato))
    tre = Tre(plan=plan, dato=dato)
    siste = framdrift_til([t.pk for t in tiltak], dato)
    for t in tiltak:
        t.siste_framdrift = next(iter(siste.get(t.pk, [])), None)
    by_delmal: dict[int, list] = {}
    for t in tiltak:
        t.over_frist = bool(t.frist and t.frist < idag and t.status not in Tiltak.FERDIG)
        tre.tal_tiltak += 1
        tre.tal_over_frist += t.over_frist
        if filter.passar(t, idag):
            by_delmal.setdefault(t.delmal_id, []).append(t)
    by_omrade: dict[int, list] = {}
    for d in delmal:
        d.tiltak_liste = by_delmal.get(d.pk, [])
        if filter.aktivt and not d.tiltak_liste:
            continue
        by_omrade.setdefault(d.innsatsomrade_id, []).append(d)
    for io in omrade:
        io.delmal_liste = by_omrade.get(io.pk, [])
        for d in io.delmal_liste:
            d.innsatsomrade = io  # the templates ask; no query per delmål
        if filter.aktivt and not io.delmal_liste:
            continue
        tre.omrade.append(io)
    return tre


def _som_det_stod(plan: Handlingsplan, moment: datetime):
    """Innsatsområde, delmål and tiltak from their history as of ``moment``."""
    omrade = sorted(
        Innsatsomrade.history.as_of(moment).filter(plan_id=plan.pk), key=lambda io: io.nummer
    )
    io_ids = [io.pk for io in omrade]
    delmal = sorted(
        Delmal.history.as_of(moment).filter(innsatsomrade_id__in=io_ids),
        key=lambda d: (d.rekkjefolgje, d.nummer, d.pk),
    )
    records = (
        Tiltak.history.filter(history_date__lte=moment)
        .latest_of_each()
        .filter(delmal_id__in=[d.pk for d in delmal])
        .select_related("pasientgruppe")
    )
    records = list(records)
    utval_at = _historical_m2m("ansvarleg_utval", "utval", records)
    partnarar_at = _historical_m2m("ansvarleg_partnarar", "partnar", records)
    tiltak = []
    for record in records:
        t = record.instance
        utval = sorted(utval_at.get(record.history_id, []), key=lambda u: (u.rekkjefolgje, u.namn))
        partnarar = sorted(partnarar_at.get(record.history_id, []), key=lambda p: p.namn)
        t.utval_slugs = {u.slug for u in utval}
        t.partnar_slugs = {p.slug for p in partnarar}
        t.ansvarleg = [u.kortnamn or u.namn for u in utval] + [
            p.kortnamn or p.namn for p in partnarar
        ]
        if t.alle_partnarar:
            t.ansvarleg.append("Partnarane")
        if t.ansvarleg_anna:
            t.ansvarleg.append(t.ansvarleg_anna)
        t.pasientgruppe = record.pasientgruppe
        t.historisk = True
        tiltak.append(t)
    tiltak.sort(key=lambda t: (t.rekkjefolgje, t.pk))
    return omrade, delmal, tiltak


def _historical_m2m(field: str, target: str, records) -> dict[int, list]:
    """What a many-to-many field held in each historical record: one query for all."""
    through = apps.get_model("handlingsplan", f"HistoricalTiltak_{field}")
    result: dict[int, list] = {}
    rows = through.objects.filter(history_id__in=[r.history_id for r in records])
    for row in rows.select_related(target):
        value = getattr(row, target)
        if value is not None:
            result.setdefault(row.history_id, []).append(value)
    return result


def framdrift_til(tiltak_ids, dato: date | None = None) -> dict[int, list[Framdrift]]:
    """Progress reports per tiltak, newest first, up to ``dato``."""
    qs = Framdrift.objects.filter(tiltak_id__in=tiltak_ids).select_related("registrert_av")
    if dato:
        qs = qs.filter(Q(dato__lte=dato))
    result: dict[int, list[Framdrift]] = {}
    for f in qs.order_by("-dato", "-registrert", "-pk"):
        result.setdefault(f.tiltak_id, []).append(f)
    return result
