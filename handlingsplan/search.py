"""What the action plan puts in the search index (portal.search_index): every tiltak and
delmål of every period that the public may see (handlingsplan.access: the plan is public)."""

from handlingsplan.access import delmal_visible_to, tiltak_visible_to
from handlingsplan.models import Delmal, Handlingsplan, Innsatsomrade, Tiltak
from portal.search_index import Entry, Source


def kort(text: str, length: int = 90) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _tiltak(tiltak: Tiltak) -> Entry:
    plan = tiltak.delmal.innsatsomrade.plan
    return Entry(
        object_id=tiltak.pk,
        title=kort(tiltak.tekst),
        url=tiltak.get_absolute_url(),
        text_a=tiltak.tekst,
        text_b=tiltak.kommentar,
        note=f"Tiltak under delmål {tiltak.delmal.nummer}, {plan.tittel}",
    )


def _delmal(delmal: Delmal) -> Entry:
    plan = delmal.innsatsomrade.plan
    return Entry(
        object_id=delmal.pk,
        title=f"Delmål {delmal.nummer} {kort(delmal.tekst)}",
        url=f"{plan.get_absolute_url()}#delmal-{delmal.pk}",
        text_a=delmal.tekst,
        note=f"Delmål i innsatsområde {delmal.innsatsomrade.nummer}, {plan.tittel}",
    )


def _pks(queryset) -> list[int]:
    return list(queryset.values_list("pk", flat=True))


def search_sources() -> list[Source]:
    return [
        Source(
            "tiltak",
            "Handlingsplan",
            Tiltak,
            queryset=lambda: tiltak_visible_to(None).select_related("delmal__innsatsomrade__plan"),
            entry=_tiltak,
            follows=(
                (Delmal, lambda delmal: _pks(delmal.tiltak)),
                (
                    Handlingsplan,
                    lambda plan: _pks(Tiltak.objects.filter(delmal__innsatsomrade__plan=plan)),
                ),
            ),
            order=30,
        ),
        Source(
            "delmal",
            "Handlingsplan",
            Delmal,
            queryset=lambda: delmal_visible_to(None).select_related("innsatsomrade__plan"),
            entry=_delmal,
            follows=(
                (Innsatsomrade, lambda omrade: _pks(omrade.delmal)),
                (Handlingsplan, lambda plan: _pks(Delmal.objects.filter(innsatsomrade__plan=plan))),
            ),
            order=31,
        ),
    ]
