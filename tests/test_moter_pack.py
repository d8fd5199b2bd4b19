"""The meeting pack: one PDF with cover, innkalling, a sakliste whose page numbers are where
each sak really starts, attachments merged in place, page numbers and bookmarks; rebuilt
only on change, built in the background when large, never broken by a bad attachment."""

import io
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from helpers import body, htmx, pdf_pages, pdf_reader
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from bench.testdata import lag_pdf
from moter import pack
from moter.models import Mote, Motepakke, Sak
from moter.tasks import bygg_motepakke
from portal import sidebuffer

# What goes into a pack and how its pages look is decided in Python (WeasyPrint, pikepdf).
pytestmark = pytest.mark.one_database(on="sqlite")


@pytest.fixture
def mote(fsu) -> Mote:
    return Mote.objects.get(utval=fsu, dato=date(2024, 5, 16))


def _outline(reader: PdfReader) -> list:
    def walk(items):
        out = []
        for item in items:
            if isinstance(item, list):
                out.append(walk(item))
            else:
                out.append((item.title, reader.get_destination_page_number(item) + 1))
        return out

    return walk(reader.outline)


def _written_at(page, text: str) -> tuple[float, float]:
    """Where on an unturned page `text` starts, as fractions of the page's width and height."""
    found = []

    def visit(chunk, cm, tm, font, size):
        if text in chunk:
            found.append(
                (tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5])
            )

    page.extract_text(visitor_text=visit)
    x, y = found[0]
    return x / float(page.mediabox.width), y / float(page.mediabox.height)


def _add_sak(client, mote, tittel, offentleg=True, **data) -> Sak:
    if offentleg:
        data["offentleg"] = "on"  # the box is ticked when the form opens
    response = client.post(
        reverse("moter:sak_ny", args=[mote.pk]), {"tittel": tittel, "type": "vedtak", **data}
    )
    assert response.status_code == 302
    return mote.saker.get(tittel=tittel)


def _turned(content: bytes, degrees: int) -> bytes:
    """The PDF with /Rotate set on every page, as a scanner or a viewer's "rotate" leaves it."""
    writer = PdfWriter(clone_from=pdf_reader(content))
    for page in writer.pages:
        page.rotate(degrees)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _upload(client, sak, name, pages, storleik="A4", turned=0) -> None:
    content = lag_pdf(pages, name.upper(), storleik)
    if turned:
        content = _turned(content, turned)
    upload = SimpleUploadedFile(f"{name}.pdf", content, content_type="application/pdf")
    response = htmx(client, "post", reverse("moter:vedlegg_ny", args=[sak.pk]), {"fil": upload})
    assert response.status_code == 200, response.content.decode()


