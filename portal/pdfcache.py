"""PDF exports built once per state of the data, and every PDF sent sandboxed.

A PDF export (the agreement overview, the action plan, the møteplan, a referat, the
årshjul) takes WeasyPrint a second or more, and what it holds changes only when the data
does. So a built export is kept under a key made of

- the data stamp (``portal.Dataversjon``, replaced after every committed write, see
  ``portal.sidebuffer``) and today's date (some exports print it);
- the export and its URL arguments, and only the query parameters that change it (a
  ``?utm_source=`` or a cache-busting number does not make it render again);
- what the reader may see: the public, a logged-in user, a member of which utval, or the
  secretariat (drafts and closed saker are in some exports and not in others).

Every response that is a PDF (exports, uploaded documents, meeting packs) gets a content
security policy that sandboxes it: a script that is still in a PDF cannot run with the
portal's origin in a browser's PDF viewer.
"""

import hashlib
import json

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError
from django.http import HttpResponse
from django.utils import timezone

from portal.access import is_sekretariat, member_utval_ids

SANDBOX = "default-src 'none'; sandbox"

# The exports, by URL name, and the query parameters each one reads.
EXPORTS: dict[str, tuple[str, ...]] = {
    "avtalar:oversikt_pdf": (),
    "handlingsplan:pdf": ("dato",),
    "moter:moteplan_pdf": (),
    "moter:referat_pdf": (),
    "partnarskap:arshjul_pdf": (),
}
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Cache-Control", "Vary", "ETag")
TIMEOUT = 24 * 3600


def _cache():
    return caches["default"]


def audience(user) -> list:
    """What decides which rows an export may hold for this reader."""
    if is_sekretariat(user):
        return ["sekretariat"]
    if getattr(user, "is_authenticated", False):
        return ["innlogga", sorted(member_utval_ids(user))]
    return ["alle"]


def export_key(request, name: str, kwargs: dict, params: tuple[str, ...]) -> str:
    from portal.sidebuffer import stempel

    stamp, _ = stempel()
    parts = {
        "stempel": stamp,
        "dag": timezone.localdate().isoformat(),
        "eksport": name,
        "argument": {k: str(v) for k, v in sorted(kwargs.items())},
        "parameter": {p: request.GET.getlist(p) for p in params if p in request.GET},
        "lesar": audience(request.user),
    }
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
    return f"pdf:{digest}"


def _is_pdf(response) -> bool:
    return response.get("Content-Type", "").startswith("application/pdf")


class PdfMiddleware:
    """Serve and keep PDF exports (see the module docstring), and sandbox every PDF. Sits
    after authentication, which the key needs, and before the content security policy
    middleware, whose page policy it replaces on PDFs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_pdf_export_key", None)
        if (
            key
            and request.method == "GET"
            and response.status_code == 200
            and not response.streaming
            and _is_pdf(response)
        ):
            headers = [(h, response[h]) for h in KEPT_HEADERS if response.has_header(h)]
            _cache().set(key, (response.content, headers), timeout=TIMEOUT)
        if _is_pdf(response):
            response["Content-Security-Policy"] = SANDBOX
            response["X-Content-Type-Options"] = "nosniff"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        params = EXPORTS.get(match.view_name) if match else None
        if params is None or request.method not in ("GET", "HEAD") or not settings.SIDEBUFFER:
            return None
        try:
            key = export_key(request, match.view_name, view_kwargs, params)
        except DatabaseError:
            return None  # the view answers the 503
        entry = _cache().get(key)
        if entry is None:
            request._pdf_export_key = key
            return None
        content, headers = entry
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        return response
