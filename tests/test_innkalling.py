"""The innkalling by e-mail: agenda, pack link and a calendar invitation that later
sendings update in place."""

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from moter.models import Mote, Sak, Utsending
from partnarskap.models import Medlemskap, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def mote(fsu):
    mote = Mote.objects.filter(utval=fsu).order_by("dato").first()
    for name, address in (("Kari Kommune", "kari@example.no"), ("Per Utan", "")):
        Medlemskap.objects.create(
            person=Person.objects.create(namn=name, epost=address), utval=fsu, fra=None
        )
    Sak.objects.create(mote=mote, utval=fsu, ar=mote.dato.year, nummer=7, tittel="Hospitering")
    return mote


def _invitation(message) -> Calendar:
    (name, content, mimetype) = message.attachments[0]
    assert name == "invitasjon.ics" and mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


def test_secretariat_sends_the_innkalling_with_agenda_link_and_invitation(sekretariat, mote):
    response = sekretariat.post(reverse("moter:innkalling_send", args=[mote.pk]), follow=True)
    html = response.content.decode()
    assert "Innkalling er send til 1 mottakar." in html
    assert " til 1 mottakar\n" in html  # the sending log on the meeting page
    (message,) = mail.outbox
    assert message.bcc == ["kari@example.no"]  # the member without an address is left out
    assert message.subject.startswith("Innkalling: ")
    assert "Sak 7/24 Hospitering" in message.body
    assert f"/moter/mote/{mote.pk}/motepakke.pdf" in message.body
    calendar = _invitation(message)
    assert calendar["method"] == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert str(event["uid"]) == mote.kalender_uid
    mote.refresh_from_db()
    assert mote.status == Mote.Status.INNKALLA
    sent = mote.utsendingar.get()
    assert sent.type == Utsending.Type.INNKALLING and "Kari Kommune" in sent.mottakarar
    page = sekretariat.get(mote.get_absolute_url()).content.decode()
    assert "Innkalling sendt" in page and "Send endra innkalling" in page


def test_a_change_sends_an_update_and_a_cancellation_cancels(sekretariat, mote):
    url = reverse("moter:innkalling_send", args=[mote.pk])
    sekretariat.post(url)
    sekretariat.post(reverse("moter:mote_avlys", args=[mote.pk]))
    sekretariat.post(url)
    first, cancel = mail.outbox
    assert cancel.subject.startswith("Avlyst: ")
    old = _invitation(first).walk("VEVENT")[0]
    new = _invitation(cancel).walk("VEVENT")[0]
    assert _invitation(cancel)["method"] == "CANCEL"
    assert str(new["uid"]) == str(old["uid"]) and new["sequence"] > old["sequence"]
    assert new["status"] == "CANCELLED"
    assert list(mote.utsendingar.values_list("type", flat=True)) == ["avlysing", "innkalling"]


def test_nobody_to_send_to_sends_nothing_and_says_so(sekretariat, fsu):
    mote = Mote.objects.filter(utval=fsu).order_by("dato").first()
    response = sekretariat.post(reverse("moter:innkalling_send", args=[mote.pk]), follow=True)
    assert "Ingenting er sendt" in response.content.decode()
    assert not mail.outbox and not mote.utsendingar.exists()


def test_only_the_secretariat_sends(medlem, mote):
    assert medlem.post(reverse("moter:innkalling_send", args=[mote.pk])).status_code == 403
    assert not mail.outbox
