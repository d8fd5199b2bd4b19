"""The meeting pack (møtepakke): one PDF per meeting and audience.

The whole pack is laid out by WeasyPrint in one pass, as a tagged PDF/A-2 document: cover,
innkalling, sakliste, each sak's text, and an empty page wherever an attachment page goes,
as large as that page plus a band of ``BAND`` points at its foot. So WeasyPrint itself knows
every page: it prints "Side n av N" in the band, the page each sak and attachment starts on
in the sakliste, and every bookmark. pikepdf then fills each empty page with its attachment
page (copied, not redrawn): the page object stays, so links, bookmarks and the structure
tree that point at it stay right, and it gets the attachment's content and resources, its
box grown by the band, and the empty page's own drawing (the number) on top. Nothing is
drawn over the attachment: the number sits in the band, which the attachment never prints
on. The band's right corner holds the number; its left is free for a marking.

Each attachment keeps its own links: its named destinations get a prefix of their own
(``vedlegg-<pk>/``), so two attachments that both name a place ``k1`` each find their own.
The pack stays PDF/A-2 with its tags; its attachments are archival copies (PDF/A-2b, made
by ``moter.arkiv``) without tags, so a pack that has any is identified as PDF/A-2b.

A pack is built from a frozen copy of what it holds: its fingerprint covers every fact
printed in it and every attachment's checksum. A pack with the same fingerprint is already
stored (Django's default storage: MEDIA_ROOT, or object storage shared by every server and
worker) and is served as it is; a new one is stored whole or not at all, so a half-written
pack is never served.
"""

import hashlib
import io
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pikepdf
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone
from pikepdf import Array, Dictionary, Name, String
from weasyprint import Document

from moter.access import open_to_public, sakliste
from moter.models import Mote, Motepakke, Sak, Vedlegg
from partnarskap.models import Medlemskap
from portal import pdf
from portal.lagring import store_whole
from portal.pdfclean import strip_active_content

if TYPE_CHECKING:
    from pikepdf._core import PageList  # pikepdf names the type of Pdf.pages only here

log = logging.getLogger(__name__)

# Raise when the layout changes, so packs built with the old layout are rebuilt.
FORMAT = 3
# Points added at the foot of every attachment page (as a reader sees it) for its number.
BAND = 22.0
ALLE = Motepakke.Publikum.ALLE
MEDLEMMAR = Motepakke.Publikum.MEDLEMMAR


# Built packs are kept in the default storage (MEDIA_ROOT, or object storage), so every
# web server and worker sees the same ones.
PACK_DIR = "motepakkar"


UNNATEKE = "Unnateke offentlegheit"


def merking(sak: Sak, mote: Mote) -> str:
    """What an exempt sak's pages say about it (its legal basis where given), or ""."""
    if open_to_public(sak, mote):
        return ""
    return f"{UNNATEKE}: {sak.heimel}" if sak.heimel else UNNATEKE


@dataclass
class Linje:
    """A line of the sakliste: every sak in its place, in both editions; one the edition
    leaves out is named by its number and the exemption."""

    sak: Sak
    med: bool
    merking: str


@dataclass
class Innhald:
    """Everything printed in one pack, read once from the database."""

    mote: Mote
    publikum: str
    saker: list[Sak]
    unnatekne: list[Sak]
    innkalla: list[Medlemskap]
    vedlegg: dict[int, list[Vedlegg]] = field(default_factory=dict)
    sakliste: list[Linje] = field(default_factory=list)

    @property
    def unnateke(self) -> list[Linje]:
        """The exempt saker this edition holds: the members' pack says so on its cover."""
        return [linje for linje in self.sakliste if linje.med and linje.merking]

    @property
    def tittel(self) -> str:
        """The document's title; the two editions never share one."""
        if self.publikum == ALLE:
            return f"Møtepakke, offentleg utgåve: {self.mote}"
        merknad = f" ({UNNATEKE.lower()})" if self.unnateke else ""
        return f"Møtepakke for medlemmane{merknad}: {self.mote}"

    @property
    def filnamn(self) -> str:
        m = self.mote
        name = f"motepakke-{m.dato:%Y-%m-%d}-{m.utval.slug if m.utval else m.pk}"
        return f"{name}-medlemmar.pdf" if self.publikum == MEDLEMMAR else f"{name}.pdf"

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


