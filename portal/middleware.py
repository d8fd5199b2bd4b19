import logging

from django.contrib.auth.views import redirect_to_login
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

from portal.access import LoginRequired

logger = logging.getLogger("portal.database")


class DatabaseUnavailableMiddleware:
    """While the database is down (a restart, a failover), answer a plain nynorsk 503 page
    that needs no database, and log it. Django's connection health checks reconnect by
    themselves once it is back, so no worker restart is needed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        return database_unavailable(request, exception)


def database_unavailable(request, exception) -> HttpResponse:
    logger.error("Database unavailable for %s %s: %s", request.method, request.path, exception)
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "10"
    return response


class LoginRequiredMiddleware:
    """A visitor who is not logged in and asks for closed papers (``portal.access.closed``)
    goes to the login page, and from there back to what they asked for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, LoginRequired):
            return None
        return redirect_to_login(request.get_full_path())


# Anonymous visitors post nothing larger than a login form.
ANONYMOUS_MAX_BODY = 64 * 1024
TOO_LARGE = "Førespurnaden er for stor. Største tillatne fil er {mb} MB."


def max_body(request) -> int:
    """The largest request body accepted from this visitor, in bytes: an upload and the
    form around it for users who are logged in, a login form for everyone else."""
    from django.conf import settings

    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return (settings.MAX_UPLOAD_MB + 1) * 1024 * 1024
    return ANONYMOUS_MAX_BODY


class RequestSizeMiddleware:
    """Refuse a request whose Content-Length is over the limit with 413, before anything
    reads its body (the CSRF check and the views read it later). Sits after the
    authentication middleware, which tells a logged-in user from an anonymous one without
    reading the body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > max_body(request):
            return too_large(request)
        return self.get_response(request)


def too_large(request) -> HttpResponse:
    from django.conf import settings

    from portal.htmx import hx_trigger_message

    message = TOO_LARGE.format(mb=settings.MAX_UPLOAD_MB)
    response = HttpResponse(render_to_string("413.html", {"melding": message}), status=413)
    response["Connection"] = "close"  # the unread body must not be taken for a request
    if request.headers.get("HX-Request"):
        hx_trigger_message(response, message)
    return response
