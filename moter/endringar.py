"""What changed since an utval last met ("Endringar sidan førre møte"): from history, every
change to the action plan (new, changed and closed tiltak, status and deadline changes,
progress notes) and to the agreements (new agreements and versions, status and revision
dates) since the utval's last held meeting, grouped and dated, each linking to its history
entry. The same list goes into a meeting's pack as a standing section when the secretariat
asks for it, as it stands when the pack is built (moter/pack.py)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Model
from django.utils import timezone

from avtalar.access import avtalar_visible_to
from avtalar.models import Avtale, Avtaleversjon
from handlingsplan.models import Framdrift, Tiltak
from handlingsplan.search import kort
from moter.models import Mote
from partnarskap.models import Utval, today
from portal.history import history_url
from portal.management.commands.seed import REASON as SEEDED

# The groups in the order the page shows them.
NYE_TILTAK = "Nye tiltak"
AVSLUTTA_TILTAK = "Avslutta og fullførte tiltak"
STATUS = "Endra status på tiltak"
FRIST = "Endra frist på tiltak"
ENDRA_TILTAK = "Andre endringar i tiltak"
SLETTA_TILTAK = "Sletta tiltak"
FRAMDRIFT = "Framdriftsnotat"
NYE_AVTALAR = "Nye avtalar"
NYE_VERSJONAR = "Nye avtaleversjonar"
REVISJON = "Endra revisjonsdato"
AVTALESTATUS = "Endra status på avtalar"
GRUPPER = [
    NYE_TILTAK,
    AVSLUTTA_TILTAK,
    STATUS,
    FRIST,
    ENDRA_TILTAK,
    SLETTA_TILTAK,
    FRAMDRIFT,
    NYE_AVTALAR,
    NYE_VERSJONAR,
    AVTALESTATUS,
    REVISJON,
]


@dataclass
class Endring:
    tid: datetime
    tekst: str
    url: str


@dataclass
class Endringar:
    utval: Utval
    forre_mote: Mote | None
    fra: datetime | None
    grupper: list[tuple[str, list[Endring]]] = field(default_factory=list)

    @property
    def tal(self) -> int:
        return sum(len(items) for _, items in self.grupper)


def haldne_moter(utval: Utval, before: date):
    """The utval's held meetings before ``before``: a meeting is held when its date has
    passed and it is not cancelled."""
    return (
        Mote.objects.filter(utval=utval, dato__lt=min(before, today()))
        .exclude(status=Mote.Status.AVLYST)
        .order_by("-dato", "-start", "-pk")
    )


def _entry_url(record, obj_model: type[Model]) -> str:
    """The history page of the object, at this entry."""
    stub = obj_model(pk=record.id)
    return f"{history_url(stub)}#versjon-{record.history_id}"


def _entries(model: type[Model], since: datetime, ids=None):
    """Each history entry of ``model`` since ``since``, oldest first, with the entry before
    it (None for the first): (entry, before)."""
    history = model.history.model  # type: ignore[attr-defined]
    # Loading the shipped data is where history starts, not a change to tell an utval of.
    recent = history.objects.filter(history_date__gte=since).exclude(history_change_reason=SEEDED)
    if ids is not None:
        recent = recent.filter(id__in=ids)
    wanted = set(recent.values_list("history_id", flat=True))
    changed = recent.values("id")
    result = []
    previous: dict = {}
    every = history.objects.filter(id__in=changed).order_by("history_date", "history_id")
    for entry in every:
        if entry.history_id in wanted:
            result.append((entry, previous.get(entry.id)))
        previous[entry.id] = entry
    return result


def _differs(before, after, *names: str) -> bool:
    return before is not None and any(getattr(before, n) != getattr(after, n) for n in names)


def _tiltak(since: datetime, add) -> None:
    status_names = dict(Tiltak.Status.choices)
    for entry, before in _entries(Tiltak, since):
        title = f"«{kort(entry.tekst, 80)}»"
        url = _entry_url(entry, Tiltak)
        if entry.history_type == "+":
            add(NYE_TILTAK, entry.history_date, title, url)
        elif entry.history_type == "-":
            add(SLETTA_TILTAK, entry.history_date, title, url)
        elif _differs(before, entry, "status"):
            new = status_names.get(entry.status, "ikkje oppgitt")
            old = status_names.get(before.status, "ikkje oppgitt")
            group = AVSLUTTA_TILTAK if entry.status in Tiltak.FERDIG else STATUS
            add(group, entry.history_date, f"{title}: {old.lower()} → {new.lower()}", url)
        elif _differs(before, entry, "frist", "frist_tekst"):
            new = entry.frist_tekst or (f"{entry.frist:%d.%m.%Y}" if entry.frist else "ingen")
            add(FRIST, entry.history_date, f"{title}: ny frist {new}", url)
        elif _differs(before, entry, "tekst", "kommentar", "delmal_id", "pasientgruppe_id"):
            add(ENDRA_TILTAK, entry.history_date, title, url)


def _framdrift(since: datetime, add) -> None:
    notes = Framdrift.objects.filter(registrert__gte=since).select_related("tiltak")
    for note in notes.order_by("registrert", "pk"):
        what = note.get_status_display() if note.status else ""
        text = f"«{kort(note.tiltak.tekst, 80)}»: " + "; ".join(
            part for part in (what and f"status {what.lower()}", kort(note.notat, 120)) if part
        )
        add(FRAMDRIFT, note.registrert, text, note.tiltak.get_absolute_url())


def _avtalar(since: datetime, user, add) -> None:
    visible = set(avtalar_visible_to(user).values_list("pk", flat=True))
    status_names = dict(Avtale.Status.choices)
    for entry, before in _entries(Avtale, since, ids=visible):
        url = _entry_url(entry, Avtale)
        if entry.history_type == "+":
            add(NYE_AVTALAR, entry.history_date, entry.tittel, url)
            continue
        if _differs(before, entry, "status"):
            text = f"{entry.tittel}: {status_names.get(entry.status, entry.status).lower()}"
            add(AVTALESTATUS, entry.history_date, text, url)
        if _differs(before, entry, "neste_revisjon"):
            when = f"{entry.neste_revisjon:%d.%m.%Y}" if entry.neste_revisjon else "ingen dato"
            add(REVISJON, entry.history_date, f"{entry.tittel}: neste revisjon {when}", url)
    versions = (
        Avtaleversjon.history.filter(  # type: ignore[attr-defined]
            history_date__gte=since, history_type="+", avtale_id__in=visible
        )
        .exclude(history_change_reason=SEEDED)
        .order_by("history_date", "history_id")
    )
    titles = dict(Avtale.objects.filter(pk__in=visible).values_list("pk", "tittel"))
    for entry in versions:
        name = entry.versjon or "ny versjon"
        text = f"{titles.get(entry.avtale_id, '')}: {name}"
        if entry.gjeld_fra:
            text += f", gjeld frå {entry.gjeld_fra:%d.%m.%Y}"
        add(NYE_VERSJONAR, entry.history_date, text, _entry_url(entry, Avtaleversjon))


def endringar_sidan(utval: Utval, *, before: date | None = None, user=None) -> Endringar:
    """What changed since the utval's last held meeting before ``before`` (today), as
    ``user`` may see it (None: the public)."""
    last = haldne_moter(utval, before or today()).first()
    if last is None:
        return Endringar(utval, None, None)
    # From the day after the meeting: what the meeting itself did is in its referat.
    since = timezone.make_aware(datetime.combine(last.dato + timedelta(days=1), time.min))
    found: dict[str, list[Endring]] = defaultdict(list)

    def add(group: str, when: datetime, text: str, url: str) -> None:
        found[group].append(Endring(when, text, url))

    _tiltak(since, add)
    _framdrift(since, add)
    _avtalar(since, user, add)
    groups = [(g, sorted(found[g], key=lambda e: e.tid)) for g in GRUPPER if found.get(g)]
    return Endringar(utval, last, since, groups)
