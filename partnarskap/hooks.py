"""What the partnership's bodies and partners contribute to the front page, the search index
(partnarskap/search.py) and the follow-up list."""

from datetime import timedelta

from django.db.models import Count, Min, Q, QuerySet
from django.urls import reverse

from partnarskap.arshjul import punkt_i_manad
from partnarskap.models import MANADER, Arshjulpunkt, Medlemskap, Utval, today
from partnarskap.rules import utval_med_brukar_og_fastlege
from portal.hooks import Hooks, Kategori, Oppfolging, Punkt, Seksjon, kategori, som_kategoriar


def _arshjul_oppfolging(grense: int | None) -> list[Kategori]:
    """Active årshjul items whose month, or (every other year) years, nobody has fixed; the
    årshjul lists them all."""
    url = reverse("partnarskap:arshjul")
    unfixed = (
        Arshjulpunkt.objects.filter(aktiv=True)
        .filter(
            Q(manad__isnull=True)
            | Q(intervall=Arshjulpunkt.Intervall.ANNAKVART, startar__isnull=True)
        )
        .order_by("tittel", "pk")
    )

    def punkt(rows: list[Arshjulpunkt]) -> list[Punkt]:
        items: list[Punkt] = []
        for p in rows:
            lacking = [w for w, no in (("månad", p.manad is None), ("år", p.ar_ukjent)) if no]
            items.append(
                (
                    f"{p.tittel}: {' og '.join(lacking)} ikkje fastsett",
                    f"{url}#arshjulpunkt-{p.pk}",
                    None,
                )
            )
        return items

    return kategori("Årshjulpunkt utan fastsett tid", unfixed, punkt, grense, url)


def _ending_by_utval(ending: QuerySet[Medlemskap], grense: int) -> list[Kategori] | None:
    """More than ``grense`` seats ending soon: one item per utval (its page lists its seats
    with their end dates), with how many and the first date; None when they are few enough
    to name one by one."""
    tal = ending.count()
    if tal <= grense:
        return None
    utval = Utval.objects.in_bulk()
    per_utval = (
        ending.order_by()
        .values("utval")
        .annotate(n=Count("pk"), forste=Min("til"))
        .order_by("forste")
    )
    namn = "Medlemskap som går ut innan seks månader"
    items = [
        Oppfolging(
            namn,
            f"{utval[row['utval']].visingsnamn}: {row['n']} medlemskap går ut innan seks månader",
            utval[row["utval"]].get_absolute_url(),
            row["forste"],
        )
        for row in per_utval
    ]
    return [Kategori(namn, items, tal)]


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
            .order_by("til", "pk")
        )
        kinds = _ending_by_utval(ending, grense) if grense is not None else None
        if kinds is None:
            for seat in ending:
                items.append(
                    Oppfolging(
                        "Medlemskap som går ut innan seks månader",
                        f"{seat.person.namn} i {seat.utval.visingsnamn}",
                        seat.utval.get_absolute_url(),
                        seat.til,
                    )
                )
        for utval in utval_med_brukar_og_fastlege(now):
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
        return [
            *(kinds or []),
            *som_kategoriar(items),  # no page of their own lists these
            *_arshjul_oppfolging(grense),
        ]