def test_a_member_downloads_one_pack_with_everything_in_place(sekretariat, medlem, mote):
    # A long first sak, so the second starts several pages in.
    first = _add_sak(
        sekretariat, mote, "Status for handlingsplanen", saksframlegg="Avsnitt.\n\n" * 120
    )
    _upload(sekretariat, first, "Handlingsplanstatus", 2)
    second = _add_sak(sekretariat, mote, "Hospitering mellom nivåa")
    _upload(sekretariat, second, "Hospiteringsnotat", 3)

    response = medlem.get(reverse("moter:motepakke", args=[mote.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = pdf_reader(body(response))
    pages = [p.extract_text() for p in reader.pages]
    total = len(pages)

    assert "Møtepakke" in pages[0] and "Fagleg samarbeidsutval" in pages[0]
    assert "torsdag 16. mai 2024" in pages[0] and "Helse Førde" in pages[0]
    assert "Innkalling" in pages[1] and "Mari" in pages[1]  # the member is called
    sakliste = next(p for p in pages if p.startswith("Sakliste") or "\nSakliste" in p)
    starts = {
        m.group(1): int(m.group(2)) for m in re.finditer(r"(\d+/24) .*?Vedtakssak (\d+)", sakliste)
    }
    assert set(starts) == {"1/24", "2/24"}
    # The sakliste's page numbers are where each sak really starts...
    for number, page in starts.items():
        assert pages[page - 1].lstrip().startswith(f"Sak {number}"), (number, page)
    assert starts["2/24"] - starts["1/24"] > 3  # the long saksframlegg spans pages
    # ...and each sak's attachment follows it, page by page, merged (its own text layer).
    second_start = starts["2/24"]
    for n in (1, 2, 3):
        assert f"HOSPITERINGSNOTAT side {n}" in pages[second_start - 1 + n]
    assert "HANDLINGSPLANSTATUS side 2" in pages[second_start - 2]
    assert second_start + 3 == total
    # Page numbers on every page, attachments included.
    for index, text in enumerate(pages, start=1):
        assert f"Side {index} av {total}" in text
    # Bookmarks: one per sak, with its attachments beneath.
    assert _outline(reader) == [
        ("Framside, innkalling og sakliste", 1),
        ("Sak 1/24 Status for handlingsplanen", starts["1/24"]),
        [("Vedlegg: Handlingsplanstatus", second_start - 2)],
        ("Sak 2/24 Hospitering mellom nivåa", second_start),
        [("Vedlegg: Hospiteringsnotat", second_start + 1)],
    ]


def test_the_sakliste_finds_every_sak_past_long_texts_and_attachments_of_any_length(
    sekretariat, medlem, mote
):
    first = _add_sak(sekretariat, mote, "Årsmelding", saksframlegg="Avsnitt.\n\n" * 150)
    _upload(sekretariat, first, "Rekneskap", 5, storleik="A4 landscape")
    _upload(sekretariat, first, "Revisjon", 1)
    second = _add_sak(sekretariat, mote, "Budsjett")
    _upload(sekretariat, second, "Budsjettnotat", 2)
    _upload(sekretariat, second, "Skadd", 1)
    broken = second.vedlegg.get(tittel="Skadd")
    with open(broken.fil.path, "wb") as handle:
        handle.write(b"%PDF-1.7 not a pdf any more")
    broken.sjekksum = "endra"
    broken.save()
    _add_sak(sekretariat, mote, "Evaluering", saksframlegg="Avsnitt.\n\n" * 90)
    _add_sak(sekretariat, mote, "Eventuelt")

    reader = pdf_reader(body(medlem.get(reverse("moter:motepakke", args=[mote.pk]))))
    pages = [p.extract_text() for p in reader.pages]
    sakliste = next(p for p in pages if p.startswith("Sakliste") or "\nSakliste" in p)
    starts = {
        m.group(1): int(m.group(2)) for m in re.finditer(r"(\d+/24) .*?Vedtakssak (\d+)", sakliste)
    }
    assert set(starts) == {"1/24", "2/24", "3/24", "4/24"}
    for number, page in starts.items():
        assert pages[page - 1].lstrip().startswith(f"Sak {number}"), (number, page)
    # A text of several pages, then 5 + 1 attachment pages; one page of text, 2 attachment
    # pages and a note; several pages of text; one page.
    assert starts["2/24"] - starts["1/24"] > 1 + 5 + 1
    assert starts["3/24"] == starts["2/24"] + 1 + 2 + 1
    assert starts["4/24"] - starts["3/24"] > 1
    assert starts["4/24"] == len(pages)
    outline = _outline(reader)
    assert outline[3] == ("Sak 2/24 Budsjett", starts["2/24"])
    assert outline[4] == [
        ("Vedlegg: Budsjettnotat", starts["2/24"] + 1),
        ("Vedlegg: Skadd (manglar)", starts["2/24"] + 3),
    ]
    assert "kunne ikkje leggjast inn i møtepakka" in pages[starts["2/24"] + 2]


def test_landscape_and_turned_attachment_pages_keep_their_shape_and_get_a_number(
    sekretariat, medlem, mote
):
    sak = _add_sak(sekretariat, mote, "Tenestekart")
    _upload(sekretariat, sak, "Kart", 2, storleik="A4 landscape")
    _upload(sekretariat, sak, "Skanna", 2, turned=90)

    reader = pdf_reader(body(medlem.get(reverse("moter:motepakke", args=[mote.pk]))))
    pages = [p.extract_text() for p in reader.pages]
    total = len(pages)
    assert total == 3 + 1 + 2 + 2
    # Landscape pages stay landscape; a portrait page turned by /Rotate stays turned. Each
    # grows by a band at its foot as a reader sees it, and its number is printed there, on
    # no part of the attachment's own page.
    band = round(pack.BAND)
    for name, size, rotation in (
        ("KART", (842, 595 + band), 0),
        ("SKANNA", (595 + band, 842), 90),
    ):
        found = [i for i, text in enumerate(pages) if f"{name} side" in text]
        assert len(found) == 2, name
        for i in found:
            page = reader.pages[i]
            assert (round(page.mediabox.width), round(page.mediabox.height)) == size
            assert page.rotation == rotation
            assert f"Side {i + 1} av {total}" in pages[i]
            if not rotation:  # in the bottom right corner, inside the band
                x, y = _written_at(page, f"Side {i + 1} av {total}")
                assert x > 0.75 and y * float(page.mediabox.height) < band, (x, y)


def test_the_packs_html_lays_out_exactly_the_pages_of_the_pack(sekretariat, medlem, mote):
    # The benchmark times WeasyPrint on this HTML alone: it must be the pack's, page for page.
    sak = _add_sak(sekretariat, mote, "Tenestekart", saksframlegg="Avsnitt.\n\n" * 60)
    _upload(sekretariat, sak, "Kart", 2, storleik="A4 landscape")
    _upload(sekretariat, sak, "Notat", 1)

    reader = pdf_reader(body(medlem.get(reverse("moter:motepakke", args=[mote.pk]))))
    document = HTML(string=pack.html(pack.innhald(mote, pack.MEDLEMMAR))).render()
    laid_out = [(round(p.width * 0.75), round(p.height * 0.75)) for p in document.pages]
    built = [(round(p.mediabox.width), round(p.mediabox.height)) for p in reader.pages]
    assert laid_out == built
    assert (842, 595 + round(pack.BAND)) in built


def test_an_unchanged_pack_is_served_as_it_is_and_a_change_rebuilds_it(
    sekretariat, medlem, mote, media
):
    sak = _add_sak(sekretariat, mote, "Samhandlingsavvik")
    url = reverse("moter:motepakke", args=[mote.pk])
    first = medlem.get(url)
    etag = first["ETag"]
    files = list((media / "motepakkar").glob("*.pdf"))
    assert len(files) == 1
    built_at = files[0].stat().st_mtime_ns

    again = medlem.get(url)
    assert again["ETag"] == etag
    assert files[0].stat().st_mtime_ns == built_at
    assert medlem.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304

    sekretariat.post(
        reverse("moter:sak_endre", args=[sak.pk]),
        {
            "nummer": sak.nummer,
            "tittel": "Samhandlingsavvik 2024",
            "type": "vedtak",
            "edit_version": 1,
        },
    )
    changed = medlem.get(url)
    assert changed["ETag"] != etag
    assert any("Samhandlingsavvik 2024" in p for p in pdf_pages(body(changed)))
    assert len(list((media / "motepakkar").glob("*.pdf"))) == 1  # the old one is gone


def test_a_broken_attachment_never_breaks_the_pack(sekretariat, medlem, mote):
    sak = _add_sak(sekretariat, mote, "Avtalerevisjon")
    _upload(sekretariat, sak, "Godt", 1)
    _upload(sekretariat, sak, "Skadd", 1)
    broken = sak.vedlegg.get(tittel="Skadd")
    with open(broken.fil.path, "wb") as handle:
        handle.write(b"%PDF-1.7 not a pdf any more")
    broken.sjekksum = "endra"
    broken.save()

    pages = pdf_pages(body(medlem.get(reverse("moter:motepakke", args=[mote.pk]))))
    assert any("GODT side 1" in p for p in pages)
    note = next(p for p in pages if "kunne ikkje leggjast inn i møtepakka" in p)
    assert "Skadd" in note


def test_the_public_pack_leaves_out_non_public_saker_and_says_so(sekretariat, public, medlem, mote):
    _add_sak(sekretariat, mote, "Open orientering")
    _add_sak(sekretariat, mote, "Personalsak", offentleg=False)
    assert mote.saker.get(tittel="Personalsak").offentleg is False
    url = reverse("moter:motepakke", args=[mote.pk])
    public_text = " ".join(pdf_pages(body(public.get(url))))
    assert "Open orientering" in public_text
    assert "Personalsak" not in public_text
    assert "Unnateke offentlegheit" in public_text
    assert "Personalsak" in " ".join(pdf_pages(body(medlem.get(url))))


def _sakliste_page(pages: list[str]) -> str:
    return " ".join(next(p for p in pages if "Sakliste" in p).split())


HEIMEL = "Offl. § 13, jf. fvl. § 13"


def test_the_members_pack_marks_every_exempt_page_and_says_so_on_its_cover(
    sekretariat, medlem, mote
):
    _add_sak(sekretariat, mote, "Open orientering", saksframlegg="Avsnitt.\n\n" * 10)
    exempt = _add_sak(
        sekretariat,
        mote,
        "Personalsak",
        offentleg=False,
        heimel=HEIMEL,
        saksframlegg="Avsnitt.\n\n" * 90,  # over more than one page
    )
    _upload(sekretariat, exempt, "Personalnotat", 2)
    _upload(sekretariat, exempt, "Liggjande", 1, storleik="A4 landscape")
    last = _add_sak(sekretariat, mote, "Eventuelt")
    _upload(sekretariat, last, "Ope notat", 1)

    response = medlem.get(reverse("moter:motepakke", args=[mote.pk]))
    assert "-medlemmar.pdf" in response["Content-Disposition"]
    content = body(response)
    assert pdf_reader(content).metadata.title == (
        "Møtepakke for medlemmane (unnateke offentlegheit): Fagleg samarbeidsutval 16.05.2024"
    )
    pages = [" ".join(p.split()) for p in pdf_pages(content)]
    assert "Unnateke offentlegheit" in pages[0] and f"Sak 2/24: {HEIMEL}" in pages[0]

    marking = f"Unnateke offentlegheit: {HEIMEL}"
    start = next(i for i, p in enumerate(pages) if p.startswith("Sak 2/24") or " Sak 2/24 " in p)
    end = next(i for i, p in enumerate(pages) if "Sak 3/24 Eventuelt" in p and i > start)
    exempt_pages = pages[start:end]
    assert len(exempt_pages) >= 5  # text over two pages or more, and three attachment pages
    assert any("PERSONALNOTAT side 2" in p for p in exempt_pages)
    assert any("LIGGJANDE side 1" in p for p in exempt_pages)
    for text in exempt_pages:  # the sak's own pages and its attachments' pages
        assert marking in text, text
    for text in pages[end:] + pages[1:start]:  # the open saker, innkalling and sakliste
        assert "Unnateke offentlegheit: Offl" not in text or "Sakliste" in text
    assert any("OPE NOTAT side 1" in p for p in pages[end:])


def test_the_public_pack_keeps_exempt_saker_in_their_place_under_their_own_name(
    sekretariat, public, medlem, mote
):
    _add_sak(sekretariat, mote, "Open orientering")
    _add_sak(sekretariat, mote, "Personalsak", offentleg=False, heimel=HEIMEL)
    _add_sak(sekretariat, mote, "Eventuelt")
    url = reverse("moter:motepakke", args=[mote.pk])

    response = public.get(url)
    content = body(response)
    pages = pdf_pages(content)
    sakliste = _sakliste_page(pages)
    first, exempt, last = (sakliste.index(n) for n in ("1/24", "2/24", "3/24"))
    assert first < exempt < last
    assert f"2/24 Unnateke offentlegheit: {HEIMEL} – saka er ikkje med" in sakliste
    assert "Personalsak" not in " ".join(pages)
    assert "Unnateke offentlegheit" not in pages[0]  # the public edition holds nothing exempt
    public_title = pdf_reader(content).metadata.title
    assert public_title == "Møtepakke, offentleg utgåve: Fagleg samarbeidsutval 16.05.2024"
    members = medlem.get(url)
    assert pdf_reader(body(members)).metadata.title != public_title
    assert members["Content-Disposition"] != response["Content-Disposition"]
    assert response["Content-Disposition"].endswith('filename="motepakke-2024-05-16-fsu.pdf"')


def _builds(callbacks) -> list:
    """What a request left to run after commit, apart from the page cache's stamp."""
    return [c for c in callbacks if not isinstance(c, sidebuffer.NyttStempel)]


def test_a_large_pack_is_built_in_the_background_with_progress(
    sekretariat, medlem, mote, settings, django_capture_on_commit_callbacks
):
    settings.MOTEPAKKE_SYNC_MAX_PAGES = 2
    sak = _add_sak(sekretariat, mote, "Stor sak")
    _upload(sekretariat, sak, "Stort", 3)
    url = reverse("moter:motepakke", args=[mote.pk])
    with django_capture_on_commit_callbacks() as callbacks:
        response = medlem.get(url)
    assert response.status_code == 302
    assert response["Location"].endswith("#motepakke")
    assert len(_builds(callbacks)) == 1  # the build is queued, not run in the request
    page = medlem.get(mote.get_absolute_url()).content.decode()
    assert "Møtepakka vert laga no" in page
    assert 'data-hx-trigger="every 2s"' in page
    # Asking again while it is queued does not queue it twice.
    with django_capture_on_commit_callbacks() as callbacks:
        medlem.get(url)
    assert _builds(callbacks) == []

    bygg_motepakke.call(mote.pk, Motepakke.Publikum.MEDLEMMAR)
    row = Motepakke.objects.get(mote=mote)
    assert (row.status, row.framdrift) == (Motepakke.Status.FERDIG, 100)
    status = htmx(medlem, "get", reverse("moter:motepakke_status", args=[mote.pk]))
    assert "Last ned møtepakka" in status.content.decode()
    assert "every 2s" not in status.content.decode()
    assert medlem.get(url).status_code == 200


def test_a_conference_and_a_cancelled_meeting_still_get_a_pack(public, sekretariat, mote):
    konferanse = Mote.objects.get(type=Mote.Type.ERFARINGSKONFERANSE)
    pages = pdf_pages(body(public.get(reverse("moter:motepakke", args=[konferanse.pk]))))
    assert "Thon Partner Jølster Hotell, Skei i Jølster" in pages[0]
    assert "Det er ikkje ført opp saker til dette møtet." in pages[-1]

    sekretariat.post(reverse("moter:mote_avlys", args=[mote.pk]))
    pages = pdf_pages(body(public.get(reverse("moter:motepakke", args=[mote.pk]))))
    assert "Møtet er avlyst" in pages[0]
