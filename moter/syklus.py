"""The meeting's life after it is held: a referat approved in a later held meeting locks
the meeting (its facts), its agenda (saker and attachments) and the referat itself; the
secretariat may open the referat again, giving a reason that history keeps.

Every change to a meeting's papers goes through ``open_for_endring``: it reads the lock
under the meeting's row lock, the same lock the referat is approved under, so an edit and
an approval never pass each other.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from moter.models import LAAST, Mote, MoteQuerySet, Referat, laast_no
from portal import editing

# Change reasons are at most 100 characters (simple-history's column).
OPNA_ATT = "Opna att: "
GRUNN_MAKS = 100 - len(OPNA_ATT)


class Laast(Exception):
    """The meeting's referat is approved; nothing in it may change."""

    def __init__(self, mote: Mote):
        super().__init__(LAAST)
        self.mote = mote


def sjekk(mote: Mote) -> None:
    """Raise ``Laast`` if the meeting is locked, as last read (to refuse an editor early)."""
    if mote.laast:
        raise Laast(mote)


def sjekk_lagra(mote: Mote) -> None:
    """Raise ``Laast`` if the meeting is locked as saved now; call under its row lock.
    (The models' ``clean`` checks the same, for saves that go round the views.)"""
    if laast_no(mote.pk):
        raise Laast(mote)


@contextmanager
def open_for_endring(mote: Mote) -> Iterator[Mote]:
    """A transaction in which the meeting is known not to be locked (``Laast`` otherwise):
    its row is locked and its referat read again, so an approval made meanwhile counts.
    The instance is not read again: a form may hold changes to it."""
    with transaction.atomic():
        list(Mote.objects.select_for_update().filter(pk=mote.pk).values_list("pk"))
        sjekk_lagra(mote)
        yield mote


def referat_godkjent(referat: Referat) -> None:
    """Called in the transaction that approves a referat: the meeting is locked from now on.
    Those who follow the utval are told here."""
    from moter import varsel  # varsel builds on the meeting's models and this module's rules

    varsel.referat_godkjent(referat.mote)


class IkkjeGodkjent(Exception):
    """The referat is not approved (or no longer): there is nothing to open."""


def opne_referat(referat: Referat, grunn: str) -> None:
    """Open an approved referat again: the approval is cleared (history keeps which
    meeting approved it) and ``grunn`` is the change's reason. It must be approved again
    afterwards, in a held meeting, to be locked again."""
    with editing.locked(referat):
        if referat.godkjent_i_id is None:
            raise IkkjeGodkjent
        referat.godkjent_i = None
        editing.save_next_version(referat, f"{OPNA_ATT}{grunn}"[:100])


def opningar(referat: Referat):
    """The times the referat was opened again, newest first (history records)."""
    return referat.history.filter(history_change_reason__startswith=OPNA_ATT).order_by(
        "-history_date", "-history_id"
    )


def grunn(record) -> str:
    """The reason given when the referat was opened (a history record from ``opningar``)."""
    return (record.history_change_reason or "").removeprefix(OPNA_ATT)


@dataclass
class Ventar:
    """A referat waiting for approval, and the held meeting that could approve it (the
    first held meeting of the same utval after it), if there is one yet."""

    referat: Referat
    kan_godkjennast_i: Mote | None


def oppfolging_moter(moter: MoteQuerySet) -> dict[str, QuerySet]:
    """What the secretariat must follow up in the meeting cycle, from ``moter``, as
    querysets: held meetings of an utval that have no referat (``utan_referat``), and referat
    not approved yet (``ventar``)."""
    return {
        "utan_referat": moter.halde()
        .filter(utval__isnull=False, referat__isnull=True)
        .select_related("utval")
        .order_by("-dato", "-pk"),
        "ventar": Referat.objects.filter(mote__in=moter, godkjent_i__isnull=True)
        .select_related("mote", "mote__utval")
        .order_by("mote__dato", "mote__pk"),
    }


def til_oppfolging(moter: MoteQuerySet) -> dict:
    """The meeting cycle's follow-up whole (``oppfolging_moter``), with the meeting each
    waiting referat can be approved in."""
    cycle = oppfolging_moter(moter)
    utan_referat = list(cycle["utan_referat"])
    ventar = list(cycle["ventar"])
    utval_ids = {r.mote.utval_id for r in ventar if r.mote.utval_id}
    held = list(
        moter.halde().filter(utval_id__in=utval_ids).select_related("utval").order_by("dato", "pk")
    )
    return {
        "utan_referat": utan_referat,
        "ventar": [
            Ventar(
                r,
                next(
                    (m for m in held if m.utval_id == r.mote.utval_id and m.dato > r.mote.dato),
                    None,
                ),
            )
            for r in ventar
        ],
    }
