"""How the apps contribute to what spans the portal: the front page, the header search, the
secretariat's follow-up list, a partner's and an utval's page, the årshjul, and seeding.

Each app says what it contributes in one class that implements ``Hooks`` (its own
``hooks.py``) and registers an instance in its ``AppConfig.ready()``. The portal asks them
all through ``collect``, in the order the apps are installed. A hook an app does not
implement contributes nothing.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Protocol, TypeVar

from django.db.models import Count, QuerySet, Window
from django.http import HttpRequest

if TYPE_CHECKING:
    from partnarskap.models import Partnar, Utval
    from portal.search_index import Source

M = TypeVar("M")


@dataclass
class Seksjon:
    """A section of the front page or of a partner's page, rendered from ``template``."""

    tittel: str
    template: str
    context: dict = field(default_factory=dict)
    rekkjefolgje: int = 100


@dataclass
class Oppfolging:
    """Something the secretariat must follow up."""

    kategori: str
    tekst: str
    url: str
    dato: date | None = None


@dataclass
class Kategori:
    """One kind of follow-up: the first of its items (all of them when ``alle_url`` is
    empty: there is no page of its own that lists the rest), how many there are in all, and
    where the whole list is."""

    namn: str
    items: list[Oppfolging]
    tal: int
    alle_url: str = ""

    @property
    def fleire(self) -> bool:
        """Whether a page of its own lists more than the items here."""
        return bool(self.alle_url) and self.tal > len(self.items)


# An item of a follow-up kind: its text, where it is, and its date (if it has one).
Punkt = tuple[str, str, date | None]


def kategori(
    namn: str,
    rows: Iterable[M],
    punkt: Callable[[list[M]], Iterable[Punkt]],
    grense: int | None = None,
    alle_url: str = "",
) -> list[Kategori]:
    """The follow-up kind ``namn`` from ``rows`` (a queryset or a list), whose items
    ``punkt`` makes, all at once (some need a query for all of them); at most ``grense`` of
    them when the kind has a page of its own (``alle_url``), so that a long list costs the
    front page one count, not a row each. No rows: nothing."""
    if grense is None or not alle_url:
        chosen = list(rows)
        tal = len(chosen)
    elif isinstance(rows, QuerySet):
        # The first few, each carrying how many there are in all (a window over the whole
        # result, counted before the limit): one query, where a count and a slice would
        # each run the query that finds them. (DISTINCT would come after the window, which
        # would then count duplicates too: no follow-up kind needs it.)
        assert not rows.query.distinct, "a follow-up kind is counted before DISTINCT"
        chosen = list(rows.annotate(_tal_i_alt=Window(Count("pk")))[:grense])
        tal = chosen[0]._tal_i_alt if chosen else 0  # type: ignore[attr-defined]
    else:
        everything = list(rows)
        chosen, tal = everything[:grense], len(everything)
    if not chosen:
        return []
    items = [Oppfolging(namn, tekst, url, dato) for tekst, url, dato in punkt(chosen)]
    return [Kategori(namn, items, tal, alle_url)]


def som_kategoriar(items: list[Oppfolging]) -> list[Kategori]:
    """``items`` grouped by their kind, each kind whole: for kinds that no page of their own
    lists."""
    kinds: dict[str, list[Oppfolging]] = {}
    for item in items:
        kinds.setdefault(item.kategori, []).append(item)
    return [Kategori(namn, group, len(group)) for namn, group in kinds.items()]


@dataclass
class Arshjulmote:
    """A meeting as the årshjul places it: in its month, in its utval's row (None: the
    partnership as a whole)."""

    dato: date
    tittel: str
    url: str
    utval_id: int | None = None


class Hooks(Protocol):
    """What an app may contribute. An app's class subclasses this and overrides what it
    has; the rest contributes nothing."""

    def search_sources(self) -> list["Source"]:
        """What the app puts in the search index, and who may find it (portal.search_index):
        the header search and the agreement list search that index."""
        return []

    def framside(self, request: HttpRequest) -> list[Seksjon]:
        """Sections of the front page."""
        return []

    def til_oppfolging(self, request: HttpRequest, grense: int | None = None) -> list[Kategori]:
        """What the secretariat must follow up (asked only for the secretariat), by kind; at
        most ``grense`` items of a kind that has a page of its own (see ``kategori``)."""
        return []

    def partnar_seksjonar(self, partnar: "Partnar") -> list[Seksjon]:
        """What concerns a partner, on its page."""
        return []

    def utval_seksjonar(self, request: HttpRequest, utval: "Utval") -> list[Seksjon]:
        """What concerns an utval, on its page (for the user asking)."""
        return []

    def arshjul_moter(self, year: int) -> list[Arshjulmote]:
        """The year's meetings, for the årshjul."""
        return []

    def after_seed(self, added: dict[str, int]) -> None:
        """Derive data once the shipped data is loaded (``added``: objects per model)."""


_registered: list[Hooks] = []

T = TypeVar("T")


def register(hooks: Hooks) -> None:
    """Called from an app's ``AppConfig.ready()``; registering the same class again
    replaces it."""
    _registered[:] = [h for h in _registered if type(h) is not type(hooks)]
    _registered.append(hooks)


def collect(call: Callable[[Hooks], Iterable[T] | None]) -> list[T]:
    """Everything ``call`` gets from the registered apps, in app order, e.g.
    ``collect(lambda app: app.framside(request))``; for a hook that returns nothing, an
    empty list once every app has run it."""
    results: list[T] = []
    for hooks in _registered:
        results.extend(call(hooks) or [])
    return results
