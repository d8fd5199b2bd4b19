"""iCalendar feeds. Every meeting keeps one UID for its whole life and raises SEQUENCE on
each change, so Outlook and other clients update (or cancel) the event they already have."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from moter.models import Mote
from portal.forms import as_one_line

PRODID = "-//Sogn og Fjordane helsefellesskap//Moteplan//NN"


def kalender(
    moter: list[Mote], namn: str, base_url: str, saker_for, method: str = "PUBLISH"
) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add("x-wr-calname", as_one_line(namn))
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    tz = ZoneInfo(settings.TIME_ZONE)
    for mote in moter:
        event = Event()
        event.add("uid", mote.kalender_uid)
        event.add("sequence", mote.sekvens)
        event.add("dtstamp", timezone.now())
        # One-line values: a title stored before titles were checked must not break the feed.
        title = as_one_line(mote.namn)
        if mote.avlyst:
            title = f"AVLYST: {title}"
        event.add("summary", title)
        last_day = mote.til_dato or mote.dato
        if mote.start:
            event.add("dtstart", datetime.combine(mote.dato, mote.start, tzinfo=tz))
            if mote.slutt:  # no end in the plan: none is invented
                event.add("dtend", datetime.combine(last_day, mote.slutt, tzinfo=tz))
        else:
            # No time in the plan yet: an all-day event, as the plan only gives the date.
            event.add("dtstart", mote.dato)
            event.add("dtend", last_day + timedelta(days=1))
        if mote.stad:
            event.add("location", as_one_line(mote.stad))
        event.add("status", "CANCELLED" if mote.avlyst else "CONFIRMED")
        url = base_url + mote.get_absolute_url()
        event.add("url", url)
        lines = []
        if mote.vertskap:
            lines.append(f"Arrangør/møtestad: {mote.get_vertskap_display()}")
        saker = saker_for(mote)
        if saker:
            lines.append("Sakliste:")
            lines.extend(f"Sak {s.saksnummer} {s.tittel}" for s in saker)
        lines.append(url)
        event.add("description", "\n".join(lines))
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
