"""The årshjul for one year: the recurring items and the year's meetings, laid out as
12 months × one row per utval (plus the partnership as a whole), and the same as a PDF."""

from dataclasses import dataclass, field

from partnarskap.models import MANADER, Arshjulpunkt, Utval
from portal.hooks import Arshjulmote, collect

FORSTE_AR = 2000
SISTE_AR = 2100
HEILE = "Heile helsefellesskapet"


@dataclass
class Rad:
    utval: Utval | None
    # Index 0–11 are the months, index 12 is "månad ikkje fastsett".
    celler: list[list] = field(default_factory=lambda: [[] for _ in range(13)])

    @property
    def namn(self) -> str:
        return self.utval.namn if self.utval else HEILE

    @property
    def tom(self) -> bool:
        return not any(self.celler)

    @property
    def manader(self) -> list[tuple[str, list]]:
        """(month name, entries) for the list view on small screens: only months with
        something in them."""
        names = [n for _, n in MANADER] + ["Månad ikkje fastsett"]
        return [(names[i], c) for i, c in enumerate(self.celler) if c]


@dataclass
class Arshjul:
    ar: int
    rader: list[Rad]
    manader: list[str] = field(default_factory=lambda: [n for _, n in MANADER])

    @property
    def forrige(self) -> int | None:
        return self.ar - 1 if self.ar > FORSTE_AR else None

    @property
    def neste(self) -> int | None:
        return self.ar + 1 if self.ar < SISTE_AR else None


def moter_i(year: int) -> list[Arshjulmote]:
    """The year's meetings, from every app that has them (see portal.hooks)."""
    return [m for m in collect(lambda app: app.arshjul_moter(year)) if m.dato.year == year]


def punkt_i_manad(year: int, month: int) -> list[Arshjulpunkt]:
    """The active items that fall in this month of this year."""
    return [
        p
        for p in Arshjulpunkt.objects.filter(aktiv=True, manad=month).select_related("utval")
        if p.skjer_i(year)
    ]


def bygg_arshjul(year: int) -> Arshjul:
    punkt = [
        p
        for p in Arshjulpunkt.objects.filter(aktiv=True).select_related("utval")
        if p.skjer_i(year)
    ]
    moter = moter_i(year)
    wanted = {p.utval_id for p in punkt} | {m.utval_id for m in moter}
    wanted.discard(None)
    utval = Utval.objects.in_bulk(wanted)

    heile = Rad(None)
    rader: dict[int, Rad] = {pk: Rad(u) for pk, u in utval.items()}

    def rad(utval_id) -> Rad:
        return rader.get(utval_id, heile)

    for p in punkt:
        rad(p.utval_id).celler[p.manad - 1 if p.manad else 12].append(p)
    for m in sorted(moter, key=lambda m: m.dato):
        rad(m.utval_id).celler[m.dato.month - 1].append(m)
    for r in [heile, *rader.values()]:
        # Meetings first in a month (they have a date), then items by title.
        for cell in r.celler:
            cell.sort(
                key=lambda e: (0, e.dato, "") if isinstance(e, Arshjulmote) else (1, e.tittel)
            )
    ordered = [rader[u.pk] for u in sorted(utval.values(), key=lambda u: (u.rekkjefolgje, u.namn))]
    return Arshjul(ar=year, rader=[heile, *ordered])
