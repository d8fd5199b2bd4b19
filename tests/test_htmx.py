"""A page and its htmx fragment share a URL: every response that depends on whether the
request came from htmx says so (Vary: HX-Request), so no cache hands one for the other."""

from django.urls import reverse
from helpers import htmx

from handlingsplan.models import Tiltak


def test_a_view_that_answers_htmx_differently_varies_on_it(public, seeded):
    tiltak = Tiltak.objects.first()
    for url in (
        reverse("handlingsplan:tiltak", args=[tiltak.pk]),
        reverse("avtalar:oversikt") + "?q=hospitering",
        reverse("sok") + "?q=hospitering",
    ):
        page, fragment = public.get(url), htmx(public, "get", url)
        assert page.content != fragment.content, url
        assert "HX-Request" in page["Vary"], url
        assert "HX-Request" in fragment["Vary"], url


def test_a_view_that_never_asks_does_not_vary_on_it(public, seeded):
    response = public.get(reverse("tilgjengelegheit"))
    assert "HX-Request" not in response.get("Vary", "")
