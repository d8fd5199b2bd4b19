"""What meetings contribute to the front page, the search, the secretariat's follow-up list
and the årshjul (see portal.hooks)."""

from datetime import timedelta

from django.urls import reverse

from moter.access import moter_visible_to, saker_visible_to
from moter.models import Mote, Referat
from partnarskap.models import today
from portal.access import member_utval_ids
from portal.hooks import Arshjulmote, Hooks, Oppfolging, Seksjon, Treff
from portal.search import fulltekst, utdrag, words

# Words a question carries that no sak needs to contain: "kva vedtok FSU om hospitering?"
# searches for saker in FSU about hospitering.
SPORJEORD = {
    "kva", "kven", "kvar", "korleis", "kvifor", "når", "om", "og", "i", "på", "til", "av",
    "for", "med", "det", "den", "dei", "ein", "eit", "er", "var", "vart", "har", "hadde",
    "vedtok", "vedtak", "vedteke", "vedtekne", "sa", "seier", "sak", "saka", "saker",
}  # fmt: skip


def _neste_per_utval(user, fra) -> list[Mote]:
    coming = (
        moter_visible_to(user)
        .filter(dato__gte=fra)
        .exclude(status=Mote.Status.AVLYST)
        .select_related("utval")
        .order_by("dato", "start")
    )
    seen, result = set(), []
    for mote in coming[:60]:
        key = mote.utval_id or f"konferanse-{mote.pk}"
        if key not in seen:
            seen.add(key)
            result.append(mote)
    return result


class MoterHooks(Hooks):
    def sok(self, query: str, user) -> list[Treff]:
        terms = [w for w in words(query) if w not in SPORJEORD] or words(query)
        searched = " ".join(terms)
        fields = {
            "tittel": "A",
            "vedtak": "A",
            "utval__kortnamn": "B",
            "utval__namn": "B",
            "saksframlegg": "C",
            "forslag_til_vedtak": "C",
        }
        hits = []
        for sak in fulltekst(saker_visible_to(user), fields, searched)[:20]:
            mote = sak.mote
            body = sak.vedtak or sak.forslag_til_vedtak or sak.saksframlegg
            hits.append(
                Treff(
                    "Møtesaker",
                    f"Sak {sak.saksnummer} {sak.tittel}",
                    sak.get_absolute_url(),
                    utdrag(body, searched),
                    float(sak.rang or 0),
                    merknad=f"{mote.namn} {mote.dato:%d.%m.%Y}"
                    + (" · vedteke" if sak.vedtak else ""),
                )
            )
        return hits

    def framside(self, request) -> list[Seksjon]:
        now = today()
        moter = _neste_per_utval(request.user, now)
        mine = [m for m in moter if m.utval_id in member_utval_ids(request.user)]
        return [
            Seksjon(
                "Neste møte",
                "moter/_framside.html",
                {"moter": moter, "mine": mine, "alle": reverse("moter:oversikt"), "ar": now.year},
                rekkjefolgje=20,
            )
        ]

    def til_oppfolging(self, request) -> list[Oppfolging]:
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
        for referat in Referat.objects.filter(godkjent_i__isnull=True).select_related(
            "mote", "mote__utval"
        ):
            items.append(
                Oppfolging(
                    "Referat som ikkje er godkjende",
                    f"Referatet frå {referat.mote.namn} er ikkje godkjent",
                    referat.get_absolute_url(),
                    referat.mote.dato,
                )
            )
        return items

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
