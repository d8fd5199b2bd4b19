"""Archival copies of attachments: PDF/A-2b made once, by the background worker, when a file
is uploaded.

Ghostscript (Debian package ``ghostscript``) rewrites the file as PDF/A-2b: every font it
uses embedded (fonts a file only names are taken from Ghostscript's own), colours in sRGB
with an output intent, no scripts, no encryption. The uploaded file is kept as it came;
packs and the archive export use the copy. A file Ghostscript cannot turn into PDF/A is
kept as it is, and the secretariat sees why on the meeting page.

Ghostscript is called directly rather than through ocrmypdf: ocrmypdf adds an OCR text
layer, which needs Tesseract and its language data, and otherwise does what is done here.
"""

import hashlib
import io
import logging
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pikepdf
import weasyprint
from django.core.files.base import ContentFile
from django.db import transaction
from django_tasks import task

from moter.models import Vedlegg
from portal import sidebuffer
from portal.pdfclean import UnreadablePdf, strip_active_content

log = logging.getLogger(__name__)

# The profile the portal's own PDFs carry as their output intent (WeasyPrint's sRGB).
PROFILE = Path(weasyprint.__file__).parent / "pdf" / "sRGB2014.icc"
# Seconds one file may take; a file that takes longer is kept as it is.
TIMEOUT = 300

# The PDF/A output intent, written by Ghostscript's pdfmark operators (its PDFA_def.ps).
_DEFINITION = """%!
[/_objdef {{icc_PDFA}} /type /stream /OBJ pdfmark
[{{icc_PDFA}} << /N 3 >> /PUT pdfmark
[{{icc_PDFA}} ({profile}) (r) file /PUT pdfmark
[/_objdef {{OutputIntent_PDFA}} /type /dict /OBJ pdfmark
[{{OutputIntent_PDFA}} << /Type /OutputIntent /S /GTS_PDFA1
  /DestOutputProfile {{icc_PDFA}} /OutputConditionIdentifier (sRGB) >> /PUT pdfmark
[{{Catalog}} << /OutputIntents [ {{OutputIntent_PDFA}} ] >> /PUT pdfmark
"""


class Feil(Exception):
    """Why a file could not be made archival, in words for the secretariat."""


def ghostscript() -> str | None:
    return shutil.which("gs")


def pdfa(data: bytes) -> bytes:
    """``data`` as PDF/A-2b. Raises Feil, with the reason in plain nynorsk."""
    program = ghostscript()
    if program is None:
        raise Feil("Programmet som lagar arkivversjonar (Ghostscript) manglar på tenaren.")
    try:
        with pikepdf.open(io.BytesIO(data)) as source:
            if source.is_encrypted:
                raise Feil("Fila er kryptert, så ho kan ikkje gjerast om til PDF/A.")
    except pikepdf.PasswordError:
        raise Feil("Fila er låst med passord, så ho kan ikkje gjerast om til PDF/A.") from None
    except pikepdf.PdfError:
        raise Feil("Fila er skadd og kan ikkje lesast som PDF.") from None
    with tempfile.TemporaryDirectory(prefix="arkiv-") as folder:
        work = Path(folder)
        (work / "inn.pdf").write_bytes(data)
        profile = str(PROFILE).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        (work / "pdfa.ps").write_text(_DEFINITION.format(profile=profile))
        command = [
            program, "-dPDFA=2", "-dBATCH", "-dNOPAUSE", "-dQUIET", "-dSAFER",
            f"--permit-file-read={PROFILE}", "-sDEVICE=pdfwrite",
            "-sColorConversionStrategy=RGB", "-dPDFACompatibilityPolicy=1",
            "-dEmbedAllFonts=true", "-dSubsetFonts=true", "-dAutoRotatePages=/None",
            f"-sOutputFile={work / 'ut.pdf'}", str(work / "pdfa.ps"), str(work / "inn.pdf"),
        ]  # fmt: skip
        try:
            run = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise Feil("Det tok for lang tid å gjere fila om til PDF/A.") from None
        out = work / "ut.pdf"
        if run.returncode != 0 or not out.exists() or out.stat().st_size == 0:
            log.warning("Ghostscript failed: %s", run.stderr.decode(errors="replace")[-2000:])
            raise Feil("Fila kunne ikkje gjerast om til PDF/A: ho er truleg skadd.")
        result = out.read_bytes()
    try:
        result = strip_active_content(result)
        with pikepdf.open(io.BytesIO(result)) as made:
            if made.open_metadata().get("pdfaid:part") != "2":
                raise Feil("Fila har innhald som PDF/A ikkje tillèt, og vart ikkje PDF/A.")
    except UnreadablePdf:
        raise Feil("Fila kunne ikkje gjerast om til PDF/A: ho er truleg skadd.") from None
    return result


@task()
def lag_arkivversjon(vedlegg_id: int) -> str:
    """Background: make the attachment's archival copy, once (a new file is a new row)."""
    vedlegg = Vedlegg.objects.filter(pk=vedlegg_id).first()
    if vedlegg is None:
        return "borte"
    if vedlegg.arkivstatus != Vedlegg.Arkivstatus.VENTAR:
        return vedlegg.arkivstatus  # queued twice: made (or tried) already
    try:
        with vedlegg.fil.open("rb") as handle:
            original = handle.read()
        copy = pdfa(original)
    except (Feil, OSError) as error:
        message = str(error) if isinstance(error, Feil) else "Fila manglar på tenaren."
        Vedlegg.objects.filter(pk=vedlegg_id).update(
            arkivstatus=Vedlegg.Arkivstatus.FEILA, arkivmelding=message
        )
        sidebuffer.endra()
        return message
    name = f"arkiv-{hashlib.sha256(original).hexdigest()[:16]}.pdf"
    vedlegg.arkivfil.save(name, ContentFile(copy), save=False)
    Vedlegg.objects.filter(pk=vedlegg_id).update(
        arkivfil=vedlegg.arkivfil.name, arkivstatus=Vedlegg.Arkivstatus.FERDIG, arkivmelding=""
    )
    sidebuffer.endra()  # the meeting page shows the state, and the pack's fingerprint changed
    return str(vedlegg.arkivfil)  # its name, set by the save above


def start(vedlegg: Vedlegg) -> None:
    """Queue the archival copy once the upload is committed."""
    transaction.on_commit(lambda: lag_arkivversjon.enqueue(vedlegg.pk))


def sekund_per_side(data: bytes, sider: int) -> float:
    """For the benchmark: seconds Ghostscript takes per page of this file."""
    started = time.perf_counter()
    pdfa(data)
    return (time.perf_counter() - started) / max(sider, 1)