def innhald(mote: Mote, publikum: str, saker: Iterable[Sak] | None = None) -> Innhald:
    """What the pack for ``publikum`` holds. ``saker``: the meeting's saker in agenda order
    with their attachments, when the caller has them already (the meeting page has)."""
    if saker is None:
        saker = mote.saker.prefetch_related("vedlegg").order_by("rekkjefolgje", "nummer")
    saker = list(saker)
    shown, hidden = sakliste(mote, saker, members=publikum == MEDLEMMAR)
    result = Innhald(mote, publikum, shown, hidden, innkalla(mote))
    result.vedlegg = {s.pk: list(s.vedlegg.all()) for s in shown}
    result.sakliste = [Linje(s, s in shown, merking(s, mote)) for s in saker]
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
                [
                    [v.pk, v.tittel, v.sjekksum, v.storleik, v.arkivfil.name]
                    for v in data.vedlegg[s.pk]
                ],
            ]
            for s in data.saker
        ],
        "unnatekne": [s.saksnummer for s in data.unnatekne],
        "sakliste": [[line.sak.pk, line.med, line.merking] for line in data.sakliste],
    }
    encoded = json.dumps(facts, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()


def pack_path(mote: Mote, publikum: str, fingerprint: str) -> str:
    return f"{PACK_DIR}/mote-{mote.pk}-{publikum}-{fingerprint[:24]}.pdf"


def finst(name: str) -> bool:
    """Whether the pack stored under ``name`` is built."""
    return default_storage.exists(name)


def ferdig_pakke(data: Innhald) -> tuple[str, str]:
    """The storage name the pack for this content has (it may not be built yet) and its
    fingerprint."""
    fingerprint = fingeravtrykk(data)
    return pack_path(data.mote, data.publikum, fingerprint), fingerprint


def _open_attachment(vedlegg: Vedlegg) -> pikepdf.Pdf | None:
    """The attachment as a readable PDF, its archival copy when there is one, or None when
    it is missing, broken or encrypted."""
    try:
        with (vedlegg.arkivfil or vedlegg.fil).open("rb") as handle:
            # Also files stored before uploads were cleaned: no script reaches a reader.
            source = pikepdf.open(io.BytesIO(strip_active_content(handle.read())))
        if source.is_encrypted or len(source.pages) == 0:
            return None
        for page in source.pages:
            _synleg(page)  # touch every page: a broken tree fails here
        return source
    except Exception:  # any failure to read it means it is left out with a note
        log.warning("Vedlegg %s kunne ikkje lesast; det er teke ut av møtepakka", vedlegg.pk)
        return None


def _arva(page: pikepdf.Page, key: str):
    """A page attribute, from the page or the page tree above it."""
    node: pikepdf.Object = page.obj
    for _ in range(64):  # a page tree deeper than this is a loop
        if key in node:
            return node[key]
        if "/Parent" not in node:
            return None
        node = node.Parent
    return None


def _synleg(page: pikepdf.Page) -> tuple[float, float, float, float]:
    """The part of the page a reader sees (its crop box), as left, bottom, right, top."""
    box = _arva(page, "/CropBox") or _arva(page, "/MediaBox")
    x0, y0, x1, y1 = (float(n) for n in box)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _snuing(page: pikepdf.Page) -> int:
    return int(_arva(page, "/Rotate") or 0) % 360


def _storleik(page: pikepdf.Page) -> tuple[float, float]:
    """The page's size as a reader sees it, with the band at its foot: its crop box, turned
    by its /Rotate."""
    left, bottom, right, top = _synleg(page)
    width, height = round(right - left, 2), round(top - bottom, 2)
    if _snuing(page) % 180:
        width, height = height, width
    return width, round(height + BAND, 2)


def _med_band(page: pikepdf.Page) -> tuple[float, float, float, float]:
    """The page's box grown by the band on the side that is its foot when turned."""
    left, bottom, right, top = _synleg(page)
    turn = _snuing(page)
    if turn == 90:
        return left, bottom, right + BAND, top
    if turn == 180:
        return left, bottom, right, top + BAND
    if turn == 270:
        return left - BAND, bottom, right, top
    return left, bottom - BAND, right, top


def _plassering(box: tuple[float, float, float, float], turn: int) -> str:
    """The matrix (``cm``) that lays an upright placeholder page onto this box turned by
    ``turn`` degrees."""
    left, bottom, right, top = box
    matrix = {
        0: (1, 0, 0, 1, left, bottom),
        90: (0, 1, -1, 0, right, bottom),
        180: (-1, 0, 0, -1, right, top),
        270: (0, -1, 1, 0, left, top),
    }[turn]
    return " ".join(f"{n:.4f}" for n in matrix)


@dataclass
class Del:
    """A run of pages in the pack: a sak's text, an attachment, or a note about one."""

    kind: str  # "sak", "vedlegg", "merknad"
    sak: Sak
    merking: str  # "Unnateke offentlegheit …" on each of its pages, or ""
    vedlegg: Vedlegg | None = None
    kjelde: pikepdf.Pdf | None = None
    sider: list[str] = field(default_factory=list)  # an attachment's named page, page by page
    start: int = 0  # index of its first page in the pack

    @property
    def anker(self) -> str:
        """The id of the part's first page in the HTML: where the sakliste and bookmarks
        point. An attachment's first empty page is filled in place, so it keeps it."""
        if self.vedlegg is None:  # only a sak's own part has no attachment
            return f"sak-{self.sak.pk}"
        return f"{self.kind}-{self.vedlegg.pk}"


def _delar(data: Innhald) -> tuple[list[Del], dict[tuple[float, float], str]]:
    """The pack's parts in order, with every attachment opened, and one page name per
    distinct attachment page size."""
    parts: list[Del] = []
    sizes: dict[tuple[float, float], str] = {}
    for sak in data.saker:
        mark = merking(sak, data.mote)
        parts.append(Del("sak", sak, mark))
        for v in data.vedlegg[sak.pk]:
            source = _open_attachment(v)
            if source is None:
                parts.append(Del("merknad", sak, mark, v))
                continue
            names = [sizes.setdefault(_storleik(p), f"v{len(sizes)}") for p in source.pages]
            parts.append(Del("vedlegg", sak, mark, v, source, names))
    return parts, sizes


def _endringar(mote: Mote):
    """The standing section "Endringar sidan førre møte", as it stands now: the pack's
    fingerprint holds only that it is asked for, so a built pack keeps what it printed."""
    if not mote.endringar_i_pakke or mote.utval is None:
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
            "band": BAND,
            "endringar": _endringar(data.mote),
            "tidspunkt": timezone.now(),
        },
    )


