"""Archival documents: every PDF the portal renders is a tagged PDF/A-2 document; attachments
get an archival copy (PDF/A-2b) made once in the background, the original kept; the pack
keeps its tags and PDF/A identification with attachments in place, and every attachment's
links lead to its own pages."""

import hashlib
import io
import re
from datetime import date

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from helpers import archival_faults, body, htmx, pdf_pages
from weasyprint import HTML

from bench.testdata import lag_pdf
from moter import arkiv
from moter.models import Mote, Referat, Sak, Vedlegg

pytestmark = pytest.mark.one_database(on="sqlite")

needs_ghostscript = pytest.mark.skipif(
    arkiv.ghostscript() is None, reason="Ghostscript (Debian: ghostscript) is not installed"
)


@pytest.fixture
def mote(fsu) -> Mote:
    return Mote.objects.get(utval=fsu, dato=date(2024, 5, 16))


def _sak(mote: Mote, tittel: str = "Arkivsak") -> Sak:
    return Sak.objects.create(
        mote=mote, utval=mote.utval, ar=2024, nummer=mote.neste_saksnummer(), tittel=tittel,
        offentleg=True,
    )  # fmt: skip


def _upload(client, sak: Sak, name: str, content: bytes) -> Vedlegg:
    upload = SimpleUploadedFile(f"{name}.pdf", content, content_type="application/pdf")
    response = htmx(
        client, "post", reverse("moter:vedlegg_ny", args=[sak.pk]), {"fil": upload, "tittel": name}
    )
    assert response.status_code == 200, response.content.decode()
    return sak.vedlegg.get(tittel=name)


def _linked(name: str, target: str) -> bytes:
    """Three pages; a link on the first to the place named ``target`` on the third."""
    return HTML(
        string=f"""<html lang="nn"><style>p {{ break-after: page }}</style>
        <p><a href="#{target}">Til {name}</a></p><p>{name} midt</p>
        <p id="{target}">{name} mål</p></html>"""
    ).write_pdf()


def _unembedded() -> bytes:
    """A PDF whose text uses Helvetica without embedding it, as many office tools write."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                           BaseFont=pikepdf.Name.Helvetica)
    )  # fmt: skip
    page = pdf.add_blank_page(page_size=(595, 842))
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.obj.Contents = pdf.make_stream(b"BT /F1 14 Tf 72 760 Td (Ikkje innebygd skrift) Tj ET")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _fonts(content: bytes) -> dict[str, bool]:
    """Every font's name, and whether its program is embedded."""
    found = {}
    with pikepdf.open(io.BytesIO(content)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font":
                descriptor = obj.get("/FontDescriptor")
                if "/DescendantFonts" in obj:
                    descriptor = obj.DescendantFonts[0].get("/FontDescriptor")
                embedded = descriptor is not None and any(
                    key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
                )
                found[str(obj.get("/BaseFont"))] = embedded
    return found


# --- Every rendered PDF ---

RENDERED = [
    ("handlingsplan:pdf", lambda: {"fra_ar": 2023, "til_ar": 2024}),
    ("avtalar:oversikt_pdf", lambda: {}),
    ("moter:moteplan_pdf", lambda: {"ar": 2024}),
    ("partnarskap:arshjul_pdf", lambda: {"ar": 2024}),
    ("moter:referat_pdf", lambda: {"pk": Referat.objects.get_or_create(mote=_forste())[0].mote_id}),
]


def _forste() -> Mote:
    return Mote.objects.filter(utval__slug="fsu").order_by("dato").first()


@pytest.mark.parametrize("name,kwargs", RENDERED, ids=[r[0] for r in RENDERED])
def test_every_rendered_pdf_is_tagged_pdf_a_in_nynorsk_with_its_title(sekretariat, name, kwargs):
    response = sekretariat.get(reverse(name, kwargs=kwargs()))
    assert response.status_code == 200
    content = body(response)
    assert archival_faults(content) == []
    with pikepdf.open(io.BytesIO(content)) as pdf:
        meta = pdf.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "A")
    assert all(_fonts(content).values())


def test_the_meeting_pack_is_tagged_pdf_a_too(sekretariat, medlem, mote):
    _sak(mote, "Ei sak utan vedlegg")
    content = body(medlem.get(reverse("moter:motepakke", args=[mote.pk])))
    assert archival_faults(content) == []
    with pikepdf.open(io.BytesIO(content)) as pdf:
        assert pdf.open_metadata()["pdfaid:conformance"] == "A"
        assert str(pdf.docinfo.Title).startswith("Møtepakke")


