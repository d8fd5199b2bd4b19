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

from django.http import HttpRequest

if TYPE_CHECKING:
    from partnarskap.models import Partnar, Utval
    from portal.search_index import Source


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

    def til_oppfolging(self, request: HttpRequest) -> list[Oppfolging]:
        """What the secretariat must follow up (asked only for the secretariat)."""
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
