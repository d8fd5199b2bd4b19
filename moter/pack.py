"""The meeting pack (møtepakke): one PDF per meeting and audience.

The whole pack is laid out by WeasyPrint in one pass: cover, innkalling, sakliste, each
sak's text, and an empty page of the right size wherever an attachment page goes. So
WeasyPrint itself knows every page: it prints "Side n av N" in the page margin and the
page each sak starts on in the sakliste. pypdf then puts each attachment page (copied, not
redrawn) in place of its empty page, with that page's number drawn over it, and adds a
bookmark for every sak and attachment.

A pack is built from a frozen copy of what it holds: its fingerprint covers every fact
printed in it and every attachment's checksum. A pack with the same fingerprint is already
on disk and is served as it is; a new one is written to a temporary file and moved into
place, so a half-written pack is never served.
"""

import hashlib
import io
import json
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject
from weasyprint import Document

from moter.access import sakliste
from moter.models import Mote, Motepakke, Sak, Vedlegg
from partnarskap.models import Medlemskap
from portal import pdf
from portal.pdfclean import strip_active_content

log = logging.getLogger(__name__)

# Raise when the layout changes, so packs built with the old layout are rebuilt.
FORMAT = 2
ALLE = Motepakke.Publikum.ALLE
MEDLEMMAR = Motepakke.Publikum.MEDLEMMAR


def pack_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "motepakkar"


@dataclass
class Innhald:
    """Everything printed in one pack, read once from the database."""

    mote: Mote
    publikum: str
    saker: list[Sak]
    unnatekne: list[Sak]
    innkalla: list[Medlemskap]
    vedlegg: dict[int, list[Vedlegg]] = field(default_factory=dict)

    @property
    def sidetal_estimat(self) -> int:
        pages = 3 + 2 * len(self.saker)
        for items in self.vedlegg.values():
            pages += sum(v.sider or 1 for v in items)
        return pages


def innkalla(mote: Mote) -> list[Medlemskap]:
    if not mote.utval_id:
        return []
    seats = (
        Medlemskap.objects.gjeldande(mote.dato)
        .filter(utval_id=mote.utval_id)
        .exclude(rolle=Medlemskap.Rolle.VARA)
        .select_related("person", "partnar")
    )
    order = [r.value for r in Medlemskap.Rolle]
    return sorted(seats, key=lambda m: (order.index(m.rolle), m.person.namn))


def innhald(mote: Mote, publikum: str) -> Innhald:
    saker = list(mote.saker.prefetch_related("vedlegg").order_by("rekkjefolgje", "nummer"))
    shown, hidden = sakliste(mote, saker, members=publikum == MEDLEMMAR)
    result = Innhald(mote, publikum, shown, hidden, innkalla(mote))
    result.vedlegg = {s.pk: list(s.vedlegg.all()) for s in shown}
    return result


