"""The innkalling by e-mail: the agenda, a link to the pack and a calendar invitation.

The first sending is the innkalling; after that every sending is an update with the same
calendar UID and a higher SEQUENCE, so the invitation already in people's calendars is
changed (or cancelled) rather than doubled."""

from django.core.mail import EmailMessage
from django.db import transaction

from moter import kalender, pack
from moter.access import sakliste
from moter.models import Mote, Utsending
from portal import editing
from portal.forms import as_one_line


class IngenMottakarar(Exception):
    pass


def mottakarar(mote: Mote) -> list[tuple[str, str]]:
    """(name, e-mail) of everyone called to the meeting who has an address."""
    return [(m.person.namn, m.person.epost) for m in pack.innkalla(mote) if m.person.epost]


def send(mote: Mote, base_url: str, user) -> Utsending:
    people = mottakarar(mote)
    if not people:
        raise IngenMottakarar
    if mote.avlyst:
        kind = Utsending.Type.AVLYSING
    elif mote.utsendingar.exists():
        kind = Utsending.Type.ENDRING
    else:
        kind = Utsending.Type.INNKALLING
    with transaction.atomic():
        if kind == Utsending.Type.INNKALLING:
            with editing.locked(mote):
                if mote.status == Mote.Status.PLANLAGT:
                    mote.status = Mote.Status.INNKALLA
                    editing.save_next_version(mote, "Innkallinga er send")
        # An e-mail and a calendar entry leave the portal (they are forwarded, and calendars
        # are shared), so they carry what the public may read: a sak that is not public
        # is named by its number only.
        agenda = list(mote.saker.order_by("rekkjefolgje", "nummer"))
        saker, _ = sakliste(mote, agenda, members=False)
        prefix = {"innkalling": "Innkalling", "endring": "Endra innkalling", "avlysing": "Avlyst"}
        # A header is one line whatever a title holds (data from before titles were checked).
        subject = as_one_line(f"{prefix[kind]}: {mote.namn} {mote.dato:%d.%m.%Y}")
        url = base_url + mote.get_absolute_url()
        lines = [
            f"{prefix[kind]} til {mote.namn} {mote.dato:%d.%m.%Y}.",
            "",
            f"Tid: {mote.start:%H:%M}" if mote.start else "Tid: ikkje fastsett",
            f"Stad: {mote.stad or 'ikkje fastsett'}",
            "",
        ]
        if mote.avlyst:
            lines.append("Møtet er avlyst. Sakspapira er tekne vare på i portalen.")
        else:
            lines.append("Sakliste:")
            lines += [
                f"Sak {s.saksnummer} {s.tittel}"
                if s in saker
                else f"Sak {s.saksnummer}: unnateken offentlegheit (sjå møtepakka i portalen)"
                for s in agenda
            ] or ["(ingen saker enno)"]
            # The members' pack: a member who is not logged in is asked to log in first.
            pakke = f"{base_url}{mote.get_absolute_url()}motepakke.pdf?utgave=medlemmar"
            lines += ["", f"Møtepakka (PDF): {pakke}"]
        lines += ["", f"Møtet i portalen: {url}"]
        invitation = kalender.kalender(
            [mote],
            mote.namn,
            base_url,
            lambda m: saker,
            method="CANCEL" if mote.avlyst else "REQUEST",
        )
        message = EmailMessage(
            subject=subject,
            body="\n".join(lines),
            to=[],
            bcc=[address for _, address in people],
        )
        message.attach(
            "invitasjon.ics",
            invitation,
            "text/calendar; method=" + ("CANCEL" if mote.avlyst else "REQUEST"),
        )
        message.send()
        return Utsending.objects.create(
            mote=mote,
            type=kind,
            sendt_av=user if user.is_authenticated else None,
            emne=subject,
            mottakarar="\n".join(f"{name} <{address}>" for name, address in people),
            kalenderversjon=mote.sekvens,
        )
