"""Following an utval: a logged-in user follows it from its page and gets an e-mail (through
a real SMTP server on loopback) when its innkalling goes out, when a pack that was sent
changes, and when a referat is approved; every such e-mail ends the following in one
click, without logging in."""

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from helpers import run_tasks

from moter import varsel
from moter.models import Folging, Mote, Referat, Sak, Utsending
from partnarskap.models import Medlemskap, Person

pytestmark = pytest.mark.django_db

OLA = "ola@example.no"  # a member of SSU, who follows FSU
MARI = "mari@example.no"  # a member of FSU, called to its meetings
LUKKA = "Lukka personalsak"


@pytest.fixture
def framtidig(fsu, medlem_user) -> Mote:
    """An FSU meeting still to come, with an open and an exempt sak."""
    mote = Mote.objects.create(utval=fsu, dato=timezone.localdate() + timedelta(days=30))
    year = mote.dato.year
    Sak.objects.create(mote=mote, utval=fsu, ar=year, nummer=1, tittel="Open sak")
    Sak.objects.create(mote=mote, utval=fsu, ar=year, nummer=2, tittel=LUKKA, offentleg=False)
    return mote


def _folg(client, utval, on: bool = True):
    return client.post(reverse("moter:folg", args=[utval.slug]), {"folg": "1" if on else "0"})


def _time_passes(minutes: int) -> None:
    for row in DBTaskResult.objects.filter(status="READY"):
        row.run_after -= timedelta(minutes=minutes)
        row.save(update_fields=["run_after"])


def _all_text(message) -> str:
    return message.as_string() + "".join(
        p.get_content() for p in message.walk() if p.get_content_maintype() == "text"
    )


def _unfollow_link(message) -> str:
    plain = message.get_body(("plain",)).get_content()
    (url,) = re.findall(r"Slutt å følgje: (\S+)", plain)
    return url.removeprefix("http://127.0.0.1:8000")


def test_a_logged_in_user_follows_an_utval_from_its_page(public, annan_medlem, fsu):
    page = public.get(fsu.get_absolute_url()).content.decode()
    assert "Logg inn</a> for å følgje utvalet" in page
    assert _folg(public, fsu).status_code == 302 and not Folging.objects.exists()

    page = annan_medlem.get(fsu.get_absolute_url()).content.decode()
    assert f"Følg {fsu.namn}" in page and OLA in page
    response = _folg(annan_medlem, fsu)
    assert response.status_code == 302
    page = annan_medlem.get(response["Location"]).content.decode()
    assert f"Du følgjer no {fsu.namn}." in page
    assert f"Slutt å følgje {fsu.namn}" in page
    _folg(annan_medlem, fsu)  # twice is once
    assert Folging.objects.filter(utval=fsu).count() == 1

    _folg(annan_medlem, fsu, on=False)
    assert not Folging.objects.exists()


def test_an_account_without_an_address_is_told_it_cannot_follow(fsu):
    from django.contrib.auth.models import User
    from helpers import logged_in

    client = logged_in(User.objects.create_user("utan", password="ikkje-i-bruk-123"))
    assert (
        "Kontoen din har inga e-postadresse" in client.get(fsu.get_absolute_url()).content.decode()
    )
    _folg(client, fsu)
    assert not Folging.objects.exists()