def fingeravtrykk(data: Innhald) -> str:
    m = data.mote
    facts = {
        "format": FORMAT,
        "publikum": data.publikum,
        "mote": [
            m.pk,
            m.namn,
            str(m.dato),
            str(m.til_dato),
            str(m.start),
            str(m.slutt),
            m.stad,
            m.vertskap,
            m.status,
            m.endringar_i_pakke,
        ],
        "innkalla": [[s.person.namn, s.rolle, s.representerer, s.person_id] for s in data.innkalla],
        "saker": [
            [
                s.pk,
                s.saksnummer,
                s.tittel,
                s.type,
                s.saksframlegg,
                s.forslag_til_vedtak,
                s.vedtak,
                [[v.pk, v.tittel, v.sjekksum, v.storleik] for v in data.vedlegg[s.pk]],
            ]
            for s in data.saker
        ],
        "unnatekne": [s.saksnummer for s in data.unnatekne],
    }
    encoded = json.dumps(facts, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()


def pack_path(mote: Mote, publikum: str, fingerprint: str) -> Path:
    return pack_dir() / f"mote-{mote.pk}-{publikum}-{fingerprint[:24]}.pdf"


def ferdig_pakke(data: Innhald) -> tuple[Path, str]:
    """The path the pack for this content has (it may not be built yet) and its fingerprint."""
    fingerprint = fingeravtrykk(data)
    return pack_path(data.mote, data.publikum, fingerprint), fingerprint


def _open_attachment(vedlegg: Vedlegg) -> PdfReader | None:
    """The attachment as a readable PDF, or None when it is missing, broken or encrypted."""
    try:
        with vedlegg.fil.open("rb") as handle:
            # Also files stored before uploads were cleaned: no script reaches a reader.
            reader = PdfReader(io.BytesIO(strip_active_content(handle.read())))
        if reader.is_encrypted or len(reader.pages) == 0:
            return None
        for page in reader.pages:
            page.mediabox  # noqa: B018  (touch every page: a broken tree fails here)
        return reader
    except Exception:  # any failure to read it means it is left out with a note
        log.warning("Vedlegg %s kunne ikkje lesast; det er teke ut av møtepakka", vedlegg.pk)
        return None


def _storleik(page: PageObject) -> tuple[float, float]:
    """The page's size as a reader sees it: its crop box, turned by its /Rotate."""
    box = page.cropbox
    width, height = round(float(box.width), 2), round(float(box.height), 2)
    return (height, width) if page.rotation % 180 else (width, height)


@dataclass
class Del:
    """A run of pages in the pack: a sak's text, an attachment, or a note about one."""

    kind: str  # "sak", "vedlegg", "merknad"
    sak: Sak
    vedlegg: Vedlegg | None = None
    reader: PdfReader | None = None
    sider: list[str] = field(default_factory=list)  # an attachment's named page, page by page
    start: int = 0  # index of its first page in the pack

    @property
    def anker(self) -> str | None:
        if self.kind == "sak":
            return f"sak-{self.sak.pk}"
        if self.kind == "merknad":
            return f"merknad-{self.vedlegg.pk}"
        return None  # placeholders carry no id: it would name a page that is replaced


def _delar(data: Innhald) -> tuple[list[Del], dict[tuple[float, float], str]]:
    """The pack's parts in order, with every attachment opened, and one page name per
    distinct attachment page size."""
    parts: list[Del] = []
    sizes: dict[tuple[float, float], str] = {}
    for sak in data.saker:
        parts.append(Del("sak", sak))
        for v in data.vedlegg[sak.pk]:
            reader = _open_attachment(v)
            if reader is None:
                parts.append(Del("merknad", sak, v))
                continue
            names = [sizes.setdefault(_storleik(p), f"v{len(sizes)}") for p in reader.pages]
            parts.append(Del("vedlegg", sak, v, reader, names))
    return parts, sizes


def _endringar(mote: Mote):
    """The standing section "Endringar sidan førre møte", as it stands now: the pack's
    fingerprint holds only that it is asked for, so a built pack keeps what it printed."""
    if not (mote.endringar_i_pakke and mote.utval_id):
        return None
    from moter.endringar import endringar_sidan

    return endringar_sidan(mote.utval, before=mote.dato, user=None)


def _html(data: Innhald, parts: list[Del], sizes: dict[tuple[float, float], str]) -> str:
    return render_to_string(
        "moter/pdf/pakke.html",
        {
            "mote": data.mote,
            "innhald": data,
            "delar": parts,
            "storleikar": [(name, w, h) for (w, h), name in sizes.items()],
            "endringar": _endringar(data.mote),
            "tidspunkt": timezone.now(),
        },
    )


def html(data: Innhald) -> str:
    """The pack's HTML for this content: every page the PDF will have, an empty one of the
    right size where each attachment page goes."""
    return _html(data, *_delar(data))


def _finn_start(document: Document, parts: list[Del]) -> None:
    """Set where each part starts. Sak texts and notes are found by their anchors; an
    attachment's placeholders, one page each, end where the next part starts."""
    anchors: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:  # a section split over pages is named on each of them
            anchors.setdefault(name, index)
    end = len(document.pages)
    for part in reversed(parts):
        part.start = end - len(part.sider) if part.anker is None else anchors[part.anker]
        end = part.start


def _plassering(page: PageObject) -> Transformation:
    """Where a placeholder page drawn upright lands on this attachment page: turned back
    by the page's /Rotate and moved to its crop box."""
    box = page.cropbox
    left, bottom = float(box.left), float(box.bottom)
    width, height = float(box.width), float(box.height)
    turn = page.rotation % 360
    if turn == 90:
        return Transformation().rotate(90).translate(left + width, bottom)
    if turn == 180:
        return Transformation().rotate(180).translate(left + width, bottom + height)
    if turn == 270:
        return Transformation().rotate(270).translate(left, bottom + height)
    return Transformation().translate(left, bottom)


def _teikn_over(page: PageObject, placeholder: PageObject) -> None:
    """Draw the placeholder (its page number) over the attachment page, both in the writer.

    The placeholder's content stream becomes a form XObject that the page draws last; the
    page's own content streams stay as they are, wrapped in q/Q. Nothing is decoded or
    parsed: merge_page parses the stamp's content, which took a quarter of the build.
    """
    form = placeholder["/Contents"].get_object()
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): placeholder.mediabox,
            NameObject("/Resources"): placeholder["/Resources"],
        }
    )
    # Copies: an attachment's pages may share one resource dictionary.
    resources = DictionaryObject(page.get("/Resources", DictionaryObject()).get_object())
    forms = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
    name = "/Sidetal"
    while name in forms:
        name += "x"
    forms[NameObject(name)] = form.indirect_reference
    resources[NameObject("/XObject")] = forms
    page[NameObject("/Resources")] = resources

    contents = page.get("/Contents")
    streams = contents.get_object() if contents is not None else ArrayObject()
    old = list(streams) if isinstance(streams, ArrayObject) else [page.raw_get("/Contents")]
    begin, end = DecodedStreamObject(), DecodedStreamObject()
    begin.set_data(b"q\n")
    matrix = " ".join(f"{n:.4f}" for n in _plassering(page).ctm)
    end.set_data(f"\nQ\nq {matrix} cm {name} Do Q\n".encode())
    # The old streams are kept: take them off the page first, or replace_contents blanks them.
    if contents is not None:
        del page["/Contents"]
    page.replace_contents(ArrayObject([begin, *old, end]))


