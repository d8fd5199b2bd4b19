"""Every URL the portal has × the public, a member of another utval, a member of the utval,
and the secretariat, for GET and POST. The URL list comes from the resolver, so a new view
without an entry here fails the first test."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from helpers import blank_pdf
from matrix import PERSONAS, ROUTES, history_kwargs

from partnarskap.models import Utval

# Who gets what is decided in Python; it runs in CI's SQLite pass, which is the shorter.
pytestmark = pytest.mark.one_database(on="sqlite")


@pytest.fixture(autouse=True)
def _pdfs_without_typesetting(monkeypatch):
    """The matrix asks who gets what, not how a document looks (the documents' own tests
    and the fuzz test typeset them): WeasyPrint's last step hands back a one-page PDF, so
    the same PDF is not typeset sixteen times per route. Views and templates still run."""
    from weasyprint import HTML

    stand_in = blank_pdf()
    monkeypatch.setattr(HTML, "write_pdf", lambda self, *args, **kwargs: stand_in)


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


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_each_persona_gets_what_it_should(name, data, public, annan_medlem, medlem, sekretariat):
    # One test per route, so a failure names it; what a route writes is rolled back with
    # the test, and every test logs its personas in afresh (logout ends their sessions).
    clients = {
        "public": public,
        "annan_medlem": annan_medlem,
        "medlem": medlem,
        "sekretariat": sekretariat,
    }
    route = ROUTES[name]
    url = reverse(name, kwargs=route.kwargs(data))
    failures = []
    for persona in PERSONAS:
        for method in ("GET", "POST"):
            for hx in (False, True):
                extra = {"HTTP_HX_REQUEST": "true"} if hx else {}
                response = getattr(clients[persona], method.lower())(url, **extra)
                expected = route.expect[method][persona]
                if response.status_code not in expected:
                    failures.append(
                        f"{persona} {method} {url} (htmx={hx}): "
                        f"{response.status_code}, expected {sorted(expected)}"
                    )
    assert not failures, "\n".join(failures)


def test_history_never_shows_the_public_who_changed_what(public, data, sekretariat_user):
    utval: Utval = data["utval"]
    utval._history_user = sekretariat_user
    utval.moter_per_ar = 5
    utval.save()
    url = reverse("historikk", kwargs=history_kwargs(data))
    assert sekretariat_user.first_name not in public.get(url).content.decode()
