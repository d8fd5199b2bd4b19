"""What a review found a visitor or a user could break: line breaks in one-line fields,
absolute links from the Host header, scripts in uploaded PDFs, uploaded file names, login
throttling per address, oversized requests, and PDFs rendered again for every query string."""

import hashlib
import importlib
import inspect
import io
import json
import re
from datetime import date

import pikepdf
import pytest
from django import forms
from django.core import mail
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from helpers import run_tasks
from icalendar import Calendar
from pikepdf import Array, Dictionary, Name, String
from pypdf import PdfReader
from test_avtalar import HOSPITERING, version_data

from avtalar.models import Avtale
from bench.testdata import lag_pdf
from handlingsplan.models import Tiltak
from moter.models import Mote, Referat, Sak, Utsending, Vedlegg
from partnarskap.models import Medlemskap, Person
from portal.forms import ONE_LINE_MESSAGE, _edits_one_line, one_line

SITE = "https://portal.helsefellesskap.example"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


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
        "edit_version": mote.edit_version,
    }
    response = sekretariat.post(reverse("moter:mote_endre", args=[mote.pk]), data)
    assert response.status_code == 422
    html = response.content.decode()
    error = f'<ul class="feilmelding" id="id_mote_{mote.pk}_tittel_error"><li>{ONE_LINE_MESSAGE}'
    assert error in html
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
    assert "Innkalling vert send til 1 mottakar" in response.content.decode()
    run_tasks()
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
    run_tasks()
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
    run_tasks()
    (message,) = mail.outbox
    offset = timezone.localtime().strftime("%z")  # +0100 or +0200
    assert message.message()["Date"].endswith(offset)
    sent = Utsending.objects.get()
    assert str(sent).endswith(f"{timezone.localtime(sent.sendt):%d.%m.%Y %H:%M}")


# --- Scripts in uploaded PDFs never reach a reader ---