def test_the_moteplan_has_page_numbers_and_the_referat_footer_the_document_font(sekretariat):
    moteplan = pdf_pages(body(sekretariat.get(reverse("moter:moteplan_pdf", args=[2024]))))
    assert all(f"Side {n} av {len(moteplan)}" in text for n, text in enumerate(moteplan, 1))
    mote = _forste()
    Referat.objects.get_or_create(mote=mote)
    referat = body(sekretariat.get(reverse("moter:referat_pdf", args=[mote.pk])))
    assert "Side 1 av" in pdf_pages(referat)[0]
    assert all("DejaVu-Sans" in name or "DejaVuSans" in name for name in _fonts(referat))


def test_the_arshjul_text_layer_has_no_inserted_hyphens(sekretariat):
    url = reverse("partnarskap:arshjul_pdf", args=[2024])
    text = " ".join(pdf_pages(body(sekretariat.get(url))))
    # Words split over lines come out whole (a soft hyphen or "-" at a line end would not).
    assert "\u00ad" not in text
    assert not any(line.rstrip().endswith(("-", "\u2010")) for line in text.splitlines())


# --- Attachments: the archival copy ---


@needs_ghostscript
def test_an_upload_gets_an_archival_copy_with_its_fonts_embedded_and_the_original_kept(
    sekretariat, mote
):
    sak = _sak(mote)
    original = _unembedded()
    vedlegg = _upload(sekretariat, sak, "Kontorskrift", original)
    assert vedlegg.arkivstatus == Vedlegg.Arkivstatus.VENTAR
    assert _fonts(original) == {"/Helvetica": False}

    arkiv.lag_arkivversjon.call(vedlegg.pk)  # what the worker runs after the upload
    vedlegg.refresh_from_db()
    assert vedlegg.arkivstatus == Vedlegg.Arkivstatus.FERDIG
    with vedlegg.fil.open("rb") as handle:
        assert handle.read() == original  # the original is kept as it came
    with vedlegg.arkivfil.open("rb") as handle:
        copy = handle.read()
    # PDF/A-2b with an output intent and every font embedded (a foreign file has no language,
    # title or bookmarks of the portal's to give it).
    pdfa = ("pdfaid", "output intent", "font")
    assert [f for f in archival_faults(copy, tagged=False) if f.startswith(pdfa)] == []
    assert _fonts(copy) and all(_fonts(copy).values())
    assert "Ikkje innebygd skrift" in pdf_pages(copy)[0]
    # The pack uses the copy: every font in it is embedded.
    pakke = body(sekretariat.get(reverse("moter:motepakke", args=[mote.pk])))
    assert all(_fonts(pakke).values())
    assert any("Ikkje innebygd skrift" in page for page in pdf_pages(pakke))


@needs_ghostscript
def test_scripts_are_gone_from_the_archival_copy(sekretariat, mote):
    pdf = pikepdf.open(io.BytesIO(lag_pdf(1, "Skript")))
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("1"))
    out = io.BytesIO()
    pdf.save(out)
    copy = arkiv.pdfa(out.getvalue())
    assert b"/JavaScript" not in copy and b"/OpenAction" not in copy


def test_a_file_that_cannot_be_made_archival_is_kept_and_the_secretariat_told_why(
    sekretariat, medlem, mote, monkeypatch
):
    sak = _sak(mote)
    vedlegg = _upload(sekretariat, sak, "Rar fil", lag_pdf(1, "RAR"))
    monkeypatch.setattr(arkiv, "ghostscript", lambda: None)
    arkiv.lag_arkivversjon.call(vedlegg.pk)
    vedlegg.refresh_from_db()
    assert vedlegg.arkivstatus == Vedlegg.Arkivstatus.FEILA
    assert not vedlegg.arkivfil
    page = sekretariat.get(mote.get_absolute_url()).content.decode()
    assert "Ingen arkivversjon (PDF/A): Programmet som lagar arkivversjonar" in page
    assert "arkivversjon" not in medlem.get(mote.get_absolute_url()).content.decode()
    # The pack still has the file as it came.
    pakke = body(medlem.get(reverse("moter:motepakke", args=[mote.pk])))
    assert any("RAR side 1" in p for p in pdf_pages(pakke))


@needs_ghostscript
def test_a_broken_file_is_named_broken(mote):
    with pytest.raises(arkiv.Feil, match="skadd"):
        arkiv.pdfa(b"%PDF-1.7 not a pdf at all")


# --- The pack with attachments in place ---


