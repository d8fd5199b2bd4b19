"""The innkalling by e-mail, through a real SMTP server on loopback: one message per
recipient that calendars take as a meeting request, updates that say what changed and
update the same event, and every delivery and failure recorded on the meeting."""

import subprocess
import sys
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from helpers import htmx, run_tasks
from icalendar import Calendar

from moter.models import Leveranse, Mote, Sak, Utsending
from partnarskap.models import Medlemskap, Person

# The messages and their retries are decided in Python; the database only keeps the rows.
pytestmark = [pytest.mark.django_db, pytest.mark.one_database(on="sqlite")]

KARI = "kari@example.no"
PER = "per@example.no"


@pytest.fixture
def mote(fsu):
    mote = Mote.objects.filter(utval=fsu).order_by("dato").first()
    for name, address in (("Kari Kommune", KARI), ("Per Sjukehus", PER), ("Utan Adresse", "")):
        Medlemskap.objects.create(
            person=Person.objects.create(namn=name, epost=address), utval=fsu, fra=None
        )
    Sak.objects.create(mote=mote, utval=fsu, ar=mote.dato.year, nummer=7, tittel="Hospitering")
    return mote


def _send(client, mote):
    return client.post(reverse("moter:innkalling_send", args=[mote.pk]), follow=True)


def _parts(message) -> list[str]:
    """The message's MIME tree, as content types indented by depth."""

    def walk(part, depth):
        yield "  " * depth + part.get_content_type()
        if part.is_multipart():
            for child in part.iter_parts():
                yield from walk(child, depth + 1)

    return list(walk(message, 0))


def _calendar(message) -> Calendar:
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return Calendar.from_ical(part.get_content())


def _event(message):
    (event,) = _calendar(message).walk("VEVENT")
    return event


def _attendees(event) -> list[str]:
    value = event.get("ATTENDEE")
    values = value if isinstance(value, list) else [value]
    return [str(v) for v in values if v is not None]


def _time_passes(minutes: int) -> None:
    """Move what waits for a retry that much into the past, as if the time had passed."""
    step = timedelta(minutes=minutes)
    for row in DBTaskResult.objects.filter(status="READY"):
        row.run_after -= step
        row.save(update_fields=["run_after"])
    for row in Leveranse.objects.exclude(neste_forsok=None):
        row.neste_forsok -= step
        row.save(update_fields=["neste_forsok"])


def test_the_innkalling_is_one_meeting_request_per_recipient(sekretariat, mote, smtp):
    response = _send(sekretariat, mote)
    assert "Innkalling vert send til 2 mottakarar" in response.content.decode()
    assert smtp.meldingar == []  # the worker sends, not the request
    assert run_tasks() == 1

    # One message each, to that person alone; the member without an address is left out.
    assert sorted(rcpt for rcpt, _ in smtp.meldingar) == [[KARI], [PER]]
    (message,) = smtp.til(KARI)
    assert message["To"] == f"Kari Kommune <{KARI}>"
    assert "Bcc" not in message and "Cc" not in message
    assert message["Subject"].startswith("Innkalling: ")
    assert _parts(message) == [
        "multipart/mixed",
        "  multipart/alternative",
        "    text/plain",
        "    text/html",
        "    text/calendar",
        "  application/ics",
    ]
    calendar_part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    assert calendar_part.get_param("method") == "REQUEST"
    plain = message.get_body(("plain",)).get_content()
    assert "Sak 7/24 Hospitering" in plain
    assert f"/moter/mote/{mote.pk}/motepakke.pdf" in plain
    assert "Sak 7/24 Hospitering" in message.get_body(("html",)).get_content()

    calendar = _calendar(message)
    assert calendar["METHOD"] == "REQUEST"
    event = _event(message)
    assert str(event["ORGANIZER"]) == f"mailto:{settings.DEFAULT_FROM_EMAIL}"
    assert _attendees(event) == [f"mailto:{KARI}"]  # the others' addresses are not hers
    assert _attendees(_event(smtp.til(PER)[0])) == [f"mailto:{PER}"]
    mote.refresh_from_db()
    assert str(event["UID"]) == mote.kalender_uid
    assert mote.kalender_uid.endswith("@" + urlsplit(settings.SITE_URL).hostname)
    assert int(event["SEQUENCE"]) == mote.sekvens
    assert mote.status == Mote.Status.INNKALLA

    # The secretariat sees who got it.
    page = sekretariat.get(mote.get_absolute_url()).content.decode()
    assert "Innkalling sendt" in page and "2 av 2 mottakarar har fått ho" in page
    assert f"Kari Kommune &lt;{KARI}&gt;: sendt" in page
    assert "Send endra innkalling" in page


