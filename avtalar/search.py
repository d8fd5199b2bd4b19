"""What the agreements put in the search index (portal.search_index), and the agreement
list's search over it: an agreement is found by its title and number, its topic and its
versions' summaries, and by the text of its versions' documents, page by page. Drafts are
for the secretariat only, in the index as everywhere."""

from django.db.models import Prefetch, QuerySet

from avtalar.access import avtale_visible
from avtalar.models import Avtale, Avtaleversjon
from portal.search import Treff, best_per_owner
from portal.search_index import Entry, Source

KINDS = ["avtale", "avtaledokument"]


def _avtale(avtale: Avtale) -> Entry:
    versions = list(avtale.versjonar.all())
    summaries = " ".join(v.samandrag for v in versions if v.samandrag)
    return Entry(
        object_id=avtale.pk,
        title=avtale.tittel,
        url=avtale.get_absolute_url(),
        text_a=f"{avtale.tittel} {avtale.nummer}".strip(),
        text_b=f"{avtale.tema} {summaries}".strip(),
        text_c=" ".join(v.versjon for v in versions if v.versjon),
        note=avtale.get_type_display(),
        public=avtale_visible(None, avtale),
    )


def _dokument(version: Avtaleversjon) -> Entry:
    avtale = version.avtale
    return Entry(
        object_id=version.pk,
        title=avtale.tittel,
        url=version.dokument_url(),
        text_a=avtale.tittel,
        note=f"Dokumentet til versjonen «{version.versjon}»" if version.versjon else "Dokumentet",
        public=avtale_visible(None, avtale),
        owner_id=avtale.pk,
        date=version.gjeld_fra if version.godkjend else None,
    )


def search_sources() -> list[Source]:
    return [
        Source(
            "avtale",
            "Avtalar",
            Avtale,
            queryset=lambda: Avtale.objects.prefetch_related(
                Prefetch("versjonar", queryset=Avtaleversjon.objects.order_by("pk"))
            ),
            entry=_avtale,
            follows=((Avtaleversjon, lambda version: [version.avtale_id]),),
            order=10,
        ),
        Source(
            "avtaledokument",
            "I avtaledokumenta",
            Avtaleversjon,
            queryset=lambda: Avtaleversjon.objects.select_related("avtale"),
            entry=_dokument,
            file_field="dokument",
            follows=((Avtale, lambda avtale: list(avtale.versjonar.values_list("pk", flat=True))),),
            order=11,
        ),
    ]


def ranked(queryset: QuerySet, query: str, user) -> dict[int, Treff]:
    """The agreements of ``queryset`` that match ``query`` (in their own text or in a
    document), each with its best hit, best first: by rank, then as the list orders them."""
    hits = best_per_owner(query, user, KINDS)
    if not hits:
        return {}
    kind_order = {kind: i for i, kind in enumerate(Avtale.Type.values)}
    rows = queryset.filter(pk__in=list(hits)).values_list("pk", "type", "rekkjefolgje", "tittel")
    ranked = sorted(set(rows), key=lambda r: (-hits[r[0]].rang, kind_order[r[1]], r[2], r[3]))
    return {pk: hits[pk] for pk, *_ in ranked}
