"""The search as partners use it, the same on SQLite and PostgreSQL (this module runs on
whichever database the suite runs on): one table of queries and what they must find, from
the shipped data and from small PDFs made here; who finds what inside documents; how hits
rank; and that the index follows every write."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from weasyprint import HTML

from avtalar.models import Avtale, Avtaleversjon
from handlingsplan.models import Tiltak
from moter.models import Mote, Sak, Vedlegg
from partnarskap.models import today
from portal.search import search, suggestions
from portal.search_index import extract_document

pytestmark = pytest.mark.django_db

HOSPITERING = "Delavtale gjensidig hospiteringsordning"
AVTALE_SIDER = (
    "Delavtale om gjensidig hospitering mellom Helse Førde og kommunane. Føremålet er å "
    "styrkje kompetansen hos dei tilsette på begge nivå.",
    "Utskrivingsklare pasientar skal meldast til kommunen same dag, og epikrisa skal følgje "
    "pasienten. Samhandlingsavvika blir melde på eige skjema.",
)
OPE_VEDLEGG = ("Isoleringsrommet i sjukeheimen skal vaskast dagleg under utbrot.",)
LUKKA_VEDLEGG = ("Personalsaka gjeld oppseiing av ein tilsett.",)
LUKKA_MOTE_VEDLEGG = ("Budsjettforslaget for neste år er ikkje ferdig drøfta.",)
UTKAST_SIDER = ("Utkast til særavtale om nattlegevakt i Stryn.",)


@cache
def pdf(*pages: str) -> bytes:
    """A PDF with one page per text, as WeasyPrint renders it."""
    body = "".join(f'<p style="break-after: page">{text}</p>' for text in pages)
    return HTML(string=f"<html lang='nn'><body>{body}</body></html>").write_pdf()


def read_now(kind: str, obj) -> None:
    """What the background worker does after an upload."""
    extract_document.call(kind, obj.pk)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _vedlegg(sak: Sak, tittel: str, pages: tuple[str, ...]) -> Vedlegg:
    vedlegg = Vedlegg.objects.create(
        sak=sak, tittel=tittel, fil=ContentFile(pdf(*pages), name="vedlegg.pdf")
    )
    read_now("vedlegg", vedlegg)
    return vedlegg


def _sak(mote: Mote, nummer: int, tittel: str, **fields) -> Sak:
    return Sak.objects.create(
        mote=mote, utval=mote.utval, ar=mote.dato.year, nummer=nummer, tittel=tittel, **fields
    )


@pytest.fixture
def documents(seeded, media, fsu):
    """Besides the shipped data: the hospitering agreement's current document, an FSU
    meeting with a public and a closed sak, each with an attachment, an FSU meeting whose
    papers are not public, and a draft agreement with a document."""
    hospitering = Avtale.objects.get(tittel=HOSPITERING)
    version = Avtaleversjon.objects.create(
        avtale=hospitering,
        versjon="Revidert 2025",
        godkjent_dato=today() - timedelta(days=30),
        gjeld_fra=today() - timedelta(days=1),
        dokument=ContentFile(pdf(*AVTALE_SIDER), name="hospitering.pdf"),
    )
    read_now("avtaledokument", version)
    mote = Mote.objects.get(utval=fsu, dato=date(2024, 5, 16))
    ope = _sak(mote, 31, "Orientering om smittevern")
    _vedlegg(ope, "Rutine for isolering", OPE_VEDLEGG)
    lukka = _sak(mote, 32, "Personalsak", offentleg=False)
    _vedlegg(lukka, "Notat om personalsaka", LUKKA_VEDLEGG)
    lukka_mote = Mote.objects.create(utval=fsu, dato=date(2024, 11, 20), offentlege_papir=False)
    budsjett = _sak(lukka_mote, 40, "Budsjett")
    _vedlegg(budsjett, "Budsjettnotat", LUKKA_MOTE_VEDLEGG)
    utkast = Avtale.objects.create(
        type=Avtale.Type.SAERAVTALE,
        tittel="Særavtale om legevakt i Stryn (utkast)",
        slug="saeravtale-legevakt-stryn-utkast",
        status=Avtale.Status.UTKAST,
    )
    draft = Avtaleversjon.objects.create(
        avtale=utkast, dokument=ContentFile(pdf(*UTKAST_SIDER), name="utkast.pdf")
    )
    read_now("avtaledokument", draft)
    return {"versjon": version, "ope": ope, "lukka": lukka, "budsjett": budsjett}


def hits(query: str, user=None) -> list[str]:
    return [f"{t.kind}: {t.tittel}" for t in search(query, user or AnonymousUser())]


# --- The shared table: the same answers on both databases ---


@dataclass(frozen=True)
class Case:
    query: str
    finds: tuple[str, ...] = ()  # "kind: title" among the hits
    first: str = ""  # the first hit
    never: tuple[str, ...] = ()
    page: int = 0  # the first hit is on this page of its document
    marks: str = ""  # a word the first hit's excerpt highlights
    suggests: str = ""  # nothing found; "Meinte du …?" offers this
    why: str = field(default="", compare=False)


TABLE = [
    Case(
        "delavtalen",
        finds=(f"avtale: {HOSPITERING}", "avtale: Delavtale Smittevern"),
        never=("avtale: Rammeavtale",),
        why="an inflected title word",
    ),
    Case("hospiteringa", first=f"avtale: {HOSPITERING}", marks="hospiteringsordning"),
    Case(
        "utskrivinga",
        first="avtale: Delavtale tilvising, innlegging og utskriving frå sjukehus",
        marks="utskriving",
    ),
    Case("beredskapen", first="avtale: Delavtale om samarbeid om beredskap"),
    Case("brukaren", finds=("utval: Felles brukarutval (FBU)",), why="nynorsk -ar noun"),
    Case(
        "koordineringsrådet",
        first="utval: Strategisk samarbeidsutval (SSU)",
        why="an earlier name of the body",
    ),
    Case(
        "avtalane",
        finds=("avtale: Rammeavtale", "avtale: Delavtale Smittevern", f"avtale: {HOSPITERING}"),
        why="the last part of compounds",
    ),
    Case(
        "avvik",
        finds=(
            "arshjulpunkt: Regionale dagsamlingar kring samhandlingsavvik",
            "utval: Arbeidsgruppa for samhandlingsavvik",
            f"avtaledokument: {HOSPITERING}",
        ),
        why="the last part of a compound, in the data and inside a document",
    ),
    Case(
        "samhandlingsavvika",
        finds=("arshjulpunkt: Regionale dagsamlingar kring samhandlingsavvik",),
    ),
    Case("hospiteringsavtale", first=f"avtale: {HOSPITERING}", why="a compound of known words"),
    Case(
        "utskrivingsklare pasientar",
        first=f"avtaledokument: {HOSPITERING}",
        page=2,
        marks="Utskrivingsklare",
    ),
    Case(
        "kva seier avtalen om utskrivingsklare pasientar?",
        first=f"avtaledokument: {HOSPITERING}",
        page=2,
        why="the question from the issue",
    ),
    Case(
        "isoleringsrommet",
        first="vedlegg: Rutine for isolering",
        page=1,
        why="a public sak's attachment",
    ),
    Case("oppseiing", never=("vedlegg: Notat om personalsaka",), why="a closed sak"),
    Case("budsjettforslaget", never=("vedlegg: Budsjettnotat",), why="closed meeting papers"),
    Case(
        "nattlegevakt",
        never=("avtaledokument: Særavtale om legevakt i Stryn (utkast)",),
        why="a draft agreement",
    ),
    Case("hospitring", suggests="hospitering", why="a misspelling"),
    Case("smitevern", suggests="smittevern"),
    Case("kompetansen", finds=(f"avtaledokument: {HOSPITERING}",)),
]


@pytest.mark.parametrize("case", TABLE, ids=[case.query for case in TABLE])
def test_the_table_of_queries_and_hits(documents, case):
    found = search(case.query, AnonymousUser())
    names = [f"{t.kind}: {t.tittel}" for t in found]
    for expected in case.finds:
        assert expected in names
    for hidden in case.never:
        assert hidden not in names
    if case.first:
        assert names and names[0] == case.first, names
    if case.page:
        assert found[0].side == case.page and found[0].url.endswith(f"#page={case.page}")
    if case.marks:
        assert f"<mark>{case.marks}</mark>" in found[0].utdrag
    if case.suggests:
        assert found == []
        assert case.suggests in suggestions(case.query, AnonymousUser())


# --- Who finds what ---


@pytest.mark.parametrize(
    ("persona", "sees_closed"),
    [("public", False), ("annan_medlem", False), ("medlem", True), ("sekretariat", True)],
)
def test_closed_papers_are_found_only_by_those_who_may_open_them(
    documents, request, persona, sees_closed
):
    client = request.getfixturevalue(persona)
    for query, title in (
        ("oppseiing", "Notat om personalsaka"),
        ("budsjettforslaget", "Budsjettnotat"),
    ):
        page = client.get(reverse("sok"), {"q": query}).content.decode()
        assert (title in page) is sees_closed, (persona, query)
    # Public papers are for everyone.
    assert (
        "Rutine for isolering"
        in client.get(reverse("sok"), {"q": "isoleringsrom"}).content.decode()
    )


@pytest.mark.parametrize(
    ("persona", "sees_draft"),
    [("public", False), ("annan_medlem", False), ("medlem", False), ("sekretariat", True)],
)
def test_a_draft_agreements_document_is_found_only_by_the_secretariat(
    documents, request, persona, sees_draft
):
    client = request.getfixturevalue(persona)
    for url in (reverse("sok"), reverse("avtalar:oversikt")):
        page = client.get(url, {"q": "nattlegevakt"}).content.decode()
        assert ("Særavtale om legevakt i Stryn (utkast)" in page) is sees_draft, (persona, url)


def test_a_misspelt_secret_is_never_suggested(documents, medlem_user, annan_medlem_user):
    for outsider in (AnonymousUser(), annan_medlem_user):
        assert "oppseiing" not in suggestions("oppseing", outsider)
    assert "oppseiing" in suggestions("oppseing", medlem_user)


# --- The pages ---


def test_a_document_hit_links_to_the_pdf_at_its_page(documents, public):
    html = public.get(reverse("sok"), {"q": "utskrivingsklare pasientar"}).content.decode()
    version = documents["versjon"]
    assert f'href="{version.dokument_url()}#page=2"' in html
    assert "side 2" in html and "<mark>Utskrivingsklare</mark>" in html
    assert public.get(version.dokument_url())["Content-Type"] == "application/pdf"


def test_the_agreement_list_finds_an_agreement_by_its_document(documents, public):
    html = public.get(reverse("avtalar:oversikt"), {"q": "utskrivingsklare"}).content.decode()
    assert "1 avtale om «utskrivingsklare»" in html
    assert HOSPITERING in html
    assert f'href="{documents["versjon"].dokument_url()}#page=2">Side 2 i dokumentet' in html


def test_nothing_found_offers_what_was_meant(documents, public):
    html = public.get(reverse("sok"), {"q": "hospitring"}).content.decode()
    assert "Ingen treff på «hospitring»" in html
    assert 'Meinte du <a href="/sok/?q=hospitering">«hospitering»</a>?' in html
    html = public.get(reverse("avtalar:oversikt"), {"q": "smitevern"}).content.decode()
    assert "Meinte du" in html and "«smittevern»" in html


# --- Ranking ---


def test_title_before_summary_before_body(seeded, media):
    def avtale(slug, **fields):
        return Avtale.objects.create(type=Avtale.Type.SAERAVTALE, slug=slug, **fields)

    avtale("a", tittel="Kvalitetsregisteret")
    avtale("b", tittel="Særavtale B", tema="Om kvalitetsregisteret.")
    body = avtale("c", tittel="Særavtale C")
    version = Avtaleversjon.objects.create(
        avtale=body, dokument=ContentFile(pdf("Sjå kvalitetsregisteret."), name="c.pdf")
    )
    read_now("avtaledokument", version)
    assert hits("kvalitetsregister") == [
        "avtale: Kvalitetsregisteret",
        "avtale: Særavtale B",
        "avtaledokument: Særavtale C",
    ]


def test_among_equal_pages_the_current_version_comes_first(seeded, media):
    avtale = Avtale.objects.create(type=Avtale.Type.SAERAVTALE, tittel="Særavtale X", slug="x")
    text = pdf("Tolketenesta skal bestillast i god tid.")

    def version(label, gjeld_fra):
        made = Avtaleversjon.objects.create(
            avtale=avtale,
            versjon=label,
            gjeld_fra=gjeld_fra,
            dokument=ContentFile(text, name=f"{label}.pdf"),
        )
        read_now("avtaledokument", made)

    version("Første", today() - timedelta(days=900))
    version("Kjem", today() + timedelta(days=60))
    version("Gjeldande", today() - timedelta(days=10))
    notes = [t.merknad for t in search("tolketenesta", AnonymousUser())]
    assert notes == [
        "Dokumentet til versjonen «Gjeldande», side 1",
        "Dokumentet til versjonen «Første», side 1",
        "Dokumentet til versjonen «Kjem», side 1",
    ]


# --- Kept current ---


def test_an_uploaded_version_is_read_in_the_background(
    seeded, media, sekretariat, public, django_capture_on_commit_callbacks
):
    avtale = Avtale.objects.get(tittel=HOSPITERING)
    upload = SimpleUploadedFile("ny.pdf", pdf(*AVTALE_SIDER), content_type="application/pdf")
    data = {
        "versjon": "Revidert 2026",
        "godkjent_dato": (today() - timedelta(days=3)).isoformat(),
        "gjeld_fra": (today() - timedelta(days=1)).isoformat(),
        "samandrag": "Ny ordning for epikrisar.",
        "godkjend": "on",
        "dokument": upload,
        "edit_version": avtale.edit_version,
    }
    with django_capture_on_commit_callbacks() as callbacks:
        response = sekretariat.post(reverse("avtalar:ny_versjon", args=[avtale.slug]), data)
    assert response.status_code == 302
    assert len(callbacks) >= 2  # the page cache's stamp, and reading the document
    # The summary is searchable at once; the document once the worker has read it.
    assert f"avtale: {HOSPITERING}" in hits("epikrisar")
    assert f"avtaledokument: {HOSPITERING}" not in hits("utskrivingsklare")
    read_now("avtaledokument", avtale.versjonar.get(versjon="Revidert 2026"))
    assert f"avtaledokument: {HOSPITERING}" in hits("utskrivingsklare")


def test_writes_keep_the_index_current(documents):
    tiltak = Tiltak.objects.order_by("pk").first()
    tiltak.kommentar = "Treng ein ny tolkeordning."
    tiltak.save()
    assert any(h.startswith("tiltak: ") for h in hits("tolkeordninga"))
    tiltak.delete()
    assert not any(h.startswith("tiltak: ") for h in hits("tolkeordninga"))

    # A renamed agreement: its own hit and its document's pages carry the new title.
    avtale = Avtale.objects.get(tittel=HOSPITERING)
    avtale.tittel = "Delavtale om hospitering"
    avtale.save()
    assert "avtaledokument: Delavtale om hospitering" in hits("utskrivingsklare")

    # A meeting whose papers close: its attachments are no longer found by the public.
    mote = documents["ope"].mote
    mote.offentlege_papir = False
    mote.save()
    assert "vedlegg: Rutine for isolering" not in hits("isoleringsrommet")
    documents["ope"].delete()
    mote.offentlege_papir = True
    mote.save()
    assert hits("isoleringsrommet") == []


def test_the_command_rebuilds_the_same_index(documents):
    queries = ["avtalane", "utskrivingsklare pasientar", "avvik", "isoleringsrommet"]
    before = {q: hits(q) for q in queries}
    call_command("search_index", verbosity=0)
    assert {q: hits(q) for q in queries} == before


def test_search_pages_cost_the_same_queries_with_more_documents(documents, public, fsu):
    urls = [
        reverse("sok") + "?q=utskrivingsklare+pasientar",
        reverse("sok") + "?q=hospitring",
        reverse("avtalar:oversikt") + "?q=utskrivingsklare",
        reverse("avtalar:oversikt") + "?q=smitevern",
    ]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert public.get(url).status_code == 200
            result.append(len(queries))
        return result

    before = counts()
    mote = Mote.objects.create(utval=fsu, dato=date(2024, 9, 1))
    for n in range(12):
        avtale = Avtale.objects.create(
            type=Avtale.Type.SAERAVTALE, tittel=f"Testavtale {n}", slug=f"testavtale-{n}"
        )
        version = Avtaleversjon.objects.create(
            avtale=avtale, dokument=ContentFile(pdf(*AVTALE_SIDER), name=f"t{n}.pdf")
        )
        read_now("avtaledokument", version)
        _vedlegg(_sak(mote, 100 + n, f"Testsak {n}"), f"Testvedlegg {n}", AVTALE_SIDER)
    assert counts() == before