def html(data: Innhald) -> str:
    """The pack's HTML for this content: every page the PDF will have, an empty one of the
    right size where each attachment page goes."""
    return _html(data, *_delar(data))


def _finn_start(document: Document, parts: list[Del]) -> None:
    """Set where each part starts, found by its anchor."""
    anchors: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:  # a section split over pages is named on each of them
            anchors.setdefault(name, index)
    for part in parts:
        part.start = anchors[part.anker]


def _namngjevne(source: pikepdf.Pdf) -> dict[str, pikepdf.Object]:
    """The attachment's named destinations: name to destination."""
    found: dict[str, pikepdf.Object] = {}
    root = source.Root
    if "/Dests" in root:  # the PDF 1.1 way: a dictionary
        for key, dest in root.Dests.items():
            found[key.removeprefix("/")] = dest
    if "/Names" in root and "/Dests" in root.Names:
        for key, dest in pikepdf.NameTree(root.Names.Dests).items():
            found[key] = dest
    return found


def _mal(dest, pages: dict[tuple[int, int], int]):
    """An explicit destination with its page replaced by the page's index in the attachment
    (so copying it into the pack does not drag the attachment's page tree along), or None
    when it points outside the attachment."""
    if isinstance(dest, Dictionary) and "/D" in dest:
        dest = dest.D
    if not isinstance(dest, Array) or len(dest) == 0:
        return None
    target = dest[0]
    if isinstance(target, Dictionary) and target.is_indirect:
        index = pages.get(target.objgen)
        if index is None:
            return None
        return Array([index, *list(dest)[1:]])
    return Array(list(dest))  # already a page number (remote-style): kept as it is


