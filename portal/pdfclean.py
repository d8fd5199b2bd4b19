"""Uploaded PDFs without anything that runs: no document JavaScript, no open action, no page,
annotation or form field actions (/AA), no launch actions and no ``javascript:`` links.

The portal serves what partners upload to everyone who opens a meeting pack or an
agreement, so a PDF is cleaned before it is stored and again before it is merged into a
pack (files stored before cleaning was added). Plain links, bookmarks and go-to actions stay.
"""

import io

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream, String

# Actions that run something, fetch or send data, or play media that may carry a script.
RUNNING_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/ImportData",
    "/SubmitForm",
    "/Rendition",
    "/Movie",
    "/Sound",
    "/RichMediaExecute",
}
# Keys that hold scripts or actions that run by themselves, wherever they are.
RUNNING_KEYS = ("/AA", "/OpenAction", "/JS", "/JavaScript", "/XFA")


class UnreadablePdf(Exception):
    pass


def _is_script_link(uri) -> bool:
    if not isinstance(uri, String):
        return False
    text = bytes(uri).decode("latin-1")
    scheme = "".join(ch for ch in text if ch > " ").lower()  # "java\tscript:" is one too
    return scheme.startswith(("javascript:", "vbscript:", "data:", "file:"))


def _runs(action, seen: set) -> bool:
    """Whether an action, or any action chained to it by /Next, runs something."""
    if isinstance(action, Array):
        return any(_runs(item, seen) for item in action)
    if not isinstance(action, Dictionary | Stream):
        return False
    if action.is_indirect:
        key = action.objgen
        if key in seen:
            return False
        seen.add(key)
    kind = action.get("/S")
    if kind is not None and str(kind) in RUNNING_ACTIONS:
        return True
    if kind == Name.URI and _is_script_link(action.get("/URI")):
        return True
    return "/Next" in action and _runs(action.Next, seen)


def _clean(container, seen: set) -> bool:
    """Remove running keys and actions from ``container`` and every direct object in it;
    indirect objects are each visited once from the object table."""
    changed = False
    if isinstance(container, Dictionary | Stream):
        for key in RUNNING_KEYS:
            if key in container:
                del container[key]
                changed = True
        if "/A" in container and _runs(container.A, set()):
            del container["/A"]
            changed = True
        children = [container[key] for key in list(container.keys())]
    elif isinstance(container, Array):
        children = list(container)
    else:
        return False
    for child in children:
        if isinstance(child, Dictionary | Stream | Array) and not child.is_indirect:
            changed |= _clean(child, seen)
    return changed


def strip_active_content(data: bytes) -> bytes:
    """``data`` without scripts and running actions; the same bytes object when there was
    nothing to remove. Raises UnreadablePdf if qpdf cannot read it."""
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError) as error:
        raise UnreadablePdf(str(error)) from None
    with pdf:
        changed = _clean(pdf.trailer, set())
        for obj in pdf.objects:
            if isinstance(obj, Dictionary | Stream | Array):
                changed |= _clean(obj, set())
        if not changed:
            return data
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()
