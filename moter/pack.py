"""The meeting pack (møtepakke): one PDF per meeting and audience.

Cover, innkalling and sakliste are rendered with WeasyPrint; each sak's text follows, then
its attachments merged in place with pypdf (their pages are copied, not redrawn). The
sakliste names the page each sak starts on, which is only known once everything before it
is laid out, so the front matter is rendered, counted and rendered again with the numbers.
Page numbers are stamped on every page at the end, and every sak and attachment gets a
bookmark.

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
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from moter.models import Mote, Motepakke, Sak, Vedlegg
from partnarskap.models import Medlemskap

log = logging.getLogger(__name__)

# Raise when the layout changes, so packs built with the old layout are rebuilt.
FORMAT = 1
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


def publikum_for(mote: Mote, user) -> str:
    return MEDLEMMAR if mote.papir_for(user) else ALLE


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
    if publikum == MEDLEMMAR:
        shown, hidden = saker, []
    elif not mote.offentlege_papir:
        shown, hidden = [], saker
    else:
        shown = [s for s in saker if s.offentleg]
        hidden = [s for s in saker if not s.offentleg]
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


def filnamn(mote: Mote, publikum: str, fingerprint: str) -> Path:
    return pack_dir() / f"mote-{mote.pk}-{publikum}-{fingerprint[:24]}.pdf"


def ferdig_pakke(data: Innhald) -> tuple[Path, str]:
    """The path the pack for this content has (it may not be built yet) and its fingerprint."""
    fingerprint = fingeravtrykk(data)
    return filnamn(data.mote, data.publikum, fingerprint), fingerprint


def _render(template: str, context: dict):
    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).render()


def _open_attachment(vedlegg: Vedlegg) -> PdfReader | None:
    """The attachment as a readable PDF, or None when it is missing, broken or encrypted."""
    try:
        with vedlegg.fil.open("rb") as handle:
            reader = PdfReader(io.BytesIO(handle.read()))
        if reader.is_encrypted or len(reader.pages) == 0:
            return None
        for page in reader.pages:
            page.mediabox  # noqa: B018  (touch every page: a broken tree fails here)
        return reader
    except Exception:  # any failure to read it means it is left out with a note
        log.warning("Vedlegg %s kunne ikkje lesast; det er teke ut av møtepakka", vedlegg.pk)
        return None


@dataclass
class Del:
    """A run of pages in the pack: a sak's text, an attachment, or a note about one."""

    kind: str  # "sak", "vedlegg", "merknad"
    sak: Sak
    vedlegg: Vedlegg | None = None
    reader: PdfReader | None = None
    pages: tuple[int, int] = (0, 0)  # range in the rendered saker document

    @property
    def count(self) -> int:
        if self.reader is not None:
            return len(self.reader.pages)
        return self.pages[1] - self.pages[0]


def _chunks(document, anchors: list[str]) -> dict[str, tuple[int, int]]:
    """Page ranges of the sections that start a new page, found by their anchor ids."""
    starts = []
    wanted = set(anchors)
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            if name in wanted:
                starts.append((index, name))
                wanted.discard(name)
    starts.sort()
    ranges = {}
    for i, (index, name) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(document.pages)
        ranges[name] = (index, end)
    return ranges


def _stamp(writer: PdfWriter) -> None:
    """Put "Side n av N" on every page, sized to each page (attachments may be landscape)."""
    sizes: dict[tuple[float, float], str] = {}
    pages = []
    for page in writer.pages:
        box = page.mediabox
        size = (round(float(box.width), 2), round(float(box.height), 2))
        name = sizes.setdefault(size, f"s{len(sizes)}")
        pages.append(name)
    html = render_to_string(
        "moter/pdf/sidetal.html",
        {"storleikar": [(n, w, h) for (w, h), n in sizes.items()], "sider": pages},
    )
    stamps = PdfReader(io.BytesIO(HTML(string=html).write_pdf()))
    for page, stamp in zip(writer.pages, stamps.pages, strict=True):
        box = page.mediabox
        if box.left or box.bottom:
            page.merge_translated_page(stamp, float(box.left), float(box.bottom), over=True)
        else:
            page.merge_page(stamp, over=True)


def bygg(data: Innhald, framdrift: Callable[[int], None] | None = None) -> Path:
    """Build the pack for this content unless it is on disk already; return its path."""
    path, fingerprint = ferdig_pakke(data)
    if path.exists():
        return path
    report = framdrift or (lambda percent: None)
    report(5)

    parts: list[Del] = []
    for sak in data.saker:
        parts.append(Del("sak", sak))
        for v in data.vedlegg[sak.pk]:
            reader = _open_attachment(v)
            parts.append(Del("vedlegg" if reader else "merknad", sak, v, reader))
    report(20)

    base = {"mote": data.mote, "innhald": data}
    saker_doc = _render("moter/pdf/saker.html", {**base, "delar": parts})
    anchors = [f"sak-{p.sak.pk}" if p.kind == "sak" else f"merknad-{p.vedlegg.pk}" for p in parts]
    ranges = _chunks(saker_doc, [a for a, p in zip(anchors, parts, strict=True) if not p.reader])
    for anchor, part in zip(anchors, parts, strict=True):
        if part.reader is None:
            part.pages = ranges[anchor]
    report(45)

    # Two passes (or more, if the numbers themselves change the page count of the front).
    startsider: dict[int, int] | None = None
    for _attempt in range(4):
        numbers = startsider or {}
        sakliste = [(s, numbers.get(s.pk)) for s in data.saker]
        front = _render("moter/pdf/framside.html", {**base, "sakliste": sakliste})
        page = len(front.pages) + 1
        computed: dict[int, int] = {}
        for part in parts:
            if part.kind == "sak":
                computed[part.sak.pk] = page
            page += part.count
        if computed == startsider:
            break
        startsider = computed
    report(65)

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(front.write_pdf())), import_outline=False)
    writer.add_outline_item(title="Framside, innkalling og sakliste", page_number=0)
    saker_pdf = PdfReader(io.BytesIO(saker_doc.write_pdf()))
    sak_mark = None
    for part in parts:
        at = len(writer.pages)
        if part.kind == "sak":
            writer.append(saker_pdf, pages=part.pages, import_outline=False)
            sak_mark = writer.add_outline_item(
                title=f"Sak {part.sak.saksnummer} {part.sak.tittel}", page_number=at
            )
        elif part.kind == "vedlegg":
            writer.append(part.reader, import_outline=False)
            writer.add_outline_item(
                title=f"Vedlegg: {part.vedlegg.tittel}", page_number=at, parent=sak_mark
            )
        else:
            writer.append(saker_pdf, pages=part.pages, import_outline=False)
            writer.add_outline_item(
                title=f"Vedlegg: {part.vedlegg.tittel} (manglar)", page_number=at, parent=sak_mark
            )
    report(85)
    _stamp(writer)
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