def test_the_pack_keeps_tags_and_pdf_a_with_attachments_in_place(sekretariat, medlem, mote):
    sak = _sak(mote)
    _upload(sekretariat, sak, "Notat", lag_pdf(2, "NOTAT"))
    content = body(medlem.get(reverse("moter:motepakke", args=[mote.pk])))
    assert archival_faults(content) == []
    with pikepdf.open(io.BytesIO(content)) as pdf:
        meta = pdf.open_metadata()
        # The attachment pages carry no tags: the whole is identified as PDF/A-2b.
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "B")
        assert str(pdf.docinfo.Title) == meta["dc:title"]


def _dest_page(pdf: pikepdf.Pdf, dest) -> int:
    """The index of the page a link's destination (a name or an explicit one) leads to."""
    if isinstance(dest, pikepdf.String):
        dest = pikepdf.NameTree(pdf.Root.Names.Dests)[str(dest)]
    if isinstance(dest, pikepdf.Dictionary):
        dest = dest.D
    return next(i for i, page in enumerate(pdf.pages) if page.obj.objgen == dest[0].objgen)


def test_each_attachments_links_lead_to_its_own_pages(sekretariat, medlem, mote):
    sak = _sak(mote)
    _upload(sekretariat, sak, "Fyrste", _linked("FYRSTE", "k1"))
    _upload(sekretariat, sak, "Andre", _linked("ANDRE", "k1"))  # the same name, k1
    content = body(medlem.get(reverse("moter:motepakke", args=[mote.pk])))
    texts = pdf_pages(content)
    with pikepdf.open(io.BytesIO(content)) as pdf:
        for name in ("FYRSTE", "ANDRE"):
            source = next(i for i, t in enumerate(texts) if f"Til {name}" in t)
            links = [
                a for a in pdf.pages[source].obj.get("/Annots", [])
                if a.get("/Subtype") == "/Link"
            ]  # fmt: skip
            assert len(links) == 1
            link = links[0]
            dest = link.A.D if "/A" in link else link.Dest
            assert f"{name} mål" in texts[_dest_page(pdf, dest)], name
        names = list(pikepdf.NameTree(pdf.Root.Names.Dests).keys())
        assert len([n for n in names if n.endswith("/k1")]) == 2


def test_the_sakliste_gives_each_attachments_page_with_one_link_each(sekretariat, medlem, mote):
    sak = _sak(mote, "Sak med vedlegg")
    _upload(sekretariat, sak, "Langt notat", lag_pdf(3, "LANGT"))
    _upload(sekretariat, sak, "Kort notat", lag_pdf(1, "KORT"))
    content = body(medlem.get(reverse("moter:motepakke", args=[mote.pk])))
    texts = pdf_pages(content)
    index = next(i for i, t in enumerate(texts) if t.lstrip().startswith("Sakliste"))
    sakliste = texts[index]
    for name, first in (("Langt notat", "LANGT side 1"), ("Kort notat", "KORT side 1")):
        page = int(re.search(rf"Vedlegg: {name}\s*(\d+)", sakliste).group(1))
        assert first in texts[page - 1]
    with pikepdf.open(io.BytesIO(content)) as pdf:
        links = [a for a in pdf.pages[index].obj.get("/Annots", []) if a.get("/Subtype") == "/Link"]
        rects = [tuple(round(float(n)) for n in a.Rect) for a in links]
        assert len(rects) == len(set(rects)) == 3  # one sak and two attachments, once each


# --- The archive export ---


