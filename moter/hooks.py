"""What meetings contribute to the front page, the search index (moter/search.py), the
secretariat's follow-up list, an utval's page (following it) and the årshjul (see
portal.hooks)."""

from datetime import timedelta

from django.urls import reverse

from moter import syklus
from moter.access import moter_visible_to, saker_som_gjeld_partnar
from moter.models import Folging, Leveranse, Mote, Referat, Utsending
from partnarskap.models import Medlemskap, today
from portal.access import member_utval_ids
from portal.hooks import (
    Arshjulmote,
    Hooks,
    Kategori,
    Oppfolging,
    Punkt,
    Seksjon,
    kategori,
    som_kategoriar,
)


def _ein_per_utval(moter) -> list[Mote]:
    """The first meeting of each utval (each conference on its own), in the given order."""
    seen, result = set(), []
    for mote in moter[:60]:
        key = mote.utval_id or f"konferanse-{mote.pk}"
        if key not in seen:
            seen.add(key)
            result.append(mote)
    return result


def _neste_per_utval(user, fra) -> list[Mote]:
    coming = (
        moter_visible_to(user)
        .filter(dato__gte=fra)
        .exclude(status=Mote.Status.AVLYST)
        .select_related("utval")
        .order_by("dato", "start")
    )
    return _ein_per_utval(coming)


def _siste_per_utval(user, today) -> list[Mote]:
    """Each utval's last held meeting, the newest first."""
    held = moter_visible_to(user).halde(today).select_related("utval").order_by("-dato", "-pk")
    return _ein_per_utval(held)


# "Recent" saker on a partner's page: those of the last year's meetings, and coming ones.
SISTE_SAKER = timedelta(days=365)


class MoterHooks(Hooks):
    def search_sources(self):
        from moter.search import search_sources

        return search_sources()

    def framside(self, request) -> list[Seksjon]:
        now = today()
        moter = _neste_per_utval(request.user, now)
        mine = [m for m in moter if m.utval_id in member_utval_ids(request.user)]
        # This year's plan, and next year's too once the next meeting is in it.
        ar = sorted({now.year, *(m.dato.year for m in moter[:1])})
        return [
            Seksjon(
                "Neste møte",
                "moter/_framside.html",
                {
                    "moter": moter,
                    "mine": mine,
                    "siste": _siste_per_utval(request.user, now),
                    "alle": reverse("moter:oversikt"),
                    "ar": ar,
                },
                rekkjefolgje=20,
            )
        ]

    def til_oppfolging(self, request, grense=None) -> list[Kategori]:
        now = today()
        items = []
        soon = (
            moter_visible_to(request.user)
            .filter(dato__gte=now, dato__lte=now + timedelta(weeks=4))
            .filter(status=Mote.Status.PLANLAGT)
            .select_related("utval")
        )
        for mote in soon:
            items.append(
                Oppfolging(
                    "Møte utan innkalling og møtepakke",
                    f"{mote.namn}: møtet er innan fire veker, men innkallinga er ikkje send",
                    mote.get_absolute_url(),
                    mote.dato,
                )
            )
        failed = (
            Utsending.objects.filter(
                leveransar__status=Leveranse.Status.FEILA, mote__dato__gte=now - timedelta(weeks=1)
            )
            .distinct()
            .select_related("mote", "mote__utval")
        )
        for sending in failed:
            items.append(
                Oppfolging(
                    "E-post som ikkje kom fram",
                    f"{sending.mote.namn}: {sending.get_type_display().lower()} kom ikkje fram "
                    "til alle",
                    f"{sending.mote.get_absolute_url()}#innkalling",
                    sending.mote.dato,
                )
            )
        # The meeting cycle has a page of its own (moter:oppfolging) that lists it whole.
        cycle = syklus.oppfolging_moter(moter_visible_to(request.user))
        alle = reverse("moter:oppfolging")

        def without_referat(moter: list[Mote]) -> list[Punkt]:
            return [
                (
                    f"{mote.namn}: møtet er halde, men referatet er ikkje ført",
                    reverse("moter:referat_endre", args=[mote.pk]),
                    mote.dato,
                )
                for mote in moter
            ]

        def waiting(referat_list: list[Referat]) -> list[Punkt]:
            return [
                (
                    f"Referatet frå {referat.mote.namn} er ikkje godkjent",
                    referat.get_absolute_url(),
                    referat.mote.dato,
                )
                for referat in referat_list
            ]

        return [
            *som_kategoriar(items),
            *kategori(
                "Haldne møte utan referat", cycle["utan_referat"], without_referat, grense, alle
            ),
            *kategori("Referat som ikkje er godkjende", cycle["ventar"], waiting, grense, alle),
        ]

    def utval_seksjonar(self, request, utval) -> list[Seksjon]:
        from moter.varsel import adresse

        user = request.user
        context = {"utval": utval, "innlogga": user.is_authenticated}
        if user.is_authenticated:
            context["folgjer"] = Folging.objects.filter(brukar=user, utval=utval).exists()
            context["adresse"] = adresse(user)
        return [Seksjon("Følg utvalet", "moter/_folg.html", context)]

    def partnar_seksjonar(self, partnar) -> list[Seksjon]:
        """On a partner's page: the coming meetings of the utval it sits in, with its own
        calendar feed, and the recent saker and vedtak that concern it. The page is the
        same for everyone, so it shows what the public may see."""
        now = today()
        utval_ids = Medlemskap.objects.gjeldande(now).filter(partnar=partnar).values("utval_id")
        coming = list(
            moter_visible_to(None)
            .filter(utval_id__in=utval_ids, dato__gte=now)
            .exclude(status=Mote.Status.AVLYST)
            .select_related("utval")
            .order_by("dato", "start")[:10]
        )
        saker = list(
            saker_som_gjeld_partnar(None, partnar)
            .filter(mote__dato__gte=now - SISTE_SAKER)
            .select_related("mote__referat")
            .order_by("-mote__dato", "-nummer")[:20]
        )
        return [
            Seksjon(
                "Komande møte",
                "moter/_partnar.html",
                {"moter": coming, "partnar": partnar},
                rekkjefolgje=10,
            ),
            Seksjon(
                "Saker og vedtak som gjeld " + partnar.namn,
                "moter/_partnar_saker.html",
                {
                    "saker": saker,
                    "tom": "Ingen saker det siste året gjeld denne partnaren.",
                },
                rekkjefolgje=50,
            ),
        ]

    def arshjul_moter(self, year: int) -> list[Arshjulmote]:
        return [
            Arshjulmote(
                dato=mote.dato,
                tittel=f"{mote.namn}{' (avlyst)' if mote.avlyst else ''}",
                url=mote.get_absolute_url(),
                utval_id=mote.utval_id,
            )
            for mote in moter_visible_to(None).filter(dato__year=year).select_related("utval")
        ]
