"""Notices by e-mail to those who follow an utval (``Folging``): its innkalling has gone
out, a meeting pack that was sent has changed, a referat is approved.

Every notice carries a signed link that ends the following in one click, without logging
in. A notice says what the public may read (it may be forwarded): the meeting, its date
and a link, never the title of a sak.

The meeting life calls ``referat_godkjent(mote)`` when a referat is approved, and
``pakke_kanskje_endra(mote)`` after any change to what a meeting pack prints."""

from collections.abc import Collection
from datetime import timedelta

from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from moter import pack, utsending
from moter.models import Folging, Mote, Utsending
from portal.forms import as_one_line
from portal.links import absolute_url

SALT = "moter.folging.avmeld"
# A burst of edits to an agenda makes one notice: the check waits this long after the last.
PAKKE_VENTETID = timedelta(minutes=10)


def avmeld_token(brukar_id: int, utval_id: int) -> str:
    return signing.Signer(salt=SALT).sign_object([brukar_id, utval_id], compress=True)


def avmeld_url(brukar_id: int, utval_id: int) -> str:
    return absolute_url(reverse("moter:avmeld", args=[avmeld_token(brukar_id, utval_id)]))


def fra_token(token: str) -> tuple[int, int] | None:
    """(user id, utval id) that ``token`` was made for, or None if it was not made here."""
    try:
        brukar_id, utval_id = signing.Signer(salt=SALT).unsign_object(token)
        return int(brukar_id), int(utval_id)
    except (signing.BadSignature, ValueError, TypeError):
        return None


def adresse(user) -> str:
    """Where a user's notices go: their person's address, else their account's."""
    person = getattr(user, "person", None)
    return (person.epost if person else "") or user.email


def folgjarar(
    utval_id: int | None, skip: Collection[str] = frozenset()
) -> list[tuple[str, str, int]]:
    """(name, address, user id) of everyone following the utval who can get e-mail."""
    if utval_id is None:
        return []
    result, seen = [], set(skip)
    rows = Folging.objects.filter(utval_id=utval_id, brukar__is_active=True).select_related(
        "brukar", "brukar__person"
    )
    for folging in rows.order_by("pk"):
        user = folging.brukar
        address = adresse(user)
        if address and address not in seen:
            seen.add(address)
            person = getattr(user, "person", None)
            name = person.namn if person else (user.get_full_name() or user.username)
            result.append((name, address, user.pk))
    return result


def _send(mote: Mote, kind: str, overskrift: str, linjer: list[str], **fields) -> Utsending | None:
    people = folgjarar(mote.utval_id, fields.pop("skip", set()))
    if not people:
        return None
    context = {
        "overskrift": overskrift,
        "linjer": linjer,
        "url": absolute_url(mote.get_absolute_url()),
        "utval": mote.utval,
    }
    with translation.override("nn"):
        tekst = render_to_string("moter/epost/varsel.txt", context)
        html = render_to_string("moter/epost/varsel.html", context)
    return utsending.lag(
        mote,
        kind,
        None,
        [(name, address) for name, address, _ in people],
        folgjarar={address: user_id for _, address, user_id in people},
        emne=as_one_line(overskrift),
        tekst=tekst,
        html=html,
        **fields,
    )


def _namn(mote: Mote) -> str:
    return f"{mote.namn} {mote.dato:%d.%m.%Y}"


def innkalling_send(mote: Mote, base_url: str, fingerprint: str, skip: set[str]) -> None:
    """The innkalling has gone out: tell the followers who were not called themselves."""
    _send(
        mote,
        Utsending.Type.VARSEL_INNKALLING,
        f"Innkalling er send: {_namn(mote)}",
        [
            f"Innkallinga til {_namn(mote)} er send ut.",
            f"Møtepakka: {base_url}{mote.get_absolute_url()}motepakke.pdf",
        ],
        skip=skip,
        pakke_fingeravtrykk=fingerprint,
    )


def pakke_kanskje_endra(mote: Mote) -> None:
    """What the meeting's pack prints may have changed: check a while later, once the
    editing has settled, whether a pack that was sent is now another."""
    if not mote.utval_id or not mote.utsendingar.exists():
        return
    from moter.tasks import sjekk_pakke

    task = sjekk_pakke
    if task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + PAKKE_VENTETID)
    task.enqueue(mote.pk)  # the queue is the database: saved with the change, or not at all


# The sendings whose pack the followers know: the innkalling and the notices to them.
_KJENT_PAKKE = (
    Utsending.Type.INNKALLING,
    Utsending.Type.VARSEL_INNKALLING,
    Utsending.Type.VARSEL_PAKKE,
)


def sjekk_pakke(mote_id: int) -> Utsending | None:
    """Tell the followers if the pack differs from the one they last heard of, while the
    meeting is still to come."""
    mote = Mote.objects.select_related("utval").get(pk=mote_id)
    if mote.avlyst or mote.dato < timezone.localdate():
        return None
    known = mote.utsendingar.filter(type__in=_KJENT_PAKKE).exclude(pakke_fingeravtrykk="")
    last = known.first()
    if last is None:
        return None
    fingerprint = pack.fingeravtrykk(pack.innhald(mote, pack.MEDLEMMAR))
    if fingerprint == last.pakke_fingeravtrykk:
        return None
    return _send(
        mote,
        Utsending.Type.VARSEL_PAKKE,
        f"Møtepakka er endra: {_namn(mote)}",
        [
            f"Møtepakka til {_namn(mote)} er endra etter at innkallinga vart send.",
            f"Den nye møtepakka: {absolute_url(mote.get_absolute_url())}motepakke.pdf",
        ],
        pakke_fingeravtrykk=fingerprint,
    )


def referat_godkjent(mote: Mote) -> Utsending | None:
    """The referat of ``mote`` is approved: tell the followers of its utval."""
    referat = getattr(mote, "referat", None)
    linjer = [f"Referatet frå {_namn(mote)} er godkjent."]
    if referat is not None and referat.godkjent_i_id:
        linjer[0] = f"Referatet frå {_namn(mote)} er godkjent i møtet {_namn(referat.godkjent_i)}."
    linjer.append(f"Referatet: {absolute_url(reverse('moter:referat_pdf', args=[mote.pk]))}")
    return _send(
        mote,
        Utsending.Type.VARSEL_REFERAT,
        f"Referatet er godkjent: {_namn(mote)}",
        linjer,
    )
