"""iCalendar: the feeds (all meetings, per utval) and the invitation in the innkalling
e-mail, made from the same event data.

Every meeting keeps one UID for its whole life (``Mote.kalender_uid``) and raises SEQUENCE
on each change, so Outlook and other clients update (or cancel) the event they already
have. Times are written in UTC: every client converts them right, where a VTIMEZONE made
of a list of dates is known to be misread in summer by some."""

from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from moter.models import Mote
from portal.forms import as_one_line

PRODID = "-//Sogn og Fjordane helsefellesskap//Moteplan//NN"
NAMN = "Sogn og Fjordane helsefellesskap"


def organizer() -> vCalAddress:
    """The secretariat's address (DEFAULT_FROM_EMAIL): replies to an invitation go there."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    value = vCalAddress(f"mailto:{address}")
    value.params["cn"] = vText(name or NAMN)
    return value


def attendee(name: str, address: str) -> vCalAddress:
    value = vCalAddress(f"mailto:{address}")
    value.params["cn"] = vText(as_one_line(name) or address)
    value.params["role"] = vText("REQ-PARTICIPANT")
    value.params["partstat"] = vText("NEEDS-ACTION")
    value.params["rsvp"] = vText("TRUE")
    return value


def _utc(day, time) -> datetime:
    local = datetime.combine(day, time, tzinfo=ZoneInfo(settings.TIME_ZONE))
    return local.astimezone(UTC)


def hending(mote: Mote, base_url: str, saker) -> Event:
    """The meeting as a calendar event; ``saker`` are the saker the reader may see named."""
    event = Event()
    event.add("uid", mote.kalender_uid)
    event.add("sequence", mote.sekvens)
    event.add("dtstamp", timezone.now())
    event.add("organizer", organizer())
    # One-line values: a title stored before titles were checked must not break the feed.
    title = as_one_line(mote.namn)
    if mote.avlyst:
        title = f"AVLYST: {title}"
    event.add("summary", title)
    last_day = mote.til_dato or mote.dato
    lines = []
    if mote.start and (mote.slutt or last_day == mote.dato):
        event.add("dtstart", _utc(mote.dato, mote.start))
        if mote.slutt:  # no end in the plan: none is invented
            event.add("dtend", _utc(last_day, mote.slutt))
    else:
        # No time in the plan yet, or days without an end time: whole days, as the plan
        # gives them (DTEND is the day after the last, as iCalendar counts).
        event.add("dtstart", mote.dato)
        event.add("dtend", last_day + timedelta(days=1))
        if mote.start:
            lines.append(f"Startar kl. {mote.start:%H:%M}")
    if mote.stad:
        event.add("location", as_one_line(mote.stad))
    event.add("status", "CANCELLED" if mote.avlyst else "CONFIRMED")
    url = base_url + mote.get_absolute_url()
    event.add("url", url)
    if mote.vertskap:
        lines.append(f"Arrangør/møtestad: {mote.get_vertskap_display()}")
    if saker:
        lines.append("Sakliste:")
        lines.extend(f"Sak {s.saksnummer} {s.tittel}" for s in saker)
    lines.append(url)
    event.add("description", "\n".join(lines))
    return event


def _calendar(namn: str, method: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add("x-wr-calname", as_one_line(namn))
    return cal


def kalender(moter: list[Mote], namn: str, base_url: str, saker_for) -> bytes:
    """A feed: every meeting in ``moter``, each with the saker ``saker_for(mote)`` names."""
    cal = _calendar(namn, "PUBLISH")
    for mote in moter:
        cal.add_component(hending(mote, base_url, saker_for(mote)))
    return cal.to_ical()


def invitasjon(mote: Mote, base_url: str, saker) -> bytes:
    """The invitation (METHOD:REQUEST) or its cancellation (METHOD:CANCEL), without
    attendees: each recipient's message adds its own (``med_deltakar``)."""
    cal = _calendar(mote.namn, "CANCEL" if mote.avlyst else "REQUEST")
    cal.add_component(hending(mote, base_url, saker))
    return cal.to_ical()


def med_deltakar(ics: str, name: str, address: str) -> tuple[str, str]:
    """The stored invitation with one ATTENDEE, the message's recipient (the others'
    addresses are not theirs to see), and its METHOD."""
    cal = Calendar.from_ical(ics)
    for event in cal.walk("VEVENT"):
        event.add("attendee", attendee(name, address))
    return cal.to_ical().decode(), str(cal["method"])
