"""Keeping the one search index (portal.SearchEntry) current.

Every app says what it puts in the index through ``search_sources()`` on its hooks: a
``Source`` per kind of object, with the function that makes its ``Entry`` (title, summary
and body text, where it links, who may see it) and the other models whose writes change
those entries. From that:

- every save and delete of those models re-indexes what it touches, in the same
  transaction (model signals, so a write through a form, the history page's restore, a
  command or the admin are alike);
- a source with a PDF (``file_field``) is indexed page by page: on a save with a new file,
  its text is read in the background (django-tasks, ``extract_document``), and until then
  the document has no pages in the index;
- ``rebuild()`` (``manage.py search_index``) makes the whole index again from the data;
  seeding calls it, since fixtures are loaded without signals.

The text of each entry goes through portal.analyse, and the same terms go to both
databases (see SearchEntry), so both find the same things.
"""

import contextlib
import datetime
import io
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, Generic, TypeVar

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models.signals import post_delete, post_save
from django_tasks import task

from portal import analyse, sidebuffer
from portal.hooks import collect
from portal.models import SearchEntry, SearchWord

log = logging.getLogger(__name__)

MAX_PAGES = 2000  # of one PDF; the rest of a longer document is not searched
MAX_PAGE_CHARS = 20000
BATCH = 500


@dataclass
class Entry:
    """What the index holds for one object (for a document source: what each of its pages
    shares; the page text comes from the PDF)."""

    object_id: int
    title: str
    url: str
    text_a: str = ""  # the title, as searched (weight A)
    text_b: str = ""  # a summary (weight B)
    text_c: str = ""  # the body (weight C)
    note: str = ""
    public: bool = True
    utval_id: int | None = None  # whose members see it when it is not public
    owner_id: int | None = None  # the object a hit belongs to; itself unless said
    date: datetime.date | None = None


M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Source(Generic[M]):
    """One kind of object in the index.

    ``queryset()`` is everything of the kind that may be found (with what ``entry`` reads);
    ``follows`` pairs other models with a function giving the primary keys of this kind's
    objects that a write to them changes (given an instance of the model it is paired with,
    a different model in each pair, hence ``Any``)."""

    kind: str
    gruppe: str
    model: type[M]
    queryset: Callable[[], models.QuerySet[M]]
    entry: Callable[[M], Entry]
    file_field: str = ""
    follows: tuple[tuple[type[models.Model], Callable[[Any], Iterable[int]]], ...] = ()
    order: int = 100  # the group's place among groups that rank alike


def sources() -> dict[str, Source]:
    """Every app's sources, by kind, once every app has registered its hooks."""
    if not apps.ready:
        return {}
    return _sources()


@cache
def _sources() -> dict[str, Source]:
    return {source.kind: source for source in collect(lambda app: app.search_sources())}


@cache
def _watchers() -> dict[type[models.Model], list[tuple[Source, Callable]]]:
    """For each model, the sources a write to it changes, and which of their objects."""
    watchers: dict[type[models.Model], list[tuple[Source, Callable]]] = {}
    for source in _sources().values():
        watchers.setdefault(source.model, []).append((source, lambda obj: [obj.pk]))
        for model, pks_of in source.follows:
            watchers.setdefault(model, []).append((source, pks_of))
    return watchers


# --- Writing entries ---


def _terms(text: str) -> list[str]:
    return analyse.terms(text)


def _vector(a: list[str], b: list[str], c: list[str]) -> str:
    """The tsvector literal of the three groups: a position per group, so each term keeps
    the weights of the groups it is in."""
    weights: dict[str, list[str]] = {}
    for position, (weight, group) in enumerate((("A", a), ("B", b), ("C", c)), start=1):
        for term in group:
            weights.setdefault(term, []).append(f"{position}{weight}")
    quoted = (term.replace("\\", "\\\\").replace("'", "''") for term in weights)
    return " ".join(f"'{q}':{','.join(w)}" for q, w in zip(quoted, weights.values(), strict=True))


def _row(kind: str, entry: Entry, page: int = 0, source: str = "") -> SearchEntry:
    text_a, text_b, text_c = (
        analyse.normalise(t) for t in (entry.text_a, entry.text_b, entry.text_c)
    )
    a, b, c = _terms(text_a), _terms(text_b), _terms(text_c)
    row = SearchEntry(
        kind=kind,
        object_id=entry.object_id,
        page=page,
        owner_id=entry.owner_id if entry.owner_id is not None else entry.object_id,
        title=entry.title[:500],
        url=entry.url[:500],
        note=entry.note[:500],
        text_a=text_a,
        text_b=text_b,
        text_c=text_c,
        terms_a=" ".join(a),
        terms_b=" ".join(b),
        terms_c=" ".join(c),
        public=entry.public,
        utval_id=entry.utval_id,
        date=entry.date,
        source=source[:300],
    )
    if connection.vendor == "postgresql":
        row.vector = _vector(a, b, c)
    return row


