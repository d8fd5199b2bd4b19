"""What a review found a visitor or a user could break: line breaks in one-line fields,
absolute links from the Host header, scripts in uploaded PDFs, uploaded file names, login
throttling per address, oversized requests, and PDFs rendered again for every query string."""

import importlib
import inspect
from datetime import date

import pytest
from django import forms
from django.core import mail
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from moter.models import Mote, Sak, Utsending
from partnarskap.models import Medlemskap, Person
from portal.forms import ONE_LINE_MESSAGE, _edits_one_line, one_line

SITE = "https://portal.helsefellesskap.example"


@pytest.fixture
def mote(fsu) -> Mote:
    return Mote.objects.get(utval=fsu, dato=date(2024, 2, 14))


# --- One-line fields ---


def _forms():
    for app in ("partnarskap", "avtalar", "handlingsplan", "moter"):
        module = importlib.import_module(f"{app}.forms")
        for name, form in vars(module).items():
            if (
                inspect.isclass(form)
                and issubclass(form, forms.BaseForm)
                and form.__module__ == module.__name__
                and name != "FilterForm"  # searches and filters edit nothing
            ):
                yield name, form


def test_every_one_line_text_field_refuses_line_breaks():
    checked = []
    for name, form in _forms():
        for field_name, field in form.base_fields.items():
            if _edits_one_line(field):
                assert one_line in field.validators, f"{name}.{field_name}"
                checked.append(f"{name}.{field_name}")
    # Titles, places and names among them.
    assert {"MoteForm.tittel", "MoteForm.stad", "SakForm.tittel", "VedleggForm.tittel"} <= set(
        checked
    )
    assert {"MedlemskapForm.ny_person", "ArshjulpunktForm.tittel", "NyPeriodeForm.tittel"} <= set(
        checked
    )


@pytest.mark.parametrize("bad", ["Møte\nmed linjeskift", "Møte\r\nBcc: alle@example.no", "A\tB"])
def test_a_line_break_in_a_meeting_title_is_refused_at_the_field(sekretariat, mote, bad):
    data = {
        "type": "utvalsmote",
        "utval": mote.utval_id,
        "tittel": bad,
        "dato": "2024-02-14",
        "status": "planlagt",
        "stad": "Førde",
    }
    response = sekretariat.post(reverse("moter:mote_endre", args=[mote.pk]), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert f'<ul class="feilmelding" id="id_tittel_error"><li>{ONE_LINE_MESSAGE}</li>' in html
    mote.refresh_from_db()
    assert mote.tittel == ""


def test_a_title_with_a_line_break_from_before_still_sends_the_innkalling(sekretariat, mote):
    """Titles stored before they were checked (or restored from history) must not make
    "Send innkalling" fail."""
    Mote.objects.filter(pk=mote.pk).update(tittel="FSU-møte\nekstra linje")
    Medlemskap.objects.create(
        person=Person.objects.create(namn="Kari Kommune", epost="kari@example.no"),
        utval=mote.utval,
        fra=None,
    )
    response = sekretariat.post(reverse("moter:innkalling_send", args=[mote.pk]), follow=True)
    assert response.status_code == 200
    assert "Innkalling er send til 1 mottakar." in response.content.decode()
    (message,) = mail.outbox
    assert message.subject == "Innkalling: FSU-møte ekstra linje 14.02.2024"
    message.message()  # the headers are well formed


# --- Absolute links from SITE_URL, never from the Host header ---


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]
    return settings


FORGED = {"HTTP_HOST": "evil.example", "HTTP_X_FORWARDED_PROTO": "https"}


def _urls(feed: bytes) -> set[str]:
    return {str(e["URL"]) for e in Calendar.from_ical(feed).walk("VEVENT")}


def test_calendar_feed_links_come_from_site_url_not_the_host(public, site, mote):
    urls = _urls(public.get(reverse("moter:kalender"), **FORGED).content)
    assert urls and all(url.startswith(f"{SITE}/moter/mote/") for url in urls)


def test_the_page_cache_never_passes_a_forged_host_on(public, site, mote):
    site.SIDEBUFFER = True
    caches[site.SIDEBUFFER_CACHE].clear()
    forged = public.get(reverse("moter:kalender"), **FORGED)
    plain = public.get(reverse("moter:kalender"))
    assert b"evil.example" not in forged.content + plain.content
    assert _urls(plain.content) == _urls(forged.content)
    assert all(url.startswith(SITE) for url in _urls(plain.content))


def test_innkalling_links_come_from_site_url(sekretariat, site, mote):
    Medlemskap.objects.create(
        person=Person.objects.create(namn="Kari Kommune", epost="kari@example.no"),
        utval=mote.utval,
        fra=None,
    )
    Sak.objects.create(mote=mote, utval=mote.utval, ar=2024, nummer=1, tittel="Hospitering")
    sekretariat.post(reverse("moter:innkalling_send", args=[mote.pk]), **FORGED)
    (message,) = mail.outbox
    assert "evil.example" not in message.body
    assert f"{SITE}/moter/mote/{mote.pk}/motepakke.pdf" in message.body
    assert f"Møtet i portalen: {SITE}/moter/mote/{mote.pk}/" in message.body


# --- Times in Europe/Oslo ---


def test_e_mails_and_the_sending_log_are_in_norwegian_time(sekretariat, mote):
    Medlemskap.objects.create(
        person=Person.objects.create(namn="Kari Kommune", epost="kari@example.no"),
        utval=mote.utval,
        fra=None,
    )
    sekretariat.post(reverse("moter:innkalling_send", args=[mote.pk]))
    (message,) = mail.outbox
    offset = timezone.localtime().strftime("%z")  # +0100 or +0200
    assert message.message()["Date"].endswith(offset)
    sent = Utsending.objects.get()
    assert str(sent).endswith(f"{timezone.localtime(sent.sendt):%d.%m.%Y %H:%M}")