def test_an_update_says_what_changed_and_a_cancellation_cancels_the_same_event(
    sekretariat, mote, smtp
):
    _send(sekretariat, mote)
    run_tasks()
    first = _event(smtp.til(KARI)[0])
    data = {
        "type": "utvalsmote",
        "utval": mote.utval_id,
        "dato": "2024-02-15",
        "start": "10:00",
        "slutt": "15:00",
        "stad": "Testrommet",
        "vertskap": "kommunane",
        "runde": 1,
        "status": "innkalla",
        "offentlege_papir": "on",
        "edit_version": Mote.objects.get(pk=mote.pk).edit_version,
    }
    response = htmx(sekretariat, "post", reverse("moter:mote_endre", args=[mote.pk]), data)
    assert response.status_code == 200
    Sak.objects.create(mote=mote, utval=mote.utval, ar=2024, nummer=8, tittel="Legevakt")
    _send(sekretariat, mote)
    run_tasks()
    _, update = smtp.til(KARI)
    assert update["Subject"].startswith("Endra innkalling: ")
    plain = update.get_body(("plain",)).get_content()
    assert "Dato: torsdag 15. februar 2024 (var onsdag 14. februar 2024)" in plain
    assert "Stad: Testrommet (var ikkje fastsett)" in plain
    assert "Ny sak 8/24: Legevakt" in plain
    changed = _event(update)
    assert str(changed["UID"]) == str(first["UID"])
    assert int(changed["SEQUENCE"]) > int(first["SEQUENCE"])
    assert changed.to_ical().decode().count("DTSTART:20240215T090000Z") == 1  # UTC

    # Sending again with nothing changed still raises the sequence, so it is taken as new.
    _send(sekretariat, mote)
    run_tasks()
    assert int(_event(smtp.til(KARI)[2])["SEQUENCE"]) > int(changed["SEQUENCE"])

    sekretariat.post(reverse("moter:mote_avlys", args=[mote.pk]))
    _send(sekretariat, mote)
    run_tasks()
    cancel = smtp.til(KARI)[-1]
    assert cancel["Subject"].startswith("Avlyst: ")
    assert _calendar(cancel)["METHOD"] == "CANCEL"
    cancelled = _event(cancel)
    assert str(cancelled["UID"]) == str(first["UID"])
    assert int(cancelled["SEQUENCE"]) > int(changed["SEQUENCE"])
    assert cancelled["STATUS"] == "CANCELLED"
    assert list(mote.utsendingar.values_list("type", flat=True)) == [
        "avlysing",
        "endring",
        "endring",
        "innkalling",
    ]


def test_a_temporary_refusal_is_tried_again_later(sekretariat, mote, smtp):
    smtp.svar(KARI, "450 4.2.1 Mailbox busy, try later", gonger=2)
    _send(sekretariat, mote)
    run_tasks()
    assert smtp.til(KARI) == [] and len(smtp.til(PER)) == 1
    kari = Leveranse.objects.get(epost=KARI)
    assert (kari.status, kari.forsok) == (Leveranse.Status.VENTAR, 1)
    assert kari.feil.startswith("450 4.2.1 Mailbox busy")
    assert kari.neste_forsok >= timezone.now() + timedelta(seconds=50)
    page = sekretariat.get(mote.get_absolute_url()).content.decode()
    assert "1 av 2 mottakarar har fått ho, 1 ventar" in page
    assert "forsøk 1 feila: 450 4.2.1 Mailbox busy" in page

    assert run_tasks() == 0  # not before its time
    _time_passes(1)
    run_tasks()
    kari.refresh_from_db()
    assert (kari.status, kari.forsok) == (Leveranse.Status.VENTAR, 2)
    # Each wait is longer than the last.
    assert kari.neste_forsok >= timezone.now() + timedelta(minutes=4)
    _time_passes(5)
    run_tasks()
    kari.refresh_from_db()
    assert (kari.status, kari.forsok) == (Leveranse.Status.SENDT, 3)
    assert len(smtp.til(KARI)) == 1 and len(smtp.til(PER)) == 1
    assert (
        "2 av 2 mottakarar har fått ho" in sekretariat.get(mote.get_absolute_url()).content.decode()
    )


def test_a_permanent_refusal_is_recorded_with_its_reason(sekretariat, mote, smtp):
    smtp.svar(KARI, "550 5.1.1 No such user here")
    _send(sekretariat, mote)
    run_tasks()
    kari = Leveranse.objects.get(epost=KARI)
    assert (kari.status, kari.forsok) == (Leveranse.Status.FEILA, 1)
    assert not DBTaskResult.objects.filter(status="READY").exists()  # no retry
    page = sekretariat.get(mote.get_absolute_url()).content.decode()
    assert "1 feila" in page
    assert "<strong>feila</strong> (550 5.1.1 No such user here)" in page
    assert len(smtp.til(PER)) == 1