def _pdf_with_scripts() -> bytes:
    """A one-page PDF with every kind of script and running action, and one plain link."""
    pdf = pikepdf.open(io.BytesIO(lag_pdf(1, "Med skript")))
    script = pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=String("app.alert('hei')")))
    pdf.Root.OpenAction = script
    pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("a"), script])))
    pdf.Root.AA = Dictionary(WC=Dictionary(S=Name.JavaScript, JS=String("app.alert(2)")))
    page = pdf.pages[0].obj
    page.AA = Dictionary(O=Dictionary(S=Name.JavaScript, JS=String("app.alert(3)")))

    def link(action, top):
        return Dictionary(
            Type=Name.Annot, Subtype=Name.Link, Rect=Array([0, top, 100, top + 20]), A=action
        )

    page.Annots = pdf.make_indirect(
        Array(
            [
                link(Dictionary(S=Name.URI, URI=String("javascript:alert(4)")), 0),
                link(Dictionary(S=Name.Launch, F=String("calc.exe")), 20),
                link(
                    Dictionary(
                        S=Name.GoTo,
                        D=Array([page, Name.Fit]),
                        Next=Dictionary(S=Name.JavaScript, JS=String("app.alert(5)")),
                    ),
                    40,
                ),
                link(Dictionary(S=Name.URI, URI=String("https://helse-forde.no/")), 60),
            ]
        )
    )
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _active_content(data: bytes) -> set[str]:
    """What in the PDF, written out uncompressed, could run."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        out = io.BytesIO()
        pdf.save(out, qdf=True, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    raw = out.getvalue()
    found = {m.decode() for m in re.findall(rb"/JavaScript|/JS\b|/OpenAction|/AA\b|/Launch", raw)}
    if b"javascript:" in raw.lower():
        found.add("javascript:")
    return found


def test_the_test_pdf_has_scripts():
    assert _active_content(_pdf_with_scripts()) == {
        "/JavaScript", "/JS", "/OpenAction", "/AA", "/Launch", "javascript:",
    }  # fmt: skip


def test_an_uploaded_attachment_is_stored_without_scripts(sekretariat, mote):
    sak = Sak.objects.create(mote=mote, utval=mote.utval, ar=2024, nummer=1, tittel="Sak")
    upload = SimpleUploadedFile("Skript.pdf", _pdf_with_scripts(), content_type="application/pdf")
    response = sekretariat.post(reverse("moter:vedlegg_ny", args=[sak.pk]), {"fil": upload})
    assert response.status_code == 302
    vedlegg = Vedlegg.objects.get()
    stored = vedlegg.fil.read()
    assert _active_content(stored) == set()
    assert b"helse-forde.no" in stored  # a plain link stays
    assert len(PdfReader(io.BytesIO(stored)).pages) == vedlegg.sider == 1
    assert vedlegg.sjekksum == hashlib.sha256(stored).hexdigest()
    assert vedlegg.storleik == len(stored)


def test_an_agreement_document_is_stored_without_scripts(sekretariat, seeded):
    avtale = Avtale.objects.get(slug=HOSPITERING)
    dokument = SimpleUploadedFile("a.pdf", _pdf_with_scripts(), content_type="application/pdf")
    response = sekretariat.post(
        reverse("avtalar:ny_versjon", args=[avtale.slug]), version_data(dokument=dokument)
    )
    assert response.status_code == 302
    version = avtale.versjonar.get(versjon="Revidert 2026")
    assert _active_content(version.dokument.read()) == set()


def test_a_pack_never_merges_a_script_stored_before_uploads_were_cleaned(medlem, mote):
    sak = Sak.objects.create(mote=mote, utval=mote.utval, ar=2024, nummer=1, tittel="Sak")
    vedlegg = Vedlegg(sak=sak, tittel="Gammalt vedlegg", sider=1)
    vedlegg.fil.save("gammalt.pdf", ContentFile(_pdf_with_scripts()), save=True)
    response = medlem.get(reverse("moter:motepakke", args=[mote.pk]))
    assert response.status_code == 200
    pack = b"".join(response.streaming_content)
    assert len(PdfReader(io.BytesIO(pack)).pages) >= 4
    assert _active_content(pack) == set()


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.one_database(on="sqlite")  # response headers and the PDF cache, decided in Python
def test_every_pdf_is_sent_sandboxed(public, medlem, sekretariat, mote):
    sak = Sak.objects.create(mote=mote, utval=mote.utval, ar=2024, nummer=1, tittel="Sak")
    vedlegg = Vedlegg(sak=sak, tittel="Vedlegg", sider=1)
    vedlegg.fil.save("v.pdf", ContentFile(lag_pdf(1)), save=True)
    Referat.objects.create(mote=mote)
    sekretariat.post(reverse("avtalar:ny_versjon", args=[HOSPITERING]), version_data())
    version = Avtale.objects.get(slug=HOSPITERING).versjonar.get(versjon="Revidert 2026")
    urls = [
        vedlegg.get_absolute_url(),
        version.dokument_url(),
        reverse("moter:motepakke", args=[mote.pk]),
        reverse("moter:referat_pdf", args=[mote.pk]),
        reverse("moter:moteplan_pdf", args=[2024]),
        reverse("avtalar:oversikt_pdf"),
        reverse("handlingsplan:pdf", args=[2023, 2024]),
        reverse("partnarskap:arshjul_pdf", args=[2024]),
    ]
    for url in urls:
        response = medlem.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/pdf", url
        assert _body(response).startswith(b"%PDF-"), url
        policy = {d.strip() for d in response["Content-Security-Policy"].split(";")}
        assert "sandbox" in policy and "default-src 'none'" in policy, url
        assert response["X-Content-Type-Options"] == "nosniff"


# --- Stored file names are the portal's own ---


@pytest.mark.parametrize("name", ["rapport.html", "../../settings.py", "Notat med mellomrom.PDF"])
def test_an_attachment_is_stored_under_the_portals_own_name(sekretariat, mote, name):
    sak = Sak.objects.create(mote=mote, utval=mote.utval, ar=2024, nummer=1, tittel="Sak")
    upload = SimpleUploadedFile(name, lag_pdf(1), content_type="application/pdf")
    assert (
        sekretariat.post(reverse("moter:vedlegg_ny", args=[sak.pk]), {"fil": upload}).status_code
        == 302
    )
    stored = Vedlegg.objects.get().fil.name
    assert re.fullmatch(rf"moter/vedlegg/{timezone.now():%Y}/[0-9a-f]{{32}}\.pdf", stored), stored


def test_an_agreement_document_is_stored_under_the_agreements_name(sekretariat, seeded):
    dokument = SimpleUploadedFile("skript.html", lag_pdf(1), content_type="text/html")
    sekretariat.post(
        reverse("avtalar:ny_versjon", args=[HOSPITERING]), version_data(dokument=dokument)
    )
    version = Avtale.objects.get(slug=HOSPITERING).versjonar.get(versjon="Revidert 2026")
    assert re.fullmatch(
        rf"avtalar/{timezone.now():%Y}/{HOSPITERING}-\d{{4}}-\d{{2}}-\d{{2}}(_\w+)?\.pdf",
        version.dokument.name,
    )


# --- Login throttling ---


def _login(client, username, password="feil", ip="10.0.0.7"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_one_address_cannot_try_a_few_passwords_on_every_account(
    public, sekretariat_user, settings
):
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(public, f"konto{n}").status_code == 200  # each account tried once
    _login(public, "konto-siste")
    locked = _login(public, "sigrid", "ikkje-i-bruk-123")
    assert locked.status_code == 429
    assert "_auth_user_id" not in public.session
    # Another address is not locked out.
    assert _login(public, "sigrid", "ikkje-i-bruk-123", ip="10.0.0.8").status_code == 302


def _lockout(client, username, ip) -> tuple[int, str]:
    from django.conf import settings

    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, username, ip=ip)
    response = _login(client, username, ip=ip)
    html = response.content.decode()
    return response.status_code, re.sub(r'value="[^"]+"', 'value=""', html)


def test_the_lockout_says_the_same_whether_the_account_exists_or_not(public, sekretariat_user):
    from django.test import Client

    existing = _lockout(public, "sigrid", "10.0.0.9")
    missing = _lockout(Client(), "finst-ikkje", "10.0.0.10")
    assert existing[0] == missing[0] == 429
    assert existing[1] == missing[1]
    assert "Innlogginga er mellombels sperra" in missing[1]


# --- Request bodies over the limit are refused before they are read ---


class _Untouchable(io.RawIOBase):
    def read(self, *args):
        raise AssertionError("the request body was read")

    readline = readinto = read


def _post_huge(client, url, size, **extra):
    return client.generic(
        "POST",
        url,
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(size),
        **{"wsgi.input": _Untouchable()},
        **extra,
    )


def test_an_anonymous_request_over_a_login_forms_size_is_refused_unread(public, seeded):
    response = _post_huge(public, reverse("login"), 200 * 1024)
    assert response.status_code == 413
    assert "Førespurnaden er for stor" in response.content.decode()


def test_an_upload_over_the_limit_is_refused_unread(sekretariat, mote, settings):
    sak = Sak.objects.create(mote=mote, utval=mote.utval, ar=2024, nummer=1, tittel="Sak")
    url = reverse("moter:vedlegg_ny", args=[sak.pk])
    too_big = (settings.MAX_UPLOAD_MB + 2) * 1024 * 1024
    response = _post_huge(sekretariat, url, too_big, HTTP_HX_REQUEST="true")
    assert response.status_code == 413
    message = json.loads(response["HX-Trigger"])["portal:melding"]
    assert message == "Førespurnaden er for stor. Største tillatne fil er 25 MB."
    assert not Vedlegg.objects.exists()
    # An upload within the limit still goes through.
    upload = SimpleUploadedFile("ok.pdf", lag_pdf(1), content_type="application/pdf")
    assert sekretariat.post(url, {"fil": upload}).status_code == 302


# --- A PDF export is built once per state of the data ---


@pytest.fixture
def renders(monkeypatch, settings):
    """Count WeasyPrint renders; with the cache on, as in production."""
    from weasyprint import HTML

    settings.SIDEBUFFER = True
    caches["default"].clear()
    calls = []
    original = HTML.write_pdf

    def counting(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "write_pdf", counting)
    return calls


@pytest.mark.one_database(on="sqlite")  # response headers and the PDF cache, decided in Python
def test_a_pdf_export_renders_once_per_state_of_the_data(
    public, seeded, renders, django_capture_on_commit_callbacks
):
    url = reverse("handlingsplan:pdf", args=[2023, 2024])
    first = public.get(url)
    again = public.get(url + "?utm_source=nyheitsbrev&_=123")
    assert first.content == again.content and len(renders) == 1
    public.get(url + "?dato=2024-01-01")  # the plan as it stood then: another document
    assert len(renders) == 2
    with django_capture_on_commit_callbacks(execute=True):
        tiltak = Tiltak.objects.first()
        tiltak.kommentar = "Ny kommentar etter eksporten."
        tiltak.save()
    changed = public.get(url)
    assert len(renders) == 3 and changed.content != first.content


@pytest.mark.one_database(on="sqlite")  # response headers and the PDF cache, decided in Python
def test_a_cached_export_never_reaches_a_reader_who_may_not_see_it(
    public, sekretariat, seeded, renders
):
    Avtale.objects.create(
        type="delavtale", tittel="Hemmeleg utkast", slug="utkast", status="utkast"
    )
    url = reverse("avtalar:oversikt_pdf")

    def text(response) -> str:
        return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)

    assert "Hemmeleg utkast" in text(sekretariat.get(url))
    assert "Hemmeleg utkast" not in text(public.get(url))
    assert len(renders) == 2


def test_files_stored_before_cleaning_can_be_cleaned_once(mote):
    from django.core.management import call_command

    sak = Sak.objects.create(mote=mote, utval=mote.utval, ar=2024, nummer=1, tittel="Sak")
    vedlegg = Vedlegg(sak=sak, tittel="Gammalt vedlegg", sider=1, sjekksum="gammal")
    vedlegg.fil.save("gammalt.pdf", ContentFile(_pdf_with_scripts()), save=True)
    out = io.StringIO()
    call_command("clean_pdfs", stdout=out)
    assert "Reinska 1 PDF-filer" in out.getvalue()
    vedlegg.refresh_from_db()
    stored = vedlegg.fil.read()
    assert _active_content(stored) == set()
    assert vedlegg.sjekksum == hashlib.sha256(stored).hexdigest()
    call_command("clean_pdfs", stdout=out)
    assert "Reinska 0 PDF-filer" in out.getvalue()
