"""What is not public reaches only those who may see it, wherever it is referred to.

Three things are not public here: a draft agreement (the secretariat's alone), a sak
unnateken offentlegheit in an FSU meeting (FSU's members and the secretariat), and a sak in
an SSU meeting whose papers are closed (SSU's members and the secretariat). Each page,
fragment, feed, PDF, search, e-mail and history page that refers to them is asked for by
the public, a member of SSU, a member of FSU and the secretariat."""

import ast
import importlib
import io
import re
import typing
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from helpers import run_tasks
from icalendar import Calendar
from pypdf import PdfReader
from simple_history.manager import HistoryManager

from avtalar.models import Avtale, Avtaleversjon
from bench.testdata import lag_pdf
from handlingsplan.models import Tiltak
from moter.models import Mote, Referat, Sak, Vedlegg
from partnarskap.models import Medlemskap, Partnar, Person, today
from portal.history import HISTORY_APPS, history_rule

HOSPITERING = "delavtale-gjensidig-hospiteringsordning"
HOSPITERING_TITTEL = "Delavtale gjensidig hospiteringsordning"

# Who sees what: the draft, FSU's exempt sak, the sak in SSU's closed meeting.
SER_UTKAST = {"public": False, "annan_medlem": False, "medlem": False, "sekretariat": True}
SER_FSU_LUKKA = {"public": False, "annan_medlem": False, "medlem": True, "sekretariat": True}
SER_SSU_LUKKA = {"public": False, "annan_medlem": True, "medlem": False, "sekretariat": True}

UTKAST = "Hemmeleg utkast om legevakt"
FSU_LUKKA = "Lukka personalsak"
SSU_LUKKA = "Lukka budsjettdrøfting"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def ting(fsu, ssu, sekretariat_user) -> dict:
    """The draft, the two closed saker and what refers to them."""
    kinn = Partnar.objects.get(slug="kinn")
    hospitering = Avtale.objects.get(slug=HOSPITERING)
    utkast = Avtale.objects.create(
        type=Avtale.Type.DELAVTALE,
        tittel=UTKAST,
        slug="hemmeleg-utkast",
        status=Avtale.Status.UTKAST,
        neste_revisjon=today() + timedelta(days=30),
    )
    utkast.partar.add(kinn)
    versjon = Avtaleversjon.objects.create(
        avtale=utkast, versjon="Utkast 1", gjeld_fra=today(), samandrag="Heilt nytt."
    )
    versjon.dokument.save("utkast.pdf", ContentFile(lag_pdf(1)), save=True)
    saeravtale = Avtale.objects.create(
        type=Avtale.Type.SAERAVTALE, tittel="Open særavtale for Kinn", slug="open", utdjupar=utkast
    )
    saeravtale.partar.add(kinn)

    tiltak = Tiltak.objects.get(tekst="følge opp prosjektet avansert heimesjukehus")
    tiltak._history_user = sekretariat_user
    tiltak.avtalar.add(utkast, hospitering)

    mote = Mote.objects.get(utval=fsu, dato=date(2024, 2, 14))
    open_sak = Sak.objects.create(
        mote=mote, utval=fsu, ar=2024, nummer=1, rekkjefolgje=1, tittel="Open sak om legevakt"
    )
    open_sak.avtalar.add(utkast)
    lukka = Sak.objects.create(
        mote=mote,
        utval=fsu,
        ar=2024,
        nummer=2,
        rekkjefolgje=2,
        tittel=FSU_LUKKA,
        offentleg=False,
        vedtak="Lukka vedtak om personal.",
    )
    lukka.avtalar.add(hospitering)
    vedlegg = Vedlegg(sak=lukka, tittel="Lukka vedlegg", sider=1)
    vedlegg.fil.save("v.pdf", ContentFile(lag_pdf(1)), save=True)
    Referat.objects.create(mote=mote)

    ssu_mote = Mote.objects.get(utval=ssu, dato=date(2024, 2, 29))
    ssu_mote.offentlege_papir = False
    ssu_mote.save()
    ssu_sak = Sak.objects.create(mote=ssu_mote, utval=ssu, ar=2024, nummer=1, tittel=SSU_LUKKA)
    return {
        "utkast": utkast,
        "versjon": versjon,
        "saeravtale": saeravtale,
        "hospitering": hospitering,
        "tiltak": tiltak,
        "mote": mote,
        "open_sak": open_sak,
        "lukka": lukka,
        "vedlegg": vedlegg,
        "ssu_mote": ssu_mote,
        "ssu_sak": ssu_sak,
    }