def _save(rows: list[SearchEntry]) -> None:
    SearchEntry.objects.bulk_create(rows, batch_size=BATCH)
    _remember_words(rows)


def _remember_words(rows: Iterable[SearchEntry]) -> None:
    """Add the rows' words to the vocabulary "Meinte du …?" chooses from."""
    found: dict[str, str] = {}
    for row in rows:
        for text in (row.text_a, row.text_b, row.text_c):
            for word in analyse.words(text):
                if word.isalpha() and 3 <= len(word) <= 100 and word not in found:
                    found[word] = analyse.stem(word)
    if found:
        SearchWord.objects.bulk_create(
            [SearchWord(word=w, term=t, length=len(w)) for w, t in found.items()],
            batch_size=BATCH,
            ignore_conflicts=True,
        )


def _delete(kind: str, object_ids: Iterable[int]) -> None:
    ids = list(object_ids)
    if ids:
        # One DELETE: entries have no relations, and the model signals every write listens
        # to (the page cache's) do not concern them; Django would select them first.
        rows = SearchEntry.objects.filter(kind=kind, object_id__in=ids)
        rows._raw_delete(rows.db)


# The columns of an object's own entry that a save may change.
_WRITTEN = [
    f.attname
    for f in SearchEntry._meta.concrete_fields
    if f.attname not in ("id", "kind", "object_id", "page")
]


def _file_name(source: Source, obj) -> str:
    stored = getattr(obj, source.file_field)
    return stored.name if stored else ""


def reindex(source: Source, pks: Iterable[int]) -> None:
    """Make the entries of these objects of ``source`` again from the data (deleting those
    of objects that are gone or may no longer be found)."""
    pks = set(pks)
    if not pks:
        return
    objects = {obj.pk: obj for obj in source.queryset().filter(pk__in=pks)}
    _delete(source.kind, pks - set(objects))
    if not source.file_field:
        # Written over in place: a save costs one UPDATE (an INSERT the first time).
        rows = [_row(source.kind, source.entry(obj)) for obj in objects.values()]
        new = [
            row
            for row in rows
            if not SearchEntry.objects.filter(
                kind=row.kind, object_id=row.object_id, page=0
            ).update(**{name: getattr(row, name) for name in _WRITTEN})
        ]
        SearchEntry.objects.bulk_create(new)
        _remember_words(rows)
        return
    # A document keeps its pages; what they share (title, link, who may see them) is
    # written again, and a new file is read again in the background.
    read = dict(
        SearchEntry.objects.filter(kind=source.kind, object_id__in=objects, page=0).values_list(
            "object_id", "source"
        )
    )
    outdated = []
    for pk, obj in objects.items():
        name = _file_name(source, obj)
        if name and read.get(pk) == name:
            _update_pages(source, obj)
            continue
        if pk in read:
            outdated.append(pk)
        if name:
            _queue_extraction(source.kind, pk)
    _delete(source.kind, outdated)


def _update_pages(source: Source, obj) -> None:
    entry = source.entry(obj)
    SearchEntry.objects.filter(kind=source.kind, object_id=obj.pk).update(
        owner_id=entry.owner_id if entry.owner_id is not None else obj.pk,
        title=entry.title[:500],
        url=entry.url[:500],
        note=entry.note[:500],
        public=entry.public,
        utval_id=entry.utval_id,
        date=entry.date,
    )
    # The title is searched on every page; when it changed, so did the pages' terms.
    stale = SearchEntry.objects.filter(kind=source.kind, object_id=obj.pk, page__gt=0).exclude(
        text_a=analyse.normalise(entry.text_a)
    )
    rows = [(row.page, row.text_c) for row in stale.only("page", "text_c")]
    if rows:
        stale._raw_delete(stale.db)
        _save(
            [
                _row(source.kind, _page_entry(entry, text), page, _file_name(source, obj))
                for page, text in rows
            ]
        )


def _page_entry(entry: Entry, text: str) -> Entry:
    """One page of a document: the document's title, the page's text as the body."""
    return Entry(
        object_id=entry.object_id,
        title=entry.title,
        url=entry.url,
        text_a=entry.text_a,
        text_c=text,
        note=entry.note,
        public=entry.public,
        utval_id=entry.utval_id,
        owner_id=entry.owner_id,
        date=entry.date,
    )