def test_followers_hear_of_the_innkalling_once_and_never_of_an_exempt_title(
    sekretariat, annan_medlem, medlem, fsu, framtidig, smtp
):
    _folg(annan_medlem, fsu)
    _folg(medlem, fsu)  # a member who follows gets the innkalling itself, not both
    sekretariat.post(reverse("moter:innkalling_send", args=[framtidig.pk]))
    run_tasks()

    (innkalling,) = smtp.til(MARI)
    assert innkalling["Subject"].startswith("Innkalling: ")
    (notice,) = smtp.til(OLA)
    assert notice["Subject"].strip() == f"Innkalling er send: {fsu.namn} {framtidig.dato:%d.%m.%Y}"
    assert notice["To"].strip() == f"Ola <{OLA}>"
    assert not any(p.get_content_type() == "text/calendar" for p in notice.walk())
    assert "motepakke.pdf" in notice.get_body(("plain",)).get_content()
    # The unfollow link, in the text, the HTML and the header mail programs offer.
    link = _unfollow_link(notice)
    assert link in notice.get_body(("html",)).get_content()
    assert notice["List-Unsubscribe"].strip() == f"<http://127.0.0.1:8000{link}>"
    assert notice["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    for message in (innkalling, notice):
        assert LUKKA not in _all_text(message)
    sendings = {u.type: u for u in framtidig.utsendingar.all()}
    assert set(sendings) == {Utsending.Type.INNKALLING, Utsending.Type.VARSEL_INNKALLING}
    page = sekretariat.get(framtidig.get_absolute_url()).content.decode()
    assert "Varsel til følgjarar: innkalling sendt" in page


def test_the_unfollow_link_works_without_logging_in(annan_medlem_user, annan_medlem, fsu):
    _folg(annan_medlem, fsu)
    url = reverse("moter:avmeld", args=[varsel.avmeld_token(annan_medlem_user.pk, fsu.pk)])
    visitor = Client(enforce_csrf_checks=True)  # as a mail program posts it: no form token
    page = visitor.get(url).content.decode()
    assert f"Slutt å følgje {fsu.namn}" in page
    assert Folging.objects.exists()  # a GET (a link checker, a preview) changes nothing
    response = visitor.post(url)
    assert response.status_code == 200
    assert f"Du følgjer ikkje lenger {fsu.namn}" in response.content.decode()
    assert not Folging.objects.exists()
    assert visitor.post(url).status_code == 200  # again: still not following

    # Another utval's payload under this link's signature is no link.
    other = varsel.avmeld_token(annan_medlem_user.pk, fsu.pk + 1)
    forged = other.rsplit(":", 1)[0] + ":" + url.rstrip("/").rsplit(":", 1)[1]
    assert visitor.get(reverse("moter:avmeld", args=[forged])).status_code == 404
    assert visitor.get(url[:-3] + "xx/").status_code == 404


def test_a_pack_that_changes_after_it_was_sent_tells_the_followers(
    sekretariat, annan_medlem, fsu, framtidig, smtp
):
    _folg(annan_medlem, fsu)
    sekretariat.post(reverse("moter:innkalling_send", args=[framtidig.pk]))
    run_tasks()
    assert len(smtp.til(OLA)) == 1

    # Two edits in a row: one notice, once the editing has settled.
    url = reverse("moter:sak_ny", args=[framtidig.pk])
    for title in ("Ny sak om legevakt", "Ny sak om hospitering"):
        response = sekretariat.post(url, {"tittel": title, "type": "vedtak", "offentleg": "on"})
        assert response.status_code == 302
    run_tasks()
    assert len(smtp.til(OLA)) == 1  # not yet
    _time_passes(10)
    run_tasks()
    _, notice = smtp.til(OLA)
    assert notice["Subject"].strip() == f"Møtepakka er endra: {fsu.namn} {framtidig.dato:%d.%m.%Y}"
    assert "Ny sak om legevakt" not in _all_text(notice)  # the notice names no sak
    assert _unfollow_link(notice)
    assert (
        framtidig.utsendingar.filter(type=Utsending.Type.VARSEL_PAKKE).count() == 1
    )  # the second check found the pack as the notice had it


def test_an_approved_referat_tells_the_followers(sekretariat, annan_medlem, fsu, smtp):
    _folg(annan_medlem, fsu)
    mote = Mote.objects.get(utval=fsu, dato=date(2024, 2, 14))
    later = Mote.objects.get(utval=fsu, dato=date(2024, 5, 16))
    url = reverse("moter:referat_endre", args=[mote.pk])
    people = (
        Medlemskap.objects.gjeldande(mote.dato).filter(utval=fsu).values_list("person", flat=True)
    )
    data = {"merknad": "Ført.", **{f"status_{pk}": "til_stades" for pk in people}}
    assert sekretariat.post(url, data).status_code == 302
    run_tasks()
    assert smtp.til(OLA) == []  # minutes written are not minutes approved

    referat = Referat.objects.get(mote=mote)
    data |= {"godkjent_i": later.pk, "edit_version": referat.edit_version}
    assert sekretariat.post(url, data).status_code == 302
    run_tasks()
    (notice,) = smtp.til(OLA)
    assert notice["Subject"].strip() == f"Referatet er godkjent: {fsu.namn} 14.02.2024"
    plain = notice.get_body(("plain",)).get_content()
    assert f"godkjent i møtet {fsu.namn} 16.05.2024" in plain
    assert reverse("moter:referat_pdf", args=[mote.pk]) in plain
    assert _unfollow_link(notice)


def test_the_meeting_life_can_tell_the_followers_itself(annan_medlem, fsu, smtp):
    """The function another flow of approval calls."""
    _folg(annan_medlem, fsu)
    mote = Mote.objects.get(utval=fsu, dato=date(2024, 2, 14))
    assert varsel.referat_godkjent(mote) is not None
    run_tasks()
    assert len(smtp.til(OLA)) == 1
    Person.objects.filter(brukar__email=OLA).update(epost="")
    Folging.objects.all().delete()
    assert varsel.referat_godkjent(mote) is None  # nobody follows: nothing is sent