def bygg(data: Innhald, framdrift: Callable[[int], None] | None = None) -> Path:
    """Build the pack for this content unless it is on disk already; return its path."""
    path, fingerprint = ferdig_pakke(data)
    if path.exists():
        return path
    report = framdrift or (lambda percent: None)
    report(5)

    parts, sizes = _delar(data)
    report(20)
    document = pdf.document(_html(data, parts, sizes)).render()
    _finn_start(document, parts)
    report(60)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(document.write_pdf())))
    report(75)

    # Each placeholder page gives way to its attachment page, with the number drawn over it.
    for part in parts:
        if part.kind != "vedlegg":
            continue
        for index, page in enumerate(part.reader.pages, start=part.start):
            placeholder = writer.pages[index]
            _teikn_over(writer.insert_page(page, index), placeholder)
            del writer.pages[index + 1]
    writer.compress_identical_objects(remove_duplicates=False)  # drop the replaced pages

    writer.add_outline_item(title="Framside, innkalling og sakliste", page_number=0)
    sak_mark = None
    for part in parts:
        if part.kind == "sak":
            title = f"Sak {part.sak.saksnummer} {part.sak.tittel}"
            sak_mark = writer.add_outline_item(title=title, page_number=part.start)
        else:
            missing = " (manglar)" if part.kind == "merknad" else ""
            title = f"Vedlegg: {part.vedlegg.tittel}{missing}"
            writer.add_outline_item(title=title, page_number=part.start, parent=sak_mark)
    report(85)
    writer.add_metadata({"/Title": f"Møtepakke: {data.mote}", "/Author": "Helsefellesskapet"})
    writer.page_mode = "/UseOutlines"

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".bygg-", suffix=".pdf")
    try:
        with os.fdopen(handle, "wb") as out:
            writer.write(out)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    _remove_older(data.mote, data.publikum, keep=path)
    report(100)
    return path


def _remove_older(mote: Mote, publikum: str, keep: Path) -> None:
    for old in pack_dir().glob(f"mote-{mote.pk}-{publikum}-*.pdf"):
        if old != keep:
            old.unlink(missing_ok=True)


def sidetal(path: Path) -> int:
    return len(PdfReader(path).pages)