# --- Documents ---


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page of a PDF (empty strings for pages without text)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    pages = []
    for page in reader.pages[:MAX_PAGES]:
        try:
            text = page.extract_text() or ""
        except Exception:  # a damaged page should not cost the rest of the document
            log.warning("Could not read the text of a PDF page", exc_info=True)
            text = ""
        pages.append(" ".join(text.split())[:MAX_PAGE_CHARS])
    return pages


def index_document(source: Source, obj) -> int:
    """Read the object's PDF and index it page by page; returns the pages with text. A
    row for page 0 without terms records which file was read, so it is read once."""
    name = _file_name(source, obj)
    _delete(source.kind, [obj.pk])
    if not name:
        return 0
    try:
        with getattr(obj, source.file_field).open("rb") as handle:
            pages = pdf_pages(handle.read())
    except Exception:  # a missing or unreadable file is not searched, and says so in the log
        log.warning("Could not read %s for the search index", name, exc_info=True)
        pages = []
    entry = source.entry(obj)
    marker = Entry(
        object_id=obj.pk,
        title=entry.title,
        url=entry.url,
        note=entry.note,
        public=entry.public,
        utval_id=entry.utval_id,
        owner_id=entry.owner_id,
        date=entry.date,
    )
    rows = [_row(source.kind, marker, 0, name)]
    rows += [
        _row(source.kind, _page_entry(entry, text), number, name)
        for number, text in enumerate(pages, start=1)
        if text
    ]
    _save(rows)
    return len(rows) - 1


@task()
def extract_document(kind: str, pk: int) -> int:
    """Background: index the PDF of one object page by page."""
    source = sources()[kind]
    with transaction.atomic():
        obj = source.queryset().filter(pk=pk).first()
        if obj is None:
            _delete(kind, [pk])
            return 0
        done = SearchEntry.objects.filter(kind=kind, object_id=pk, page=0)
        if done.filter(source=_file_name(source, obj)).exists():
            return 0  # queued twice (two saves before the worker came): read already
        pages = index_document(source, obj)
        sidebuffer.endra()  # a search page cached before this would miss the new pages
    return pages


def _queue_extraction(kind: str, pk: int) -> None:
    transaction.on_commit(lambda: extract_document.enqueue(kind, pk))


# --- Keeping it current ---

_state = threading.local()


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Writes inside do not touch the index (bulk loading that ends with ``rebuild()``)."""
    before = getattr(_state, "paused", False)
    _state.paused = True
    try:
        yield
    finally:
        _state.paused = before


def _on_write(sender, instance, raw=False, **kwargs) -> None:
    if raw or getattr(_state, "paused", False) or not apps.ready:
        return  # fixtures are loaded raw; seeding indexes everything afterwards
    if getattr(instance, "skip_history_when_saving", False):
        return  # editing.save_with_relations saves again once the relations are set
    for source, pks_of in _watchers().get(sender, ()):
        reindex(source, pks_of(instance))


def connect_signals() -> None:
    """Every save and delete re-indexes what it touches. Connected for every model, since
    the apps say what they index only once all of them are ready."""
    post_save.connect(_on_write, dispatch_uid="search_index")
    post_delete.connect(_on_write, dispatch_uid="search_index")


# --- Rebuilding ---


def index_seeded(added: dict[str, int]) -> None:
    """After the shipped data is loaded (raw, without signals): index it; and index a
    database that has data but no index yet (one made before the index existed)."""
    if added or not SearchEntry.objects.exists():
        rebuild()


def rebuild(*, documents: bool = True) -> dict[str, int]:
    """The whole index made again from the data; documents read inline (or, with
    ``documents=False``, left to the background worker). Returns entries per kind."""
    counts: dict[str, int] = {}
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        SearchWord.objects.all().delete()
        for source in sources().values():
            counts[source.kind] = 0
            objects = source.queryset().order_by("pk")
            if source.file_field:
                for obj in objects.iterator(chunk_size=BATCH):
                    if not _file_name(source, obj):
                        continue
                    if documents:
                        counts[source.kind] += index_document(source, obj)
                    else:
                        _queue_extraction(source.kind, obj.pk)
                continue
            batch: list[SearchEntry] = []
            for obj in objects.iterator(chunk_size=BATCH):
                batch.append(_row(source.kind, source.entry(obj)))
                if len(batch) >= BATCH:
                    _save(batch)
                    counts[source.kind] += len(batch)
                    batch = []
            _save(batch)
            counts[source.kind] += len(batch)
        sidebuffer.endra()
    return counts
