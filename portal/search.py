"""Full-text search shared by the apps: Norwegian stemming and ranking on PostgreSQL, a plain
case-insensitive match on SQLite (for local use; production runs PostgreSQL)."""

import re
from functools import reduce
from operator import add, and_, or_

from django.db import connection
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CONFIG = "norwegian"
MAX_QUERY = 200
_WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}


def clean(query: str | None) -> str:
    """The query as searched: control characters dropped, whitespace collapsed, capped."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", query or "")
    return " ".join(text.split())[:MAX_QUERY]


def words(query: str) -> list[str]:
    return [w for w in re.findall(r"\w+", clean(query).lower()) if len(w) > 1]


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def fulltekst(queryset: QuerySet, fields: dict[str, str], query: str) -> QuerySet:
    """``queryset`` narrowed to what matches ``query``, annotated with ``rang`` (0..1) and
    ordered best first. ``fields`` maps field paths to weights "A".."D"."""
    terms = words(query)
    if not terms:
        return queryset.none()
    if is_postgres():
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = reduce(
            add,
            (SearchVector(name, weight=weight, config=CONFIG) for name, weight in fields.items()),
        )
        search = SearchQuery(" ".join(terms), config=CONFIG, search_type="plain")
        return (
            queryset.annotate(sokevektor=vector)
            .filter(sokevektor=search)
            .annotate(rang=SearchRank(F("sokevektor"), search, normalization=32))
            .order_by("-rang")
        )
    every_word = reduce(
        and_, (reduce(or_, (Q(**{f"{name}__icontains": t}) for name in fields)) for t in terms)
    )
    score = reduce(
        add,
        (
            Case(
                When(**{f"{name}__icontains": terms[0]}, then=Value(_WEIGHTS[weight])),
                default=Value(0.0),
                output_field=FloatField(),
            )
            for name, weight in fields.items()
        ),
    )
    return queryset.filter(every_word).annotate(rang=score / len(fields)).order_by("-rang")


def _stem(word: str) -> str:
    # Enough to catch Norwegian inflections in highlighting: "utskrivinga" ~ "utskriving".
    return word[: max(4, len(word) - 3)] if len(word) > 5 else word


def utdrag(text: str, query: str, size: int = 30) -> SafeString:
    """About ``size`` words of ``text`` around the first match, HTML-escaped, with the
    matching words in <mark>."""
    stems = [_stem(w) for w in words(query)]
    tokens = (text or "").split()
    if not tokens:
        return mark_safe("")

    def matches(word: str) -> bool:
        return any(word.lower().startswith(stem) for stem in stems)

    def hit(token: str) -> bool:
        return any(matches(w) for w in re.findall(r"\w+", token))

    def marked(token: str) -> str:
        # Escape each piece; wrap the matching words, not the punctuation around them.
        pieces = re.split(r"(\w+)", token)
        return "".join(
            f"<mark>{escape(p)}</mark>" if p and matches(p) and re.match(r"\w", p) else escape(p)
            for p in pieces
        )

    first = next((i for i, t in enumerate(tokens) if hit(t)), 0)
    start = max(0, first - size // 3)
    window = tokens[start : start + size]
    parts = [marked(t) for t in window]
    prefix = "… " if start else ""
    suffix = " …" if start + size < len(tokens) else ""
    return mark_safe(prefix + " ".join(parts) + suffix)