def _lenker(source: pikepdf.Pdf, prefix: str) -> dict[str, Array]:
    """Make the attachment's links copyable and its own: named destinations get ``prefix``,
    explicit ones name their page by index. Returns the prefixed named destinations."""
    pages = {page.obj.objgen: index for index, page in enumerate(source.pages)}
    named = {}
    for name, dest in _namngjevne(source).items():
        explicit = _mal(dest, pages)
        if explicit is not None:
            named[prefix + name] = explicit
    for page in source.pages:
        for annot in page.obj.get("/Annots", Array()):
            if not isinstance(annot, Dictionary):
                continue
            if "/P" in annot:
                del annot["/P"]
            holder: pikepdf.Object = annot
            if "/A" in annot and annot.A.get("/S") == Name.GoTo:
                holder, key = annot.A, "/D"
            elif "/Dest" in annot:
                key = "/Dest"
            else:
                continue
            dest = holder[key]
            if isinstance(dest, String | Name):
                name = str(dest).removeprefix("/") if isinstance(dest, Name) else str(dest)
                holder[key] = String(prefix + name)
            else:
                explicit = _mal(dest, pages)
                if explicit is None:
                    del holder[key]
                else:
                    holder[key] = explicit
    return named


def _til_side(dest: Array, pack_pages: "PageList", start: int) -> Array:
    """A copied destination that names its page by index, pointing at the pack's page."""
    first = dest[0]
    if isinstance(first, int) and 0 <= first < len(pack_pages) - start:
        return Array([pack_pages[start + int(first)].obj, *list(dest)[1:]])
    return dest


def _kopi(pack: pikepdf.Pdf, source: pikepdf.Pdf, value):
    """``value`` from the attachment copied into the pack (qpdf copies objects it refers to
    once per attachment, so pages that share resources still share them)."""
    if not value.is_indirect:
        value = source.make_indirect(value)
    return pack.copy_foreign(value)


def _som_form(pack: pikepdf.Pdf, page: pikepdf.Page) -> pikepdf.Stream:
    """The page's drawing as a form XObject, read now (qpdf's own form reads the page's
    content when the file is written, by which time it is the attachment's)."""
    contents = page.obj.Contents
    streams = list(contents) if isinstance(contents, Array) else [contents]
    form = pack.make_stream(b"\n".join(stream.read_bytes() for stream in streams))
    form.Type = Name.XObject
    form.Subtype = Name.Form
    form.BBox = page.obj.MediaBox
    form.Resources = page.obj.Resources
    return form


def _fyll(pack: pikepdf.Pdf, target: pikepdf.Page, source: pikepdf.Pdf, page: pikepdf.Page):
    """Give the placeholder page ``target`` the attachment page's content, resources, box
    (grown by the band) and links; its own drawing (the number) goes on top, in the band."""
    box, turn = _med_band(page), _snuing(page)
    placeholder = _som_form(pack, target)
    resources = Dictionary()
    if (own := _arva(page, "/Resources")) is not None:
        copied = _kopi(pack, source, own)
        for key, value in copied.items():  # a copy of its own: it gets an XObject added
            resources[key] = (
                Dictionary(dict(value.items())) if isinstance(value, Dictionary) else value
            )
    if "/XObject" not in resources:
        resources.XObject = Dictionary()
    name = "/Sidetal"
    while name in resources.XObject:
        name += "x"
    resources.XObject[name] = placeholder

    contents = page.obj.get("/Contents")
    streams = []
    if contents is not None:
        copied = _kopi(pack, source, contents)
        streams = list(copied) if isinstance(copied, Array) else [copied]
    begin = pack.make_stream(b"q\n")
    end = pack.make_stream(f"\nQ\nq {_plassering(box, turn)} cm {name} Do Q\n".encode())

    obj = target.obj
    obj.Resources = resources
    obj.Contents = Array([begin, *streams, end])
    obj.MediaBox = Array(list(box))
    for key in ("/CropBox", "/BleedBox", "/TrimBox", "/ArtBox"):
        if key in obj:
            del obj[key]
    if turn:
        obj.Rotate = turn
    if "/Group" in page.obj:
        obj.Group = _kopi(pack, source, page.obj.Group)
    if "/Annots" in page.obj:
        annots = Array(list(obj.get("/Annots", Array())))
        for annot in _kopi(pack, source, page.obj.Annots):
            if isinstance(annot, Dictionary):
                annot.P = obj
                annots.append(annot)
        obj.Annots = annots


