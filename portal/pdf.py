"""Documents the portal renders as PDF: a template laid out by WeasyPrint, and the response
that serves it.

WeasyPrint reads what a document refers to (stylesheets, images) through ``DiskFetcher``:
``/static/`` comes from disk, ``/media/`` from Django's default storage, ``data:`` URLs are
read in place, and anything else is refused (WeasyPrint leaves it out and logs a warning).
Rendering never makes a request, to the portal's own address or elsewhere, so a document
does not depend on the network, on the host name a request came in on, or on where a URL in
the text points.

Every document is written as PDF/A-2a (``ARCHIVAL``): tagged, its fonts embedded, an sRGB
output intent, XMP metadata that names the PDF/A part, its language (the template's
``<html lang="nn">``) and its ``<title>`` shown in the reader's title bar. Headings make
its bookmarks unless a stylesheet says otherwise (``bookmark-level``).
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pikepdf
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string
from django.utils._os import safe_join
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header
from weasyprint import CSS, HTML, Document
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Documents resolve relative URLs against an address that cannot exist (RFC 2606), so
# nothing in a document can reach a server even if the fetcher let it through.
BASE_URL = "https://portal.invalid/"


def _read(path: str) -> tuple[str, bytes] | None:
    """The name and content of the file behind a /static/ or /media/ path, or None (also
    for a path that tries to climb out of its folder). Media files are read through Django's
    default storage, so they may be on disk or in object storage."""
    try:
        if path.startswith(settings.STATIC_URL):
            name = path.removeprefix(settings.STATIC_URL)
            file = Path(finders.find(name) or safe_join(settings.STATIC_ROOT, name))
            return (file.name, file.read_bytes()) if file.is_file() else None
        if path.startswith(settings.MEDIA_URL):
            name = path.removeprefix(settings.MEDIA_URL)
            with default_storage.open(name, "rb") as handle:
                return (name.rsplit("/", 1)[-1], handle.read())
    except (SuspiciousFileOperation, OSError):
        return None
    return None


class DiskFetcher(URLFetcher):
    """Serves WeasyPrint the portal's own static and media files; refuses the rest (see the
    module docstring)."""

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        found = None
        if f"{parts.scheme}://{parts.netloc}/" == BASE_URL:
            found = _read(unquote(parts.path))
        if found is None:
            raise ValueError(f"Not served to documents: {url}")
        name, content = found
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, content, {"Content-Type": content_type})


def document(source: str) -> HTML:
    """A WeasyPrint document for this HTML, reading what it refers to through DiskFetcher.
    Every document the portal prints starts here, the meeting pack included."""
    return HTML(string=source, base_url=BASE_URL, url_fetcher=DiskFetcher())


# PDF/A-2 level A: archival (PDF/A-2) and tagged for assistive technology (level A).
ARCHIVAL = "pdf/a-2a"


def render(html: HTML) -> Document:
    """Lay the document out for the archival variant (tags are laid out with the pages),
    for a caller that looks at the pages before writing them (the meeting pack)."""
    return html.render(pdf_variant=ARCHIVAL)


def write(rendered: Document) -> bytes:
    """A laid-out document as an archival, tagged PDF."""
    return rendered.write_pdf(pdf_variant=ARCHIVAL)


def one_link_each(pdf: pikepdf.Pdf) -> int:
    """Remove the extra link annotations WeasyPrint makes for a link with boxes inside it
    (``<a>`` and its ``::after``: one each, the same area and target), and their entries in
    the structure tree. Returns how many it removed."""
    removed: set[tuple[int, int]] = set()
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if annots is None:
            continue
        seen, kept = set(), pikepdf.Array()
        for annot in annots:
            if annot.get("/Subtype") == "/Link":
                rect = tuple(round(float(n), 1) for n in annot.Rect)
                target = annot.get("/Dest") or annot.get("/A", pikepdf.Dictionary()).get("/URI")
                key = (rect, repr(target))
                if key in seen:
                    removed.add(annot.objgen)
                    continue
                seen.add(key)
            kept.append(annot)
        if len(kept) != len(annots):
            page.obj.Annots = kept
    if removed and "/StructTreeRoot" in pdf.Root:
        _drop_references(pdf.Root.StructTreeRoot, removed)
    return len(removed)


def _drop_references(element, removed: set[tuple[int, int]]) -> None:
    """Take object references to ``removed`` out of a structure tree."""
    stack = [element]
    while stack:
        node = stack.pop()
        kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
        if kids is None:
            continue
        items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        kept = [
            kid
            for kid in items
            if not (
                isinstance(kid, pikepdf.Dictionary)
                and kid.get("/Type") == "/OBJR"
                and kid.Obj.objgen in removed
            )
        ]
        if len(kept) != len(items):
            node.K = pikepdf.Array(kept)
        stack.extend(kid for kid in kept if isinstance(kid, pikepdf.Dictionary))


def from_template(template: str, context: dict, stylesheets: tuple[str, ...] = ()) -> bytes:
    """``template`` rendered with ``context`` as a PDF; ``stylesheets`` are static files
    (such as "avtalar/oversikt_pdf.css") applied on top of the document's own styles."""
    static = BASE_URL + settings.STATIC_URL.lstrip("/")
    css = [CSS(url=static + name, url_fetcher=DiskFetcher()) for name in stylesheets]
    html = document(render_to_string(template, context))
    return html.write_pdf(stylesheets=css, pdf_variant=ARCHIVAL)


def response(
    request: HttpRequest, pdf: bytes | Path | File, filename: str, etag: str | None = None
) -> HttpResponseBase:
    """Serve a PDF (rendered bytes, a file on disk, or a stored file opened from Django's
    storage) for reading in the browser as ``filename``.

    What a document holds may depend on who asks (the secretariat sees drafts, members see
    exempt saker), so it varies on the session cookie and a logged-in user's copy is never
    kept by a shared cache. A rendered document for the public goes through the page cache
    (portal.sidebuffer), which marks it no-cache with an ETag; a file never does, so it is
    marked here. ``etag`` (quoted) lets a browser that has this very document get a 304.
    """
    if etag and etag in request.headers.get("If-None-Match", ""):
        if isinstance(pdf, File):
            pdf.close()
        served: HttpResponseBase = HttpResponse(status=304)
    elif isinstance(pdf, bytes):
        served = HttpResponse(pdf, content_type="application/pdf")
    else:
        handle = pdf.open("rb") if isinstance(pdf, Path) else pdf
        served = FileResponse(handle, content_type="application/pdf")
    if served.status_code == 200:
        served["Content-Disposition"] = content_disposition_header(False, filename) or "inline"
    if etag:
        served["ETag"] = etag
    if request.user.is_authenticated or not isinstance(pdf, bytes):
        served["Cache-Control"] = "private, no-cache"
    patch_vary_headers(served, ["Cookie"])
    return served