def test_a_server_that_cannot_be_reached_is_tried_again(sekretariat, mote, smtp, settings):
    port, settings.EMAIL_PORT = settings.EMAIL_PORT, 1  # nothing listens there
    _send(sekretariat, mote)
    run_tasks()
    waiting = Leveranse.objects.filter(utsending__mote=mote)
    assert {(d.status, d.forsok) for d in waiting} == {(Leveranse.Status.VENTAR, 1)}
    assert all(d.feil.startswith("Ingen kontakt med e-posttenaren") for d in waiting)

    settings.EMAIL_PORT = port  # the server is back
    _time_passes(1)
    run_tasks()
    assert {d.status for d in waiting.all()} == {Leveranse.Status.SENDT}
    assert len(smtp.til(KARI)) == 1 and len(smtp.til(PER)) == 1


def test_nobody_to_send_to_sends_nothing_and_says_so(sekretariat, fsu):
    mote = Mote.objects.filter(utval=fsu).order_by("dato").first()
    response = _send(sekretariat, mote)
    assert "Ingenting er sendt" in response.content.decode()
    assert not mote.utsendingar.exists() and run_tasks() == 0


def test_only_the_secretariat_sends(medlem, mote):
    assert medlem.post(reverse("moter:innkalling_send", args=[mote.pk])).status_code == 403
    assert not Utsending.objects.exists()


# --- The feeds carry the same event ---


def test_the_feed_has_the_invitations_event_and_days_for_a_meeting_over_several(public, fsu):
    mote = Mote.objects.create(
        type=Mote.Type.DAGSAMLING,
        tittel="Samling",
        dato=date(2025, 6, 10),
        til_dato=date(2025, 6, 11),
        start=None,
    )
    timed = Mote.objects.create(
        type=Mote.Type.DAGSAMLING,
        tittel="Samling med tider",
        dato=date(2025, 7, 1),
        til_dato=date(2025, 7, 2),
        start=timezone.datetime(2025, 7, 1, 9, 0).time(),
        slutt=timezone.datetime(2025, 7, 1, 15, 30).time(),
    )
    feed = Calendar.from_ical(public.get(reverse("moter:kalender")).content)
    events = {str(e["UID"]): e for e in feed.walk("VEVENT")}
    days = events[mote.kalender_uid]
    assert days.decoded("DTSTART") == date(2025, 6, 10)
    assert days.decoded("DTEND") == date(2025, 6, 12)  # iCalendar's end is the day after
    both = events[timed.kalender_uid]
    assert both.to_ical().decode().count("DTSTART:20250701T070000Z") == 1  # 09:00 in summer
    assert both.to_ical().decode().count("DTEND:20250702T133000Z") == 1
    assert str(both["ORGANIZER"]) == f"mailto:{settings.DEFAULT_FROM_EMAIL}"
    assert "ATTENDEE" not in both  # a feed names nobody


def test_mail_that_did_not_arrive_is_on_the_secretariats_follow_up_list(sekretariat, fsu, smtp):
    mote = Mote.objects.create(utval=fsu, dato=timezone.localdate() + timedelta(days=20))
    Medlemskap.objects.create(person=Person.objects.create(namn="Kari", epost=KARI), utval=fsu)
    smtp.svar(KARI, "550 5.1.1 No such user here")
    _send(sekretariat, mote)
    run_tasks()
    page = sekretariat.get(reverse("framside")).content.decode()
    assert "E-post som ikkje kom fram" in page
    assert f"{mote.get_absolute_url()}#innkalling" in page


# --- Which server: from the environment ---


def _email_settings(env: dict) -> subprocess.CompletedProcess:
    code = (
        "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT)"
    )
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", code],
        env={"PATH": "/usr/bin:/bin", "DEBUG": "1", "DATABASE_URL": "sqlite:///:memory:", **env},
        capture_output=True,
        text=True,
    )


def test_smtp_when_a_mail_server_is_named_and_the_console_otherwise():
    named = _email_settings({"EMAIL_HOST": "smtp.example.no", "EMAIL_PORT": "587"})
    assert named.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.no",
        "587",
    ]
    assert _email_settings({}).stdout.split()[0] == "django.core.mail.backends.console.EmailBackend"
    both = _email_settings(
        {"EMAIL_HOST": "smtp.example.no", "EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}
    )
    assert both.returncode != 0 and "cannot both be on" in both.stderr
