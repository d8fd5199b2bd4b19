"""A page cache for visitors who are not logged in, invalidated by every write.

Most of the portal's readers are partners looking things up without logging in, and what
they see changes only when the secretariat writes. So a whole page, as rendered for an
anonymous visitor, is kept under a key made of

- the data stamp (``Dataversjon``): a random value replaced after every committed write to
  the portal's data, through model signals, explicit calls to ``endra()`` where a write
  bypasses them (``QuerySet.update``, bulk inserts), and after every successful write
  request;
- today's date, since pages such as the front page show what is coming up;
- the full path with its query string, and the scheme and Host it was asked for by.

A write therefore makes every cached page stale at once; nobody has to know which pages
showed what. Finding the stamp costs one indexed query per request, so a hit is answered
without rendering, sessions or the rest of the middleware.

Only plain GET and HEAD requests with no session or messages cookie are served from or
stored in the cache, and only 200 responses that set no cookie and did not use the CSRF
token. htmx requests are not cached. Each cached page carries an ETag and a Last-Modified,
so a browser's revalidation ends in a 304 with no body.

Logged-in users (``InnloggaSidebufferMiddleware``) get whole pages from the same cache,
keyed on the same stamp, day and address and on their *audience* as well: the secretariat,
the members of one set of utval, or anyone else logged in (``portal.pdfcache.audience``;
what a page shows depends on nothing else, see each app's ``access.py``). Everyone in an
audience sees the same page except for two things, which are cut out before a page is
stored and put back for each reader: the CSRF token (every token on the page, found by
unmasking it against the reader's secret) and the name in the header, the only place a
template shows the user (tests/test_sidebuffer_innlogga.py keeps it so). The reader's own
name elsewhere, as in an utval's member list, is data the whole audience sees. A page
with a message waiting, a page that changed the session, an htmx fragment and a page whose
view set Cache-Control are rendered every time.
"""

import hashlib
import json
import logging
import re
import threading
import uuid
from datetime import datetime, time

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware import csrf
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import http_date, quote_etag

log = logging.getLogger(__name__)

# Apps whose data the pages show. Sessions, login attempts and task results are not in it.
DATA_APPS = {"partnarskap", "avtalar", "handlingsplan", "moter"}
LARGEST = 2 * 1024 * 1024  # bytes; a larger page is rendered every time


def _cache():
    return caches[settings.SIDEBUFFER_CACHE]


def stempel() -> tuple[str, datetime]:
    """The current data stamp and when the data last changed."""
    from portal.models import Dataversjon

    row = Dataversjon.objects.filter(pk=1).values_list("stempel", "endra").first()
    if row is None:  # a new or flushed database
        _bump()
        row = Dataversjon.objects.filter(pk=1).values_list("stempel", "endra").get()
    return row


_bumps = threading.local()  # how many times this thread has changed the stamp


def _bump() -> None:
    from portal.models import Dataversjon

    values = {"stempel": uuid.uuid4().hex, "endra": timezone.now()}
    if not Dataversjon.objects.filter(pk=1).update(**values):
        Dataversjon.objects.update_or_create(pk=1, defaults=values)
    _bumps.count = getattr(_bumps, "count", 0) + 1


class NyttStempel:
    """A new stamp once a transaction commits (``endra``). A save writes several rows (the
    record, its relations, its history), and each asks for one; one is enough. So each
    registration remembers how many stamps this thread had made when it was made, and
    after the commit only the first of those that still find that number makes a new one:
    one UPDATE, and one commit, per transaction."""

    def __init__(self) -> None:
        self.seen = getattr(_bumps, "count", 0)

    def __call__(self) -> None:
        if getattr(_bumps, "count", 0) == self.seen:
            _bump()


def endra(using: str = "default") -> None:
    """Record that the data changed: once the current transaction commits, or now. (A
    registration inside a savepoint that rolls back is dropped with it.)"""
    transaction.on_commit(NyttStempel(), using=using)


def _on_write(sender, **kwargs) -> None:
    # A history row always comes with a write of its own model, which has bumped already.
    if sender._meta.app_label in DATA_APPS and not sender.__name__.startswith("Historical"):
        endra(kwargs.get("using") or "default")


