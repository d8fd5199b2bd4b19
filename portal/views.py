import sys

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from portal.middleware import database_unavailable


@require_safe
@never_cache
def helse(request: HttpRequest) -> HttpResponse:
    """For monitoring: 200 once the database answers a trivial query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@require_safe
def framside(request: HttpRequest) -> HttpResponse:
    from partnarskap.models import Utval

    utval = Utval.objects.filter(aktiv=True).exclude(type=Utval.Type.ARBEIDSGRUPPE)[:8]
    return render(request, "portal/framside.html", {"utval": utval})


@require_safe
def tilgjengelegheit(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/tilgjengelegheit.html")


def feil_403(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", {"grunn": str(exception or "")}, status=403)


def feil_404(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def feil_500(request: HttpRequest) -> HttpResponse:
    # Called while the exception is handled: an outage in a middleware (sessions, auth)
    # lands here rather than in DatabaseUnavailableMiddleware, and deserves the same page.
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        return database_unavailable(request, error)
    return render(request, "500.html", status=500)
