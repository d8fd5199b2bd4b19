"""The årshjul for one year: the recurring items and the year's meetings, laid out as
12 months × one row per utval (plus the partnership as a whole), and the same as a PDF."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.apps import apps
from django.utils import timezone

from partnarskap.models import MANADER, Arshjulpunkt, Utval

FORSTE_AR = 2000
SISTE_AR = 2100
HEILE = "Heile helsefellesskapet"


@dataclass
class Mote:
    dato: date
    tittel: str
    url: str


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


def moter_i(year: int) -> list[dict]:
    """Meetings from every app that offers them: an AppConfig with arshjul_moter(year)
    returning dicts with dato, utval_id, tittel and url. A dato given as a datetime
    counts by its local date."""
    found = []
    for config in apps.get_app_configs():
        hook = getattr(config, "arshjul_moter", None)
        if hook:
            for meeting in hook(year) or []:
                dato = meeting.get("dato")
                if isinstance(dato, datetime):
                    dato = timezone.localdate(dato) if timezone.is_aware(dato) else dato.date()
                if isinstance(dato, date) and dato.year == year:
                    found.append({**meeting, "dato": dato})
    return found


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
    wanted = {p.utval_id for p in punkt} | {m.get("utval_id") for m in moter}
    wanted.discard(None)
    utval = Utval.objects.in_bulk([pk for pk in wanted if isinstance(pk, int)])

    heile = Rad(None)
    rader: dict[int, Rad] = {pk: Rad(u) for pk, u in utval.items()}

    def rad(utval_id) -> Rad:
        return rader.get(utval_id, heile)

    for p in punkt:
        rad(p.utval_id).celler[p.manad - 1 if p.manad else 12].append(p)
    for m in sorted(moter, key=lambda m: m["dato"]):
        rad(m.get("utval_id")).celler[m["dato"].month - 1].append(
            Mote(dato=m["dato"], tittel=m.get("tittel", ""), url=m.get("url", ""))
        )
    for r in [heile, *rader.values()]:
        # Meetings first in a month (they have a date), then items by title.
        for cell in r.celler:
            cell.sort(key=lambda e: (0, e.dato, "") if isinstance(e, Mote) else (1, e.tittel))
    ordered = sorted(rader.values(), key=lambda r: (r.utval.rekkjefolgje, r.utval.namn))
    return Arshjul(ar=year, rader=[heile, *ordered])