@pytest.fixture
def klientar(public, annan_medlem, medlem, sekretariat) -> dict:
    return {
        "public": public,
        "annan_medlem": annan_medlem,
        "medlem": medlem,
        "sekretariat": sekretariat,
    }


def _page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def _pdf_text(response) -> str:
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


# --- Pages that refer to a draft agreement ---


def test_a_tiltak_lists_only_the_agreements_the_user_may_see(klientar, ting):
    tiltak = ting["tiltak"]
    for persona, client in klientar.items():
        for url in (tiltak.get_absolute_url(), reverse("handlingsplan:periode", args=[2023, 2024])):
            page = _page(client, url)
            assert HOSPITERING_TITTEL in page
            assert (UTKAST in page) is SER_UTKAST[persona], (persona, url)
            assert ("/avtalar/hemmeleg-utkast/" in page) is SER_UTKAST[persona], (persona, url)
        fragment = client.get(tiltak.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
        assert HOSPITERING_TITTEL in fragment
        assert (UTKAST in fragment) is SER_UTKAST[persona], persona


def test_a_sak_lists_only_the_agreements_the_user_may_see(klientar, ting):
    for persona, client in klientar.items():
        page = _page(client, ting["mote"].get_absolute_url())
        assert "Open sak om legevakt" in page
        assert (UTKAST in page) is SER_UTKAST[persona], persona


def test_an_agreement_lists_only_the_saker_and_agreements_the_user_may_see(klientar, ting):
    for persona, client in klientar.items():
        page = _page(client, ting["hospitering"].get_absolute_url())
        assert (FSU_LUKKA in page) is SER_FSU_LUKKA[persona], persona
        page = _page(client, ting["saeravtale"].get_absolute_url())
        assert (UTKAST in page) is SER_UTKAST[persona], persona  # the agreement it builds on


def test_the_partner_page_shows_public_agreements_only(klientar, ting):
    for persona, client in klientar.items():
        page = _page(client, reverse("partnarskap:partnar", args=["kinn"]))
        assert "Open særavtale for Kinn" in page
        assert UTKAST not in page, persona  # the page is the same for everyone


def test_the_front_page_shows_a_draft_to_the_secretariat_only(klientar, ting):
    for persona, client in klientar.items():
        page = _page(client, "/")
        sections = page.split("Nyleg reviderte avtalar")[1]
        assert (UTKAST in sections) is SER_UTKAST[persona], persona


def test_a_drafts_document_is_for_the_secretariat_only(klientar, ting):
    url = reverse("avtalar:dokument", args=[ting["utkast"].slug, ting["versjon"].pk])
    for persona, client in klientar.items():
        response = client.get(url)
        assert response.status_code == (200 if SER_UTKAST[persona] else 404), persona


# --- Search ---


def test_search_finds_only_what_the_user_may_see(klientar, ting):
    for persona, client in klientar.items():
        page = _page(client, reverse("sok"), q="hemmeleg utkast")
        assert (UTKAST in page) is SER_UTKAST[persona], persona
        page = _page(client, reverse("avtalar:oversikt"), q="hemmeleg")
        assert (UTKAST in page) is SER_UTKAST[persona], persona
        page = _page(client, reverse("sok"), q="lukka")
        assert (FSU_LUKKA in page) is SER_FSU_LUKKA[persona], persona
        assert (SSU_LUKKA in page) is SER_SSU_LUKKA[persona], persona


# --- Meetings: pages, feeds, PDFs, e-mail ---


def _closed_papers(who: dict, persona: str) -> int:
    """What a meeting paper's own address answers: the paper, a way to log in for a
    visitor who is not logged in, or 404 for a logged-in user who may not see it."""
    if who[persona]:
        return 200
    return 302 if persona == "public" else 404


def test_closed_saker_show_by_number_only_to_those_who_may_not_see_them(klientar, ting):
    for persona, client in klientar.items():
        page = _page(client, ting["mote"].get_absolute_url())
        assert (FSU_LUKKA in page) is SER_FSU_LUKKA[persona], persona
        assert "Sak 2/24" in page
        page = _page(client, ting["ssu_mote"].get_absolute_url())
        assert (SSU_LUKKA in page) is SER_SSU_LUKKA[persona], persona
        attachment = client.get(reverse("moter:vedlegg", args=[ting["vedlegg"].pk]))
        assert attachment.status_code == _closed_papers(SER_FSU_LUKKA, persona), persona


def test_calendar_feeds_carry_only_the_saker_the_user_may_see(klientar, ting):
    for persona, client in klientar.items():
        for url in (reverse("moter:kalender"), reverse("moter:kalender_utval", args=["fsu"])):
            events = Calendar.from_ical(client.get(url).content).walk("VEVENT")
            text = " ".join(str(e.get("description", "")) for e in events)
            assert "Open sak om legevakt" in text
            assert (FSU_LUKKA in text) is SER_FSU_LUKKA[persona], persona
        events = Calendar.from_ical(client.get(reverse("moter:kalender")).content).walk("VEVENT")
        text = " ".join(str(e.get("description", "")) for e in events)
        assert (SSU_LUKKA in text) is SER_SSU_LUKKA[persona], persona


@pytest.mark.one_database(on="sqlite")  # the same querysets as the pages; this typesets the PDFs
def test_pdfs_carry_only_what_the_user_may_see(klientar, ting):
    for persona, client in klientar.items():
        text = _pdf_text(client.get(reverse("avtalar:oversikt_pdf")))
        assert HOSPITERING_TITTEL.split()[-1] in text
        assert ("Hemmeleg utkast" in text) is SER_UTKAST[persona], persona
        mote = ting["mote"]
        text = _pdf_text(client.get(reverse("moter:referat_pdf", args=[mote.pk])))
        assert "Open sak om legevakt" in text
        assert ("Lukka vedtak om personal." in text) is SER_FSU_LUKKA[persona], persona
        text = _pdf_text(client.get(reverse("moter:motepakke", args=[mote.pk])))
        assert "Open sak om legevakt" in text
        assert (FSU_LUKKA in text) is SER_FSU_LUKKA[persona], persona
        response = client.get(reverse("moter:motepakke", args=[ting["ssu_mote"].pk]))
        if SER_SSU_LUKKA[persona]:
            assert SSU_LUKKA in _pdf_text(response)
        else:
            assert response.status_code == _closed_papers(SER_SSU_LUKKA, persona), persona


def test_the_innkalling_names_a_closed_sak_by_its_number_only(sekretariat, fsu, ting):
    Medlemskap.objects.create(
        person=Person.objects.create(namn="Kari Kommune", epost="kari@example.no"), utval=fsu
    )
    mote = ting["mote"]
    sekretariat.post(reverse("moter:innkalling_send", args=[mote.pk]))
    run_tasks()  # the background worker sends it
    (message,) = mail.outbox
    html = message.alternatives[0].content
    for text in (message.body, html):
        assert "Sak 1/24 Open sak om legevakt" in text
        assert "Sak 2/24: unnateken offentlegheit" in text
        assert FSU_LUKKA not in text
    (event,) = Calendar.from_ical(message.attachments[0][1]).walk("VEVENT")
    assert "Open sak om legevakt" in str(event["description"])
    assert FSU_LUKKA not in str(event["description"])


# --- History ---


def _history(obj) -> str:
    return reverse("historikk", args=[obj._meta.app_label, obj._meta.model_name, obj.pk])


def test_history_of_something_not_public_is_for_those_who_see_it(klientar, ting):
    cases = [
        (ting["utkast"], SER_UTKAST),
        (ting["versjon"], SER_UTKAST),
        (ting["lukka"], SER_FSU_LUKKA),
        (ting["vedlegg"], SER_FSU_LUKKA),
        (ting["ssu_sak"], SER_SSU_LUKKA),
    ]
    for persona, client in klientar.items():
        for obj, who in cases:
            response = client.get(_history(obj))
            assert response.status_code == (200 if who[persona] else 404), (persona, obj)
            assert (str(obj) in response.content.decode()) is who[persona], (persona, obj)


def test_history_hides_a_draft_that_a_public_object_refers_to(klientar, ting):
    for persona, client in klientar.items():
        for obj in (ting["tiltak"], ting["open_sak"], ting["saeravtale"]):
            page = _page(client, _history(obj))
            assert (UTKAST in page) is SER_UTKAST[persona], (persona, obj)
        assert HOSPITERING_TITTEL in _page(client, _history(ting["tiltak"]))


def test_history_of_a_deleted_closed_sak_stays_closed(klientar, ting):
    url = _history(ting["lukka"])
    ting["lukka"].delete()
    for persona, client in klientar.items():
        response = client.get(url)
        assert response.status_code == (200 if SER_FSU_LUKKA[persona] else 404), persona


def test_the_secretariat_restores_a_drafts_earlier_version(sekretariat, ting):
    utkast = ting["utkast"]
    first = utkast.history.earliest()
    utkast.tittel = "Nytt namn på utkastet"
    utkast.save()
    url = reverse("gjenopprett", args=["avtalar", "avtale", utkast.pk, first.history_id])
    assert sekretariat.post(url).status_code == 302
    utkast.refresh_from_db()
    assert utkast.tittel == UTKAST


def test_a_model_without_a_rule_has_no_history_and_no_restore(
    sekretariat, public, ting, monkeypatch
):
    from moter import access

    referat = ting["mote"].referat
    assert sekretariat.get(_history(referat)).status_code == 200
    monkeypatch.delitem(access.HISTORY_RULES, "referat")
    assert sekretariat.get(_history(referat)).status_code == 404
    assert public.get(_history(referat)).status_code == 404
    record = referat.history.earliest()
    url = reverse("gjenopprett", args=["moter", "referat", referat.pk, record.history_id])
    assert sekretariat.post(url).status_code == 404


def test_every_model_with_history_has_an_explicit_rule():
    """Fail closed is the default; this makes each new model's visibility a decision."""
    missing = [
        model._meta.label
        for app in HISTORY_APPS
        for model in apps.get_app_config(app).get_models()
        if isinstance(getattr(model, "history", None), HistoryManager)
        and history_rule(model) is None
    ]
    assert not missing, f"Say who may see these in their app's access.py HISTORY_RULES: {missing}"


# --- One access path: views fetch what they serve through their app's access.py ---

APPS = ("partnarskap", "avtalar", "handlingsplan", "moter")
SHORTCUTS = {"get_object_or_404", "get_list_or_404"}
MANAGERS = {"objects", "_default_manager"}
WRITES = {"create", "bulk_create"}  # making a row is not fetching one


def _served_models(app: str) -> set[type]:
    """What the app's views serve: the return types of its get_<kind>_for_user."""
    access = importlib.import_module(f"{app}.access")
    return {
        typing.get_type_hints(function)["return"]
        for name, function in vars(access).items()
        if re.fullmatch(r"get_\w+_for_user", name) and callable(function)
    }


def _fetches_outside_access(path: Path, module, served: set[type]) -> list[str]:
    tree = ast.parse(path.read_text())
    where = f"{path.parent.name}/{path.name}"
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", None)
        if name in SHORTCUTS:
            found.append(f"{where}:{node.lineno} {name}")
        if not (isinstance(node, ast.Attribute) and node.attr in MANAGERS):
            continue
        model = getattr(module, getattr(node.value, "id", ""), None)
        parent = parents.get(node)
        if model in served and not (isinstance(parent, ast.Attribute) and parent.attr in WRITES):
            found.append(f"{where}:{node.lineno} {model.__name__}.{node.attr}")
    return found


def test_views_fetch_what_they_serve_only_through_their_apps_access():
    root = Path(__file__).resolve().parent.parent
    found = []
    for app in APPS:
        served = _served_models(app)
        assert served, f"{app}/access.py has no get_<kind>_for_user"
        module = importlib.import_module(f"{app}.views")
        found += _fetches_outside_access(root / app / "views.py", module, served)
    found += _fetches_outside_access(root / "portal" / "views.py", None, set())
    assert not found, "Fetch these through the app's access.py get_<kind>_for_user:\n" + "\n".join(
        found
    )
