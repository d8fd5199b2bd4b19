"""What the partnership's bodies and partners contribute to the front page and the search."""

from datetime import timedelta

from django.urls import reverse

from partnarskap.access import arshjulpunkt_visible_to, partnarar_visible_to, utval_visible_to
from partnarskap.arshjul import punkt_i_manad
from partnarskap.models import MANADER, Arshjulpunkt, Medlemskap, Utval, today
from partnarskap.rules import representation
from portal.hooks import Hooks, Oppfolging, Seksjon, Treff
from portal.search import fulltekst, utdrag


def _arshjul_oppfolging() -> list[Oppfolging]:
    url = reverse("partnarskap:arshjul")
    items = []
    for punkt in Arshjulpunkt.objects.filter(aktiv=True).order_by("tittel"):
        missing = [
            what
            for what, lacking in (("månad", punkt.manad is None), ("år", punkt.ar_ukjent))
            if lacking
        ]
        if missing:
            items.append(
                Oppfolging(
                    "Årshjulpunkt utan fastsett tid",
                    f"{punkt.tittel}: {' og '.join(missing)} ikkje fastsett",
                    f"{url}#arshjulpunkt-{punkt.pk}",
                )
            )
    return items


class PartnarskapHooks(Hooks):
    def sok(self, query: str, user) -> list[Treff]:
        hits = []
        for utval in fulltekst(
            utval_visible_to(user), {"namn": "A", "kortnamn": "A", "mandat": "B"}, query
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
            partnarar_visible_to(user), {"namn": "A", "kortnamn": "A", "skildring": "B"}, query
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
        arshjul = reverse("partnarskap:arshjul")
        for punkt in fulltekst(
            arshjulpunkt_visible_to(user).filter(aktiv=True),
            {"tittel": "A", "skildring": "B"},
            query,
        )[:20]:
            hits.append(
                Treff(
                    "Årshjul",
                    punkt.tittel,
                    f"{arshjul}#arshjulpunkt-{punkt.pk}",
                    utdrag(f"{punkt.tittel}. {punkt.skildring}", query),
                    punkt.rang,
                )
            )
        return hits

    def framside(self, request) -> list[Seksjon]:
        """This month's recurring work from the årshjul (the meetings have their own section)."""
        now = today()
        return [
            Seksjon(
                f"Årshjulet i {MANADER[now.month - 1][1]}",
                "partnarskap/_framside_arshjul.html",
                {"punkt": punkt_i_manad(now.year, now.month), "ar": now.year},
                rekkjefolgje=80,
            )
        ]

    def til_oppfolging(self, request) -> list[Oppfolging]:
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
        items.extend(_arshjul_oppfolging())
        return items