def test_the_archive_export_is_a_zip_whose_checksums_and_metadata_match(sekretariat, medlem, mote):
    import zipfile
    from xml.etree import ElementTree as ET

    from moter.models import Arkivuttrekk
    from moter.tasks import bygg_arkivuttrekk

    sak = _sak(mote, "Sak til arkivet")
    _upload(sekretariat, sak, "Arkivnotat", lag_pdf(2, "ARKIVNOTAT"))
    Referat.objects.get_or_create(mote=mote)
    url = reverse("moter:arkiv_uttrekk")
    assert url in sekretariat.get(reverse("moter:oversikt")).content.decode()
    assert url not in medlem.get(reverse("moter:oversikt")).content.decode()
    assert medlem.get(url).status_code == 403
    page = sekretariat.get(url).content.decode()
    assert "Fagleg samarbeidsutval" in page and "2024" in page

    response = htmx(sekretariat, "post", url, {"utval": mote.utval.slug, "ar": 2024})
    assert response.status_code == 200
    assert 'data-hx-trigger="every 2s"' in response.content.decode()  # progress is polled
    uttrekk = Arkivuttrekk.objects.get(utval=mote.utval, ar=2024)
    assert uttrekk.status == Arkivuttrekk.Status.VENTAR
    bygg_arkivuttrekk.call(uttrekk.pk)  # what the worker runs
    page = sekretariat.get(url).content.decode()
    link = reverse("moter:arkiv_uttrekk_fil", args=[uttrekk.pk])
    assert link in page
    download = sekretariat.get(link)
    assert download["Content-Type"] == "application/zip"
    assert medlem.get(link).status_code == 403

    archive = zipfile.ZipFile(io.BytesIO(body(download)))
    names = set(archive.namelist())
    folder = f"{mote.dato:%Y-%m-%d}"
    assert {f"{folder}/motepakke.pdf", f"{folder}/referat.pdf"} <= names
    attachment = next(n for n in names if n.startswith(f"{folder}/vedlegg/"))
    # Every file's checksum is in the manifest and matches.
    manifest = archive.read("sjekksummar.sha256").decode().splitlines()
    listed = {line.split("  ", 1)[1]: line.split("  ", 1)[0] for line in manifest}
    assert set(listed) == names - {"sjekksummar.sha256"}
    for name, digest in listed.items():
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest, name
    # Every document is PDF/A; the pack is the members' one.
    for name in (f"{folder}/motepakke.pdf", f"{folder}/referat.pdf", attachment):
        with pikepdf.open(io.BytesIO(archive.read(name))) as doc:
            assert doc.open_metadata()["pdfaid:part"] == "2", name
    assert any("ARKIVNOTAT side 2" in p for p in pdf_pages(archive.read(attachment)))
    # The metadata: a mappe per meeting, a registrering per sak with its saksnummer, and
    # each document with its format and checksum.
    ns = {"n": "http://www.arkivverket.no/standarder/noark5/arkivstruktur"}
    root = ET.fromstring(archive.read("arkivstruktur.xml"))
    mappe = next(
        m for m in root.iterfind(".//n:mappe", ns) if m.findtext("n:mappeID", None, ns) == folder
    )
    registrering = next(
        r for r in mappe.iterfind("n:registrering", ns)
        if r.findtext("n:saksnummer", None, ns) == sak.saksnummer
    )  # fmt: skip
    objekt = registrering.find("n:dokumentbeskrivelse/n:dokumentobjekt", ns)
    assert objekt.findtext("n:referanseDokumentfil", None, ns) == attachment
    assert objekt.findtext("n:sjekksum", None, ns) == listed[attachment]
    assert objekt.findtext("n:sjekksumAlgoritme", None, ns) == "SHA-256"
    assert objekt.findtext("n:format", None, ns).startswith("PDF")


@needs_ghostscript
def test_attachments_from_before_get_their_archival_copy_from_the_command(sekretariat, mote):
    from django.core.management import call_command

    vedlegg = _upload(sekretariat, _sak(mote), "Gamalt", lag_pdf(1, "GAMALT"))
    out = io.StringIO()
    call_command("arkivversjonar", stdout=out)
    vedlegg.refresh_from_db()
    assert vedlegg.arkivstatus == Vedlegg.Arkivstatus.FERDIG and vedlegg.arkivfil
    assert "kunne ikkje lagast: 0" in out.getvalue()


def _rightmost_drawing(page: pikepdf.Page) -> float:
    """The largest x (in points) of any rectangle or line the page draws."""
    ctm, stack, right = pikepdf.Matrix(), [], 0.0
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "q":
            stack.append(ctm)
        elif op == "Q":
            ctm = stack.pop()
        elif op == "cm":
            ctm = pikepdf.Matrix(*[float(n) for n in operands]) @ ctm
        elif op == "re":
            x, y, w, h = (float(n) for n in operands)
            for px, py in ((x, y), (x + w, y + h)):
                right = max(right, ctm.transform((px, py))[0])
        elif op in ("m", "l"):
            right = max(right, ctm.transform(tuple(float(n) for n in operands))[0])
    return right


def test_the_agreement_overview_stays_inside_its_margins(sekretariat):
    content = body(sekretariat.get(reverse("avtalar:oversikt_pdf")))
    margin = 14 / 25.4 * 72  # the right margin in oversikt_pdf.css
    with pikepdf.open(io.BytesIO(content)) as pdf:
        for page in pdf.pages:
            width = float(page.mediabox[2])
            assert _rightmost_drawing(page) <= width - margin + 0.5