def _rett_lenker(pack: pikepdf.Pdf, part: Del, named: dict[str, Array]) -> None:
    """Point the attachment's copied links and its prefixed named destinations at the
    pack's pages."""
    pages = pack.pages
    for index in range(part.start, part.start + len(part.sider)):
        for annot in pages[index].obj.get("/Annots", Array()):
            holder = annot.A if "/A" in annot and annot.A.get("/S") == Name.GoTo else annot
            key = "/D" if holder is not annot else "/Dest"
            if key in holder and isinstance(dest := holder[key], Array):
                holder[key] = _til_side(dest, pages, part.start)
    if not named:
        return
    root = pack.Root
    if "/Names" not in root:
        root.Names = Dictionary()
    if "/Dests" not in root.Names:
        root.Names.Dests = pikepdf.NameTree.new(pack).obj
    tree = pikepdf.NameTree(root.Names.Dests)
    for name, dest in named.items():
        tree[name] = _til_side(dest, pages, part.start)


def _set_inn(pack: pikepdf.Pdf, parts: list[Del]) -> bool:
    """Fill every placeholder with its attachment page; whether there were any."""
    placed = False
    for part in parts:
        source, vedlegg = part.kjelde, part.vedlegg
        if part.kind != "vedlegg" or source is None or vedlegg is None:
            continue
        named = _lenker(source, f"vedlegg-{vedlegg.pk}/")
        for offset, page in enumerate(source.pages):
            _fyll(pack, pack.pages[part.start + offset], source, page)
        _rett_lenker(pack, part, named)
        placed = True
    return placed


def bygg(data: Innhald, framdrift: Callable[[int], None] | None = None) -> str:
    """Build the pack for this content unless it is stored already; return its name."""
    path, fingerprint = ferdig_pakke(data)
    if finst(path):
        return path
    report = framdrift or (lambda percent: None)
    report(5)

    parts, sizes = _delar(data)
    report(20)
    document = pdf.render(pdf.document(_html(data, parts, sizes)))
    _finn_start(document, parts)
    report(60)
    pack = pikepdf.open(io.BytesIO(pdf.write(document)))
    pdf.one_link_each(pack)  # the sakliste's page links
    report(75)
    if _set_inn(pack, parts):
        # The attachment pages are archival but untagged: the whole is PDF/A-2b.
        with pack.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["pdfaid:conformance"] = "B"
    report(85)

    out = io.BytesIO()
    try:
        pack.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    finally:
        pack.close()
        for part in parts:
            if part.kjelde is not None:
                part.kjelde.close()
    path = store_whole(path, out.getvalue())
    _remove_older(data.mote, data.publikum, keep=path)
    report(100)
    return path


def _remove_older(mote: Mote, publikum: str, keep: str) -> None:
    try:
        _dirs, files = default_storage.listdir(PACK_DIR)
    except FileNotFoundError:
        return
    for name in files:
        if name.startswith(f"mote-{mote.pk}-{publikum}-") and f"{PACK_DIR}/{name}" != keep:
            default_storage.delete(f"{PACK_DIR}/{name}")


def opne(name: str):
    """The stored pack, open for reading."""
    return default_storage.open(name, "rb")


def sidetal(name: str) -> int:
    with opne(name) as handle, pikepdf.open(handle) as built:
        return len(built.pages)
