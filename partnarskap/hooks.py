"""What the partnership's bodies and partners contribute to the front page, the search index
(partnarskap/search.py) and the follow-up list."""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse

from partnarskap.arshjul import punkt_i_manad
from partnarskap.models import MANADER, Arshjulpunkt, Medlemskap, Utval, today
from portal.hooks import Hooks, Kategori, Oppfolging, Seksjon, som_kategoriar


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

    def til_oppfolging(self, request, grense=None) -> list[Kategori]:
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
        # The first two representation rules (partnarskap.rules), asked of the database:
        # whether today's seats include users and GPs.
        seats = Medlemskap.objects.gjeldande(now).filter(utval=OuterRef("pk"))
        utval_list = (
            Utval.objects.filter(aktiv=True)
            .exclude(type=Utval.Type.ARBEIDSGRUPPE)
            .annotate(
                brukar=Exists(seats.filter(gruppe=Medlemskap.Gruppe.BRUKAR)),
                fastlege=Exists(seats.filter(gruppe=Medlemskap.Gruppe.FASTLEGE)),
            )
        )
        for utval in utval_list:
            for lacking, present in (
                ("brukarrepresentant", utval.brukar),
                ("fastlege", utval.fastlege),
            ):
                if not present:
                    items.append(
                        Oppfolging(
                            "Utval utan brukar eller fastlege",
                            f"{utval.visingsnamn} manglar {lacking}",
                            utval.get_absolute_url(),
                        )
                    )
        items.extend(_arshjul_oppfolging())
        return som_kategoriar(items)  # no page of their own lists these
