"""What the partnership's bodies and partners contribute to the front page and the search."""

from datetime import timedelta

from partnarskap.models import Medlemskap, Partnar, Utval, today
from partnarskap.rules import representation
from portal.hooks import Oppfolging, Treff
from portal.search import fulltekst, utdrag


def sok(query: str, user) -> list[Treff]:
    hits = []
    for utval in fulltekst(
        Utval.objects.all(), {"namn": "A", "kortnamn": "A", "mandat": "B"}, query
    )[:20]:
        hits.append(
            Treff(
                "Utval",
                utval.visingsnamn,
                utval.get_absolute_url(),
                utdrag(utval.mandat, query),
                utval.rang,
            )
        )
    for partnar in fulltekst(
        Partnar.objects.all(), {"namn": "A", "kortnamn": "A", "skildring": "B"}, query
    )[:20]:
        hits.append(
            Treff(
                "Partnarar",
                partnar.namn,
                partnar.get_absolute_url(),
                utdrag(partnar.skildring, query),
                partnar.rang,
            )
        )
    return hits


def til_oppfolging(request) -> list[Oppfolging]:
    now = today()
    items = []
    ending = (
        Medlemskap.objects.filter(til__gte=now, til__lte=now + timedelta(days=183))
        .select_related("person", "utval")
        .order_by("til")
    )
    for seat in ending:
        items.append(
            Oppfolging(
                "Medlemskap som går ut innan seks månader",
                f"{seat.person.namn} i {seat.utval.visingsnamn}",
                seat.utval.get_absolute_url(),
                seat.til,
            )
        )
    utval_list = Utval.objects.filter(aktiv=True).prefetch_related(
        "medlemskap__partnar", "medlemskap__person"
    )
    for utval in utval_list:
        rules = representation(utval, list(utval.medlemskap.all()))[:2]
        for rule, lacking in zip(rules, ("brukarrepresentant", "fastlege"), strict=False):
            if not rule.ok:
                items.append(
                    Oppfolging(
                        "Utval utan brukar eller fastlege",
                        f"{utval.visingsnamn} manglar {lacking}",
                        utval.get_absolute_url(),
                    )
                )
    return items
