"""What the partnership's bodies and partners contribute to the front page, the search index
(partnarskap/search.py) and the follow-up list."""

from datetime import timedelta

from django.db.models import Prefetch
from django.urls import reverse

from partnarskap.arshjul import punkt_i_manad
from partnarskap.models import MANADER, Arshjulpunkt, Medlemskap, Utval, today
from partnarskap.rules import representation
from portal.hooks import Hooks, Oppfolging, Seksjon


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
    def search_sources(self):
        from partnarskap.search import search_sources

        return search_sources()

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
        # The rules look at today's seats only: fetch those, with their partner and person.
        current = Medlemskap.objects.gjeldande(now).select_related("partnar", "person")
        utval_list = Utval.objects.filter(aktiv=True).prefetch_related(
            Prefetch("medlemskap", queryset=current)
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
