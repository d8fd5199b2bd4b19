"""Every URL the portal has × the public, a member of another utval, a member of the utval,
and the secretariat, for GET and POST. The URL list comes from the resolver, so a new view
without an entry here fails the first test."""

import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from matrix import (
    GET_ONLY_WRITE,
    OK,
    PERSONAS,
    POST_ONLY_WRITE,
    READ,
    WRITE,
    Route,
)

from partnarskap.models import Medlemskap, Person, Utval


def _history(data):
    utval = data["utval"]
    return {"app_label": "partnarskap", "model_name": "utval", "pk": utval.pk}


ROUTES: dict[str, Route] = {
    "framside": Route(lambda d: {}, READ),
    "helse": Route(lambda d: {}, READ),
    "sok": Route(lambda d: {}, READ),
    "tilgjengelegheit": Route(lambda d: {}, READ),
    "login": Route(
        lambda d: {},
        {"GET": dict.fromkeys(PERSONAS, OK), "POST": dict.fromkeys(PERSONAS, {200, 302})},
    ),
    "logout": Route(
        lambda d: {},
        {"GET": dict.fromkeys(PERSONAS, {405}), "POST": dict.fromkeys(PERSONAS, {302})},
    ),
    "historikk": Route(_history, READ),
    "gjenopprett": Route(
        lambda d: {**_history(d), "history_id": d["utval"].history.earliest().history_id},
        POST_ONLY_WRITE,
    ),
    "partnarskap:oversikt": Route(lambda d: {}, READ),
    "partnarskap:utval": Route(lambda d: {"slug": d["utval"].slug}, READ),
    "partnarskap:partnar": Route(lambda d: {"slug": "kinn"}, READ),
    "partnarskap:medlemskap_ny": Route(lambda d: {"slug": d["utval"].slug}, WRITE),
    "partnarskap:medlemskap_rad": Route(lambda d: {"pk": d["seat"].pk}, GET_ONLY_WRITE),
    "partnarskap:medlemskap_endre": Route(lambda d: {"pk": d["seat"].pk}, WRITE),
    "partnarskap:medlemskap_avslutt": Route(lambda d: {"pk": d["seat"].pk}, POST_ONLY_WRITE),
}

# Each app keeps its own rows in tests/routes_<app>.py: a ROUTES dict of the same shape,
# built from the names above (import them from matrix).
for _module in sorted(Path(__file__).parent.glob("routes_*.py")):
    ROUTES.update(importlib.import_module(_module.stem).ROUTES)


def _names(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if inner and inner.startswith(("djdt",)):
                continue
            yield from _names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_is_in_the_matrix():
    names = set(_names(get_resolver().url_patterns))
    missing = names - set(ROUTES)
    assert not missing, f"Add these URLs to the permission matrix: {sorted(missing)}"
    assert not set(ROUTES) - names, "The matrix names URLs that no longer exist"


@pytest.fixture
def data(fsu):
    seat = Medlemskap.objects.create(person=Person.objects.create(namn="Sete"), utval=fsu)
    return {"utval": fsu, "seat": seat}


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_each_persona_gets_what_it_should(
    request, name, data, public, annan_medlem, medlem, sekretariat
):
    route = ROUTES[name]
    url = reverse(name, kwargs=route.kwargs(data))
    clients = {
        "public": public,
        "annan_medlem": annan_medlem,
        "medlem": medlem,
        "sekretariat": sekretariat,
    }
    for persona in PERSONAS:
        for method in ("GET", "POST"):
            for hx in (False, True):
                client = clients[persona]
                extra = {"HTTP_HX_REQUEST": "true"} if hx else {}
                response = getattr(client, method.lower())(url, **extra)
                expected = route.expect[method][persona]
                assert response.status_code in expected, (
                    f"{persona} {method} {url} (htmx={hx}): {response.status_code}, "
                    f"expected {sorted(expected)}"
                )
                if name == "logout" and method == "POST" and persona != "public":
                    client.force_login(request.getfixturevalue(f"{persona}_user"))


def test_history_never_shows_the_public_who_changed_what(public, data, sekretariat_user):
    utval: Utval = data["utval"]
    utval._history_user = sekretariat_user
    utval.moter_per_ar = 5
    utval.save()
    url = reverse("historikk", kwargs=_history(data))
    assert sekretariat_user.first_name not in public.get(url).content.decode()
