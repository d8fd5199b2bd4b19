"""The innkalling by e-mail: the agenda, a link to the pack and a calendar invitation.

The first sending is the innkalling; after that every sending is an update with the same
calendar UID and a higher SEQUENCE, so the invitation already in people's calendars is
changed (or cancelled) rather than doubled. The update says what changed since the last.

``send`` writes the sending once (subject, bodies, the calendar event) with one delivery
per recipient, and leaves the sending itself to the background worker (moter/utsending.py).
"""

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import dateformat, translation

from moter import kalender, pack, utsending, varsel
from moter.access import sakliste
from moter.models import Mote, Utsending
from portal import editing
from portal.forms import as_one_line


class IngenMottakarar(Exception):
    pass


PREFIX = {
    Utsending.Type.INNKALLING: "Innkalling",
    Utsending.Type.ENDRING: "Endra innkalling",
    Utsending.Type.AVLYSING: "Avlyst",
}

# What the update e-mail compares, in the order it lists changes.
FAKTA = {"namn": "Møtet", "dato": "Dato", "tid": "Tid", "stad": "Stad", "vertskap": "Arrangør"}


def mottakarar(mote: Mote) -> list[tuple[str, str]]:
    """(name, e-mail) of everyone called to the meeting who has an address."""
    return [(m.person.namn, m.person.epost) for m in pack.innkalla(mote) if m.person.epost]


def _dato(mote: Mote) -> str:
    with translation.override("nn"):
        text = dateformat.format(mote.dato, "l j. F Y")
        if mote.til_dato and mote.til_dato != mote.dato:
            text += " – " + dateformat.format(mote.til_dato, "l j. F Y")
    return text


def fakta(mote: Mote, agenda, shown) -> dict:
    """What the message tells, as it will be compared with the next one. A sak that is not
    public is named by its number only, here as in the message."""
    if mote.start:
        tid = f"{mote.start:%H:%M}" + (f"–{mote.slutt:%H:%M}" if mote.slutt else "")
    else:
        tid = "ikkje fastsett"
    return {
        "namn": mote.namn,
        "dato": _dato(mote),
        "tid": tid,
        "stad": mote.stad or "ikkje fastsett",
        "vertskap": mote.get_vertskap_display() or "ikkje fastsett",
        "saker": [[s.saksnummer, s.tittel if s in shown else None] for s in agenda],
    }


def endringar(before: dict, now: dict, pack_changed: bool) -> list[str]:
    """What changed between two sendings, one line each, as the update e-mail says it."""
    lines = [
        f"{label}: {now[key]} (var {before[key]})"
        for key, label in FAKTA.items()
        if key in before and before[key] != now[key]
    ]
    old = dict(before.get("saker", []))
    new = dict(now["saker"])
    for number, title in now["saker"]:
        if number not in old:
            lines.append(f"Ny sak {number}: {title or 'unnateken offentlegheit'}")
        elif title != old[number] and title is not None:
            lines.append(f"Sak {number} har ny tittel: {title}")
    lines += [f"Sak {number} er teken av saklista" for number in old if number not in new]
    if pack_changed and not lines:
        lines.append("Sakspapira i møtepakka er endra")
    return lines


def send(mote: Mote, base_url: str, user) -> Utsending:
    people = mottakarar(mote)
    if not people:
        raise IngenMottakarar
    with transaction.atomic(), editing.locked(mote):
        sent = mote.utsendingar.filter(type__in=Utsending.KALENDER).first()
        if mote.avlyst:
            kind = Utsending.Type.AVLYSING
        elif sent:
            kind = Utsending.Type.ENDRING
        else:
            kind = Utsending.Type.INNKALLING
        if kind == Utsending.Type.INNKALLING and mote.status == Mote.Status.PLANLAGT:
            mote.status = Mote.Status.INNKALLA
            editing.save_next_version(mote, "Innkallinga er send")
        elif sent and mote.sekvens <= sent.kalenderversjon:
            # A calendar takes a request as newer only with a higher SEQUENCE.
            mote.sekvens = sent.kalenderversjon + 1
            editing.save_next_version(mote, f"{PREFIX[kind]} er send")
        # An e-mail and a calendar entry leave the portal (they are forwarded, and calendars
        # are shared), so they carry what the public may read: a sak that is not public
        # is named by its number only.
        agenda = list(mote.saker.order_by("rekkjefolgje", "nummer"))
        saker, _ = sakliste(mote, agenda, members=False)
        now = fakta(mote, agenda, saker)
        fingerprint = pack.fingeravtrykk(pack.innhald(mote, pack.MEDLEMMAR))
        changes = []
        if kind == Utsending.Type.ENDRING and sent:
            changes = endringar(sent.fakta, now, fingerprint != sent.pakke_fingeravtrykk)
        # A header is one line whatever a title holds (data from before titles were checked).
        subject = as_one_line(f"{PREFIX[kind]}: {mote.namn} {mote.dato:%d.%m.%Y}")
        context = {
            "type": kind,
            "overskrift": f"{PREFIX[kind]} til {mote.namn}",
            "mote": mote,
            "fakta": now,
            "endringar": changes,
            "url": base_url + mote.get_absolute_url(),
            "pakke_url": f"{base_url}{mote.get_absolute_url()}motepakke.pdf?utgave=medlemmar",
        }
        with translation.override("nn"):
            tekst = render_to_string("moter/epost/innkalling.txt", context)
            html = render_to_string("moter/epost/innkalling.html", context)
        result = utsending.lag(
            mote,
            kind,
            user,
            people,
            emne=subject,
            tekst=tekst,
            html=html,
            kalender=kalender.invitasjon(mote, base_url, saker).decode(),
            fakta=now,
            pakke_fingeravtrykk=fingerprint,
        )
        if kind == Utsending.Type.INNKALLING:
            varsel.innkalling_send(mote, base_url, fingerprint, skip={a for _, a in people})
    return result
