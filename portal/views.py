import sys
from datetime import date
from email.utils import parseaddr

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from portal import analyse, search
from portal.access import is_sekretariat
from portal.hooks import collect
from portal.htmx import HtmxHttpRequest
from portal.middleware import database_unavailable


@require_safe
@never_cache
def helse(request: HttpRequest) -> HttpResponse:
    """For monitoring: 200 once the database answers a trivial query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


# How many items of a kind of follow-up the front page shows; the rest are a link away.
OPPFOLGING_GRENSE = 10


@require_safe
def framside(request: HttpRequest) -> HttpResponse:
    """What is coming and what needs doing, from every app (see portal.hooks)."""
    seksjonar = sorted(collect(lambda app: app.framside(request)), key=lambda s: s.rekkjefolgje)
    oppfolging = []
    if is_sekretariat(request.user):
        oppfolging = collect(lambda app: app.til_oppfolging(request, grense=OPPFOLGING_GRENSE))
    return render(
        request, "portal/framside.html", {"seksjonar": seksjonar, "oppfolging": oppfolging}
    )


PER_GROUP = 20


@require_safe
def sok(request: HtmxHttpRequest) -> HttpResponse:
    """One search over everything the user may see, grouped by kind, best groups first;
    when nothing is found, queries from the index's own words that find something."""
    query = search.clean(request.GET.get("q"))
    grupper: dict[str, list] = {}
    forslag: list[str] = []
    if analyse.parse(query):
        for hit in search.search(query, request.user, per_kind=PER_GROUP):
            grupper.setdefault(hit.gruppe, []).append(hit)
        if not grupper:
            forslag = search.suggestions(query, request.user)
    context = {
        "q": query,
        "grupper": {name: hits[:PER_GROUP] for name, hits in grupper.items()},
        "tal": sum(len(hits[:PER_GROUP]) for hits in grupper.values()),
        "forslag": forslag,
    }
    template = "portal/sok.html#treff" if request.htmx else "portal/sok.html"
    return render(request, template, context)


@require_safe
def tilgjengelegheit(request: HttpRequest) -> HttpResponse:
    # The seeds give no contact address: the secretariat's sender address is the one the
    # portal knows.
    kontakt = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return render(
        request,
        "portal/tilgjengelegheit.html",
        {"kontakt": kontakt, "oppdatert": ERKLAERING_OPPDATERT},
    )


# When the accessibility statement was last revised: change it with its list of deviations.
ERKLAERING_OPPDATERT = date(2026, 12, 1)


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