def _on_account_write(sender, update_fields=None, **kwargs) -> None:
    """Who is in the secretariat decides an audience; a login (last_login) does not."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    endra(kwargs.get("using") or "default")


def connect_signals() -> None:
    from django.contrib.auth.models import User

    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_write, dispatch_uid=f"sidebuffer-{signal!r}")
    post_save.connect(_on_account_write, sender=User, dispatch_uid="sidebuffer-user")
    post_delete.connect(_on_account_write, sender=User, dispatch_uid="sidebuffer-user-del")
    m2m_changed.connect(
        _on_account_write, sender=User.groups.through, dispatch_uid="sidebuffer-groups"
    )


def _cacheable_request(request) -> bool:
    return (
        settings.SIDEBUFFER
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES  # django.contrib.messages cookie storage
        and "HTTP_HX_REQUEST" not in request.META
    )


def _key(stamp: str, request) -> str:
    # Pages make absolute links from SITE_URL only; the scheme and Host are in the key as
    # well, so a page rendered for one (a forged Host, X-Forwarded-Proto) is never served
    # to a request with another.
    origin = f"{request.scheme}://{request.META.get('HTTP_HOST', '')}"
    path = hashlib.sha256(f"{origin}{request.get_full_path()}".encode()).hexdigest()
    return f"side:{stamp}:{timezone.localdate().isoformat()}:{path}"


class SidebufferMiddleware:
    """Serve and store anonymous pages (see the module docstring). Sits before the session
    middleware, so a hit skips it and everything after it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            before = getattr(_bumps, "count", 0)
            response = self.get_response(request)
            self._note_write(request, response, before)
            return response
        try:
            stamp, changed = stempel()
        except DatabaseError:
            return self.get_response(request)  # the inner stack answers the 503
        key = _key(stamp, request)
        cached = _cache().get(key)
        if cached is not None:
            return self._response(*cached)
        response = self.get_response(request)
        if self._cacheable(request, response):
            # Pages that show upcoming things change at midnight even if no data does.
            midnight = timezone.make_aware(datetime.combine(timezone.localdate(), time()))
            modified = max(changed, midnight)
            entry = (
                response.status_code,
                [(k, v) for k, v in response.items() if k.lower() not in ("etag", "last-modified")],
                response.content,
                quote_etag(hashlib.md5(response.content, usedforsecurity=False).hexdigest()),
                http_date(modified.timestamp()),
            )
            _cache().set(key, entry, timeout=24 * 3600)
            response["ETag"], response["Last-Modified"] = entry[3], entry[4]
            response["Cache-Control"] = "no-cache"
        return response

    @staticmethod
    def _cacheable(request, response) -> bool:
        user = getattr(request, "user", None)
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not response.has_header("Cache-Control")
            and len(response.content) <= LARGEST
            and not (user is not None and user.is_authenticated)
        )

    @staticmethod
    def _response(status, headers, content, etag, modified) -> HttpResponse:
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response["ETag"], response["Last-Modified"] = etag, modified
        response["Cache-Control"] = "no-cache"
        return response

    @staticmethod
    def _note_write(request, response, before: int) -> None:
        """A successful write request changes the stamp even if it wrote in a way no signal
        saw (``before``: the thread's count of stamp changes when the request began; if the
        writes changed it already, that is enough). The view's transaction has committed."""
        if request.method in ("GET", "HEAD", "OPTIONS") or response.status_code >= 400:
            return
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(_bumps, "count", 0) == before:
            try:
                endra()
            except DatabaseError:
                log.warning("Could not record a write for the page cache")


# --- Pages for logged-in users -------------------------------------------------------------

NAME = re.compile(r'<span class="konto__namn">(.*?)</span>')
TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")


def _audience(request, stamp: str) -> str:
    """The reader's audience (see the module docstring), kept per user and data stamp: a
    change of seats or of the secretariat's members replaces the stamp."""
    from portal.pdfcache import audience

    key = f"publikum:{stamp}:{request.user.pk}"
    found = _cache().get(key)
    if found is None:
        found = json.dumps(audience(request.user), separators=(",", ":")).replace('"', "")
        _cache().set(key, found, timeout=24 * 3600)
    return found


def display_name(user) -> str:
    """The name the header shows (templates/base.html)."""
    return user.get_full_name() or user.get_username()


def _pending_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    return bool(storage is not None and (storage._loaded_messages or storage._queued_messages))


class InnloggaSidebufferMiddleware:
    """Serve and store pages for logged-in users, per audience (see the module docstring).
    Sits after sessions, authentication and messages, which it needs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if not (
            settings.SIDEBUFFER
            and request.method == "GET"
            and "HTTP_HX_REQUEST" not in request.META
            and user is not None
            and user.is_authenticated
            and not _pending_messages(request)
        ):
            return self.get_response(request)
        try:
            stamp, _ = stempel()
            key = f"{_key(stamp, request)}:{_audience(request, stamp)}"
        except DatabaseError:
            return self.get_response(request)
        cached = _cache().get(key)
        if cached is not None:
            return self._response(request, *cached)
        response = self.get_response(request)
        entry = self._entry(request, response)
        if entry is not None:
            _cache().set(key, entry, timeout=24 * 3600)
        return response

    @staticmethod
    def _entry(request, response):
        """What is kept of a page: with the reader's own parts cut out, or None."""
        if not (
            response.status_code == 200
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and not response.has_header("Cache-Control")
            and set(response.cookies) <= {settings.CSRF_COOKIE_NAME}
            and len(response.content) <= LARGEST
            and not getattr(request.session, "modified", False)
            and not _pending_messages(request)
        ):
            return None
        text = response.content.decode(response.charset)
        marker = uuid.uuid4().hex  # never in any page, so a reader's data cannot forge it
        secret = request.META.get("CSRF_COOKIE")
        if secret:

            def cut(match):
                token = match.group(0)
                unmask = csrf._unmask_cipher_token  # type: ignore[attr-defined]  # private in Django
                return f"{marker}:csrf" if unmask(token) == secret else token

            text = TOKEN.sub(cut, text)
        text, names = NAME.subn(f'<span class="konto__namn">{marker}:namn</span>', text, 1)
        if names != 1:
            return None
        dropped = ("etag", "content-length")  # both describe this reader's copy
        headers = [(k, v) for k, v in response.items() if k.lower() not in dropped]
        return (text, marker, headers)

    @staticmethod
    def _response(request, text, marker, headers) -> HttpResponse:
        text = text.replace(f"{marker}:namn", escape(display_name(request.user)))
        if f"{marker}:csrf" in text:
            text = text.replace(f"{marker}:csrf", get_token(request))
        response = HttpResponse(text)
        for name, value in headers:
            response[name] = value
        return response
