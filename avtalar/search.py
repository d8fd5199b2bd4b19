"""Searching the portfolio. On PostgreSQL: Norwegian full-text over the stored, indexed
search vector (title and number, topic, version labels and summaries), every word matched
by its stem and as a prefix, so "utskrivinga" finds "utskriving" and "hospitering" finds
"hospiteringsordning"; ranked. On SQLite: every word somewhere in the same fields."""

from functools import reduce
from operator import and_

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Case, Exists, F, FloatField, OuterRef, Q, QuerySet, Value, When

from avtalar.models import Avtaleversjon
from portal.search import CONFIG, is_postgres, words


def fulltekst(queryset: QuerySet, query: str) -> QuerySet:
    """``queryset`` narrowed to agreements matching ``query``, annotated with ``rang``
    (higher is better) and ordered best first."""
    terms = words(query)
    if not terms:
        return queryset.none()
    if is_postgres():
        # Each term is \w+ only (see portal.search.words), so the raw query is safe.
        raw = " & ".join(f"{term}:*" for term in terms)
        search = SearchQuery(raw, config=CONFIG, search_type="raw")
        return (
            queryset.filter(sokevektor=search)
            .annotate(rang=SearchRank(F("sokevektor"), search, normalization=32))
            .order_by("-rang", "type", "rekkjefolgje", "tittel")
        )

    def in_versions(term: str) -> Exists:
        return Exists(
            Avtaleversjon.objects.filter(avtale=OuterRef("pk")).filter(
                Q(samandrag__icontains=term) | Q(versjon__icontains=term)
            )
        )

    def anywhere(term: str) -> Q:
        return Q(tittel__icontains=term) | Q(nummer__icontains=term) | Q(tema__icontains=term)

    every_word = reduce(and_, (anywhere(t) | Q(in_versions(t)) for t in terms))
    first = terms[0]
    rank = Case(
        When(tittel__icontains=first, then=Value(1.0)),
        When(tema__icontains=first, then=Value(0.4)),
        default=Value(0.2),
        output_field=FloatField(),
    )
    return (
        queryset.filter(every_word)
        .annotate(rang=rank)
        .order_by("-rang", "type", "rekkjefolgje", "tittel")
    )
