"""Searching the one index (portal.SearchEntry; see portal.search_index for how it is kept).

A query goes through the same analyser as the texts (portal.analyse): every word must
match, by its stem (as a prefix from four letters), or by all its parts when it is a
compound of known words. Each database matches with its own full-text index over the
same terms, and ranks with the same rule, so both give the same hits in the same order:

- per query word, where it was found: in the title (4), a summary (2) or the body (1);
  the sum ranks a hit;
- among equals, the version that applies today first, then older ones newest first,
  then undated ones, then those that apply later;
- a document appears once, at its best page, and a page is a hit only when something was
  found in its own text, not only in the document's title.

What a user may not see is left out by the query itself: entries that are not public
only for the secretariat and the members of the entry's utval.
"""

import difflib
import itertools
import re
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from html import escape  # Django's escape is the same, and slower per word

from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from portal import analyse
from portal.access import is_sekretariat, member_utval_ids
from portal.analyse import QueryWord
from portal.models import SearchWord

MAX_QUERY = 200
# Points for a query word by where it was found.
IN_TITLE, IN_SUMMARY, IN_BODY = 4, 2, 1


def clean(query: str | None) -> str:
    """The query as searched: control characters dropped, whitespace collapsed, capped."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", query or "")
    return " ".join(text.split())[:MAX_QUERY]


@dataclass
class Treff:
    """One hit, as the search pages show it. Its excerpt is made when a page shows it, so
    a long list costs excerpts only for the hits on the page."""

    gruppe: str
    tittel: str
    url: str
    rang: float = 0.0
    merknad: str = ""
    side: int = 0  # the page of a document the hit is on
    kind: str = ""
    owner_id: int = 0
    texts: tuple[str, str, str] = ("", "", "")  # title, summary and body, as indexed
    words: tuple[QueryWord, ...] = ()

    @cached_property
    def utdrag(self) -> SafeString:
        """Around the first match in the summary or the body (the page's text, for a
        document); when the words are only in the title, the title and the summary."""
        title, summary, body = self.texts
        if self.side:
            return utdrag(body, self.words)
        for text in (summary, body):
            if text and _has_match(text, self.words):
                return utdrag(text, self.words)
        fallback = ". ".join(t for t in (title, summary) if t)
        return utdrag(fallback, self.words) if fallback else mark_safe("")


# --- The query, for each database ---


def _pg_word(word: QueryWord, weight: str = "") -> str:
    term = (
        f"'{word.term}':*{weight}"
        if word.prefix
        else f"'{word.term}'" + (f":{weight}" if weight else "")
    )
    if not word.parts:
        return term
    parts = " & ".join(f"'{p}'" + (f":{weight}" if weight else "") for p in word.parts)
    return f"({term} | ({parts}))"


def _sqlite_in(column: str, word: QueryWord) -> tuple[str, list]:
    """Whether ``word`` is in the terms of ``column`` (space-separated), as SQL."""

    def has(term: str, prefix: bool) -> tuple[str, str]:
        if prefix:
            return f"instr(' ' || {column}, %s) > 0", f" {term}"
        return f"instr(' ' || {column} || ' ', %s) > 0", f" {term} "

    sql, param = has(word.term, word.prefix)
    if not word.parts:
        return f"({sql})", [param]
    checks = [has(p, False) for p in word.parts]
    parts_sql = " AND ".join(s for s, _ in checks)
    return f"({sql} OR ({parts_sql}))", [param, *(p for _, p in checks)]


def _match(words: list[QueryWord]) -> tuple[str, str, list, str, list]:
    """(FROM clause, WHERE clause, its parameters, score expression, its parameters)."""
    if connection.vendor == "postgresql":
        every = " & ".join(f"({_pg_word(w)})" for w in words)
        body = " | ".join(f"({_pg_word(w, 'C')})" for w in words)
        where = "e.vector @@ %s::tsquery AND (e.page = 0 OR e.vector @@ %s::tsquery)"
        cases, score_params = [], []
        for w in words:
            cases.append(
                f"CASE WHEN e.vector @@ %s::tsquery THEN {IN_TITLE} "
                f"WHEN e.vector @@ %s::tsquery THEN {IN_SUMMARY} ELSE {IN_BODY} END"
            )
            score_params += [_pg_word(w, "A"), _pg_word(w, "B")]
        return "portal_searchentry e", where, [every, body], " + ".join(cases), score_params

    def fts(w: QueryWord) -> str:
        term = f'"{w.term}"' + (" *" if w.prefix else "")
        if not w.parts:
            return term
        return f"({term} OR ({' AND '.join(f'{chr(34)}{p}{chr(34)}' for p in w.parts)}))"

    expression = " AND ".join(fts(w) for w in words)
    body_sql, body_params = [], []
    cases, score_params = [], []
    for w in words:
        in_c, params_c = _sqlite_in("e.terms_c", w)
        body_sql.append(in_c)
        body_params += params_c
        in_a, params_a = _sqlite_in("e.terms_a", w)
        in_b, params_b = _sqlite_in("e.terms_b", w)
        cases.append(
            f"CASE WHEN {in_a} THEN {IN_TITLE} WHEN {in_b} THEN {IN_SUMMARY} ELSE {IN_BODY} END"
        )
        score_params += params_a + params_b
    source = (
        "portal_searchentry_fts JOIN portal_searchentry e ON e.id = portal_searchentry_fts.rowid"
    )
    where = f"portal_searchentry_fts MATCH %s AND (e.page = 0 OR {' OR '.join(body_sql)})"
    return source, where, [expression, *body_params], " + ".join(cases), score_params


def _visible(user) -> tuple[str, list]:
    if is_sekretariat(user):
        return "", []
    utval = sorted(member_utval_ids(user))
    if not utval:
        return " AND e.public = %s", [True]
    marks = ", ".join(["%s"] * len(utval))
    return f" AND (e.public = %s OR e.utval_id IN ({marks}))", [True, *utval]


COLUMNS = ("id", "kind", "object_id", "page", "owner_id", "title", "url", "note")
TEXTS = ("text_a", "text_b", "text_c")


def _rows(
    words: list[QueryWord],
    user,
    kinds: list[str],
    *,
    best_of: str = "object_id",
    per_kind: int | None = None,
) -> list[dict]:
    """The hits for ``words`` among ``kinds``, best first: one per object (or per owner,
    across kinds), at most ``per_kind`` of each kind."""
    if not words or not kinds:
        return []
    source, where, where_params, score, score_params = _match(words)
    visible, visible_params = _visible(user)
    kind_marks = ", ".join(["%s"] * len(kinds))
    columns = ", ".join(f"e.{c}" for c in (*COLUMNS, *TEXTS))
    partition = "owner_id" if best_of == "owner_id" else "kind, object_id"
    order = 'score DESC, current_order, "date" DESC, kind, object_id, page'
    limit = " WHERE nr <= %s" if per_kind else ""
    sql = f"""
        SELECT * FROM (
          SELECT h.*, ROW_NUMBER() OVER (PARTITION BY kind ORDER BY {order}) AS nr
          FROM (
            SELECT s.*, ROW_NUMBER() OVER (PARTITION BY {partition} ORDER BY {order}) AS nr_one
            FROM (
              SELECT {columns}, e."date", ({score}) AS score,
                     CASE WHEN e."date" IS NULL THEN 1 WHEN e."date" <= %s THEN 0 ELSE 2 END
                       AS current_order
              FROM {source}
              WHERE {where}{visible} AND e.kind IN ({kind_marks})
            ) s
          ) h WHERE h.nr_one = 1
        ) r{limit}
        ORDER BY {order}"""
    params = [*score_params, timezone.localdate(), *where_params, *visible_params, *kinds]
    if per_kind:
        params.append(per_kind)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# --- What the pages ask for ---


def search(query: str, user, per_kind: int = 20) -> list[Treff]:
    """Hits in everything ``user`` may see, best first, at most ``per_kind`` of a kind."""
    from portal.search_index import sources

    registry = sources()
    words = analyse.parse(query)
    rows = _rows(words, user, list(registry), per_kind=per_kind)
    order = {kind: source.order for kind, source in registry.items()}
    rows.sort(key=lambda r: (-r["score"], order[r["kind"]]))
    return [_treff(row, words, registry[row["kind"]].gruppe) for row in rows]


def best_per_owner(query: str, user, kinds: list[str]) -> dict[int, Treff]:
    """For lists of one kind of thing (the agreements): the best hit per owner, among its
    own entry and its documents, best first."""
    words = analyse.parse(query)
    rows = _rows(words, user, kinds, best_of="owner_id")
    return {row["owner_id"]: _treff(row, words, "") for row in rows}


def _treff(row: dict, words: list[QueryWord], gruppe: str) -> Treff:
    page = row["page"]
    url = f"{row['url']}#page={page}" if page else row["url"]
    note = row["note"]
    if page:
        note = f"{note}, side {page}" if note else f"Side {page}"
    return Treff(
        gruppe=gruppe,
        tittel=row["title"],
        url=url,
        rang=float(row["score"]),
        merknad=note,
        side=page,
        kind=row["kind"],
        owner_id=row["owner_id"],
        texts=(row["text_a"], row["text_b"], row["text_c"]),
        words=tuple(words),
    )


# --- Highlighting ---


def _has_match(text: str, words: tuple[QueryWord, ...]) -> bool:
    return any(_matches(token.group().lower(), words) for token in analyse.iter_tokens(text))


@lru_cache(maxsize=65536)
def _matches(token: str, words: tuple[QueryWord, ...]) -> bool:
    """Whether ``token`` (lower case) matches one of ``words``: a page of excerpts asks this
    of the same few hundred words again and again."""
    terms = analyse.word_terms(token)
    return any(w.matches(terms) for w in words)


def utdrag(text: str, query: str | Sequence[QueryWord], size: int = 30) -> SafeString:
    """About ``size`` words of ``text`` around the first match, HTML-escaped, with every word
    that matches the query in <mark>: the analysed terms decide, so "utskrivinga" marks
    "utskriving" and "avtalane" marks "delavtalar". A long text is read only as far as the
    end of the excerpt."""
    words = tuple(analyse.parse(query) if isinstance(query, str) else query)
    text = analyse.normalise(text)
    if not text.strip():
        return mark_safe("")
    lead = size // 3  # words before the first match
    before: deque[re.Match] = deque(maxlen=lead)
    stream = analyse.iter_tokens(text)
    at_start = True  # the excerpt begins with the text's first word
    for i, token in enumerate(stream):
        if _matches(token.group().lower(), words):
            window = [*before, token]
            at_start = i <= lead
            break
        before.append(token)
    else:  # no match: the beginning
        stream = analyse.iter_tokens(text)
        window = []
    window.extend(itertools.islice(stream, size - len(window)))
    if not window:
        return mark_safe("")
    more = next(stream, None) is not None
    begin = 0 if at_start else window[0].start()
    end = window[-1].end() if more else len(text)
    pieces, at = [], begin  # the text between marks escaped a run at a time
    for token in window:
        if _matches(token.group().lower(), words):
            pieces.append(escape(text[at : token.start()]))
            pieces.append(f"<mark>{escape(token.group())}</mark>")
            at = token.end()
    pieces.append(escape(text[at:end]))
    prefix = "… " if begin else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(pieces).strip() + suffix)


# --- "Meinte du …?" ---


def suggestions(query: str, user, limit: int = 3, kinds: list[str] | None = None) -> list[str]:
    """Queries like ``query`` with misspelt words replaced by close words of the index's
    vocabulary, each of which finds something ``user`` may see (among ``kinds``)."""
    from portal.search_index import sources

    words = analyse.parse(query)
    if not words:
        return []
    known = set(
        SearchWord.objects.filter(term__in=[w.term for w in words]).values_list("term", flat=True)
    )
    options: list[list[str]] = []
    for w in words:
        if w.term in known or w.parts or not w.word.isalpha():
            options.append([w.word])
            continue
        size = len(w.word)
        near = SearchWord.objects.filter(length__range=(size - 2, size + 2)).filter(
            Q(word__startswith=w.word[0]) | Q(word__startswith=w.word[1])
        )
        candidates = list(near.values_list("word", flat=True)[:5000])
        close = difflib.get_close_matches(w.word, candidates, n=5 * limit, cutoff=0.75)
        by_term: dict[str, str] = {}  # one word per term: "delavtalane", not also "delavtalar"
        for word in close:
            by_term.setdefault(analyse.stem(word), word)
        options.append(list(by_term.values())[:limit])
    if all(len(o) == 1 and o[0] == w.word for o, w in zip(options, words, strict=True)):
        return []
    if not all(options):
        return []
    tried: list[dict[str, str]] = []
    best = {w.word: o[0] for w, o in zip(words, options, strict=True)}
    tried.append(best)
    for w, o in zip(words, options, strict=True):
        for other in o[1:]:
            tried.append({**best, w.word: other})
    kinds = kinds or list(sources())
    found = []
    for replacements in tried[:limit]:
        text = _replace(query, replacements)
        if text not in found and _rows(analyse.parse(text), user, kinds, per_kind=1):
            found.append(text)
    return found


def _replace(query: str, replacements: dict[str, str]) -> str:
    text = analyse.normalise(clean(query))
    return analyse.TOKEN.sub(lambda m: replacements.get(m.group().lower(), m.group()), text)
