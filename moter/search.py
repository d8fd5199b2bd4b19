"""What meetings put in the search index (portal.search_index): each sak, and the text of
its attachments page by page. What moter.access keeps from the public (a sak that is not
public, or on a meeting whose papers are closed) is found only by the secretariat and the
members of the meeting's utval, and so are its attachments."""

from moter.access import open_to_public
from moter.models import Mote, Sak, Vedlegg
from partnarskap.models import Utval
from portal.search_index import Entry, Source


def _sak(sak: Sak) -> Entry:
    mote = sak.mote
    utval = mote.utval
    names = f"{utval.kortnamn} {utval.namn}" if utval else ""
    return Entry(
        object_id=sak.pk,
        title=f"Sak {sak.saksnummer} {sak.tittel}",
        url=sak.get_absolute_url(),
        text_a=sak.tittel,
        text_b=" ".join(t for t in (sak.vedtak, sak.forslag_til_vedtak, names) if t),
        text_c=sak.saksframlegg,
        note=f"{mote.namn} {mote.dato:%d.%m.%Y}" + (" · vedteke" if sak.vedtak else ""),
        public=open_to_public(sak, sak.mote),
        utval_id=mote.utval_id,
    )


def _vedlegg(vedlegg: Vedlegg) -> Entry:
    sak = vedlegg.sak
    return Entry(
        object_id=vedlegg.pk,
        title=vedlegg.tittel,
        url=vedlegg.get_absolute_url(),
        text_a=vedlegg.tittel,
        note=f"Vedlegg til sak {sak.saksnummer} {sak.tittel}",
        public=open_to_public(sak, sak.mote),
        utval_id=sak.mote.utval_id,
        owner_id=sak.pk,
    )


def _saker_of_mote(mote: Mote) -> list[int]:
    return list(mote.saker.values_list("pk", flat=True))


def search_sources() -> list[Source]:
    return [
        Source(
            "sak",
            "Møtesaker",
            Sak,
            queryset=lambda: Sak.objects.select_related("mote__utval"),
            entry=_sak,
            follows=(
                (Mote, _saker_of_mote),
                (Utval, lambda utval: list(utval.saker.values_list("pk", flat=True))),
            ),
            order=20,
        ),
        Source(
            "vedlegg",
            "I vedlegg til møtesaker",
            Vedlegg,
            queryset=lambda: Vedlegg.objects.select_related("sak__mote__utval"),
            entry=_vedlegg,
            file_field="fil",
            follows=(
                (Sak, lambda sak: list(sak.vedlegg.values_list("pk", flat=True))),
                (
                    Mote,
                    lambda mote: list(
                        Vedlegg.objects.filter(sak__mote=mote).values_list("pk", flat=True)
                    ),
                ),
            ),
            order=21,
        ),
    ]
