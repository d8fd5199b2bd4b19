"""The archive export: one zip per utval and year, for the municipalities' and the health
trust's archives.

Inside, a folder per meeting (``2024-05-16/``) with the members' meeting pack, the referat
and each attachment as PDF/A (the archival copy; made now if the worker has not yet, the
file as uploaded when it cannot be made, and the metadata says which); ``arkivstruktur.xml``
that follows the Noark 5 structure where it fits (a ``mappe`` per meeting, a
``registrering`` per sak with its saksnummer, ``dokumentbeskrivelse`` and
``dokumentobjekt`` with format and SHA-256 checksum; the pack and the referat are the
meeting's own registrering); and ``sjekksummar.sha256``, every file's checksum in the form
``sha256sum -c`` reads.
"""

import hashlib
import io
import zipfile
from collections.abc import Callable
from xml.etree import ElementTree as ET

from django.utils import timezone
from django.utils.text import slugify

from moter import arkiv, pack
from moter.access import sakliste
from moter.models import Arkivuttrekk, Mote, Referat, Sak, Vedlegg
from portal import pdf
from portal.lagring import store_whole

NOARK = "http://www.arkivverket.no/standarder/noark5/arkivstruktur"


# Where the zips are kept in the default storage (disk or object storage, portal/lagring.py).
UTTREKK_DIR = "arkivuttrekk"


def uttrekk_namn(fil: str) -> str:
    """The storage name of an export's zip, from the file name kept on the export."""
    return f"{UTTREKK_DIR}/{fil}"


def moter(uttrekk: Arkivuttrekk):
    return (
        Mote.objects.filter(utval=uttrekk.utval, dato__year=uttrekk.ar)
        .select_related("utval")
        .order_by("dato", "pk")
    )


def referat_pdf(referat: Referat, saker: list[Sak], skjulte: list[Sak]) -> bytes:
    """The referat as a PDF, with the saker its reader may see (and those kept back)."""
    return pdf.from_template(
        "moter/pdf/referat.html",
        {
            "mote": referat.mote,
            "referat": referat,
            "saker": saker,
            "skjulte": skjulte,
            "deltaking": list(referat.deltaking.select_related("person", "vara_for")),
        },
    )


def _referat(mote: Mote) -> bytes | None:
    """The members' referat (every sak), or None when the meeting has none."""
    referat = getattr(mote, "referat", None)
    if referat is None:
        return None
    saker = list(mote.saker.order_by("rekkjefolgje", "nummer"))
    return referat_pdf(referat, *sakliste(mote, saker, members=True))


def _vedlegg(vedlegg: Vedlegg) -> tuple[bytes, str]:
    """The attachment as PDF/A-2b and its format; the uploaded file when it cannot be."""
    if vedlegg.arkivfil:
        with vedlegg.arkivfil.open("rb") as handle:
            return handle.read(), "PDF/A-2b"
    with vedlegg.fil.open("rb") as handle:
        original = handle.read()
    try:
        return arkiv.pdfa(original), "PDF/A-2b"
    except arkiv.Feil:
        return original, "PDF"


def _sub(parent: ET.Element, tag: str, text: object = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = str(text)
    return element


def _dokument(parent, tittel: str, rolle: str, path: str, content: bytes, fmt: str) -> None:
    beskrivelse = _sub(parent, "dokumentbeskrivelse")
    _sub(beskrivelse, "tittel", tittel)
    _sub(beskrivelse, "tilknyttetRegistreringSom", rolle)
    objekt = _sub(beskrivelse, "dokumentobjekt")
    _sub(objekt, "format", fmt)
    _sub(objekt, "referanseDokumentfil", path)
    _sub(objekt, "sjekksum", hashlib.sha256(content).hexdigest())
    _sub(objekt, "sjekksumAlgoritme", "SHA-256")
    _sub(objekt, "filstoerrelse", len(content))


def bygg(uttrekk: Arkivuttrekk, framdrift: Callable[[int], None] | None = None) -> str:
    """Write the zip for this utval and year; return its path."""
    report = framdrift or (lambda percent: None)
    meetings = list(moter(uttrekk))
    files: dict[str, bytes] = {}
    ET.register_namespace("", NOARK)
    root = ET.Element("arkiv", xmlns=NOARK)
    _sub(root, "tittel", f"{uttrekk.utval.namn}: møte {uttrekk.ar}")
    arkivdel = _sub(root, "arkivdel")
    _sub(arkivdel, "tittel", f"Møte i {uttrekk.utval.namn} {uttrekk.ar}")
    _sub(arkivdel, "opprettetDato", timezone.localdate().isoformat())

    for done, mote in enumerate(meetings):
        folder = f"{mote.dato:%Y-%m-%d}" + (f"-{mote.pk}" if _same_day(meetings, mote) else "")
        mappe = _sub(arkivdel, "mappe")
        _sub(mappe, "mappeID", folder)
        _sub(mappe, "tittel", mote.namn)
        _sub(mappe, "moetedato", mote.dato.isoformat())
        if mote.stad:
            _sub(mappe, "moetested", mote.stad)

        own = _sub(mappe, "registrering")
        _sub(own, "tittel", f"Møtepakke og referat: {mote.namn}")
        data = pack.innhald(mote, pack.MEDLEMMAR)
        with pack.opne(pack.bygg(data)) as handle:
            content = handle.read()
        files[f"{folder}/motepakke.pdf"] = content
        _dokument(own, "Møtepakke", "Hoveddokument", f"{folder}/motepakke.pdf", content, "PDF/A-2b")
        referat = _referat(mote)
        if referat is not None:
            files[f"{folder}/referat.pdf"] = referat
            _dokument(own, "Referat", "Vedlegg", f"{folder}/referat.pdf", referat, "PDF/A-2a")

        for sak in data.saker:
            registrering = _sub(mappe, "registrering")
            _sub(registrering, "saksnummer", sak.saksnummer)
            _sub(registrering, "tittel", sak.tittel)
            for n, vedlegg in enumerate(data.vedlegg[sak.pk], start=1):
                content, fmt = _vedlegg(vedlegg)
                name = slugify(vedlegg.tittel)[:60] or "vedlegg"
                path = f"{folder}/vedlegg/{sak.saksnummer.replace('/', '-')}-{n}-{name}.pdf"
                files[path] = content
                _dokument(registrering, vedlegg.tittel, "Vedlegg", path, content, fmt)
        report(5 + 85 * (done + 1) // max(len(meetings), 1))

    ET.indent(root)
    files["arkivstruktur.xml"] = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    manifest = "".join(f"{hashlib.sha256(c).hexdigest()}  {p}\n" for p, c in sorted(files.items()))

    fil = f"arkiv-{uttrekk.utval.slug}-{uttrekk.ar}.zip"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for path, content in sorted(files.items()):
            z.writestr(path, content)
        z.writestr("sjekksummar.sha256", manifest)
    store_whole(uttrekk_namn(fil), out.getvalue())
    report(100)
    return fil


def _same_day(meetings: list[Mote], mote: Mote) -> bool:
    return sum(1 for m in meetings if m.dato == mote.dato) > 1


def ar_med_moter(utval_id: int) -> list[int]:
    return [d.year for d in Mote.objects.filter(utval_id=utval_id).dates("dato", "year", "DESC")]
