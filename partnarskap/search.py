"""What the partnership puts in the search index (portal.search_index): the bodies (with
their earlier names), the partners and the årshjul's active items; what the public may see
of them (partnarskap.access), since the index holds them as public."""

from django.urls import reverse

from partnarskap.access import arshjulpunkt_visible_to, utval_visible_to
from partnarskap.models import Arshjulpunkt, Partnar, TidlegareNamn, Utval
from portal.search_index import Entry, Source


def _utval(utval: Utval) -> Entry:
    earlier = " ".join(t.namn for t in utval.tidlegare_namn.all())
    return Entry(
        object_id=utval.pk,
        title=utval.visingsnamn,
        url=utval.get_absolute_url(),
        text_a=f"{utval.namn} {utval.kortnamn}".strip(),
        text_b=f"{utval.mandat} {earlier}".strip(),
    )


def _partnar(partnar: Partnar) -> Entry:
    return Entry(
        object_id=partnar.pk,
        title=partnar.namn,
        url=partnar.get_absolute_url(),
        text_a=f"{partnar.namn} {partnar.kortnamn}".strip(),
        text_b=partnar.skildring,
    )


def _arshjulpunkt(punkt: Arshjulpunkt) -> Entry:
    return Entry(
        object_id=punkt.pk,
        title=punkt.tittel,
        url=f"{reverse('partnarskap:arshjul')}#arshjulpunkt-{punkt.pk}",
        text_a=punkt.tittel,
        text_b=punkt.skildring,
    )


def search_sources() -> list[Source]:
    return [
        Source(
            "utval",
            "Utval",
            Utval,
            queryset=lambda: utval_visible_to(None).prefetch_related("tidlegare_namn"),
            entry=_utval,
            follows=((TidlegareNamn, lambda namn: [namn.utval_id]),),
            order=40,
        ),
        Source(
            "partnar", "Partnarar", Partnar, queryset=Partnar.objects.all, entry=_partnar, order=50
        ),
        Source(
            "arshjulpunkt",
            "Årshjul",
            Arshjulpunkt,
            queryset=lambda: arshjulpunkt_visible_to(None).filter(aktiv=True),
            entry=_arshjulpunkt,
            order=60,
        ),
    ]
