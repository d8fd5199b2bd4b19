"""Starting the next plan period from the current one."""

from django.db import transaction

from handlingsplan.models import Delmal, Handlingsplan, Innsatsomrade, Tiltak
from portal.editing import save_with_relations

REASON = "Vidareført frå {periode}"


@transaction.atomic
def start_ny_periode(
    forrige: Handlingsplan, fra_ar: int, til_ar: int, tittel: str
) -> Handlingsplan:
    """A new plan with the old one's hovudmål, innsatsområde and delmål, and every unfinished
    tiltak carried over with a link back to where it came from. Finished tiltak stay behind."""
    reason = REASON.format(periode=forrige.periode)
    plan = Handlingsplan(
        tittel=tittel,
        fra_ar=fra_ar,
        til_ar=til_ar,
        hovudmal=forrige.hovudmal,
        undertittel=forrige.undertittel,
        strategi=forrige.strategi,
        forgjengar=forrige,
    )
    plan._change_reason = reason
    plan.save()
    old_tiltak = (
        Tiltak.objects.filter(delmal__innsatsomrade__plan=forrige)
        .exclude(status__in=Tiltak.FERDIG)
        .prefetch_related("ansvarleg_utval", "ansvarleg_partnarar", "avtalar")
        .order_by("rekkjefolgje", "pk")
    )
    by_delmal: dict[int, list[Tiltak]] = {}
    for t in old_tiltak:
        by_delmal.setdefault(t.delmal_id, []).append(t)
    for old_io in forrige.innsatsomrade.prefetch_related("delmal"):
        io = Innsatsomrade(plan=plan, nummer=old_io.nummer, tittel=old_io.tittel, mal=old_io.mal)
        io._change_reason = reason
        io.save()
        for old_d in old_io.delmal.all():
            d = Delmal(
                innsatsomrade=io,
                nummer=old_d.nummer,
                tekst=old_d.tekst,
                rekkjefolgje=old_d.rekkjefolgje,
            )
            d._change_reason = reason
            d.save()
            for old_t in by_delmal.get(old_d.pk, []):
                _vidarefor(old_t, d, reason)
    return plan


def _vidarefor(old: Tiltak, delmal: Delmal, reason: str) -> Tiltak:
    new = Tiltak(
        delmal=delmal,
        tekst=old.tekst,
        alle_partnarar=old.alle_partnarar,
        ansvarleg_anna=old.ansvarleg_anna,
        frist=old.frist,
        frist_tekst=old.frist_tekst,
        status=old.status,
        kommentar=old.kommentar,
        rekkjefolgje=old.rekkjefolgje,
        pasientgruppe_id=old.pasientgruppe_id,
        vidarefort_fra=old,
    )

    def set_relations() -> None:
        new.ansvarleg_utval.set(old.ansvarleg_utval.all())
        new.ansvarleg_partnarar.set(old.ansvarleg_partnarar.all())
        new.avtalar.set(old.avtalar.all())

    save_with_relations(new, set_relations, reason)
    return new
