"""htmx on the server: ``request.htmx`` and the response headers that go with it."""

import json

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxDetails


class _WatchedHtmxDetails(HtmxDetails):
    """``request.htmx`` that notes whether the view (or a template) asked about it."""

    asked = False

    def _get_header_value(self, name: str) -> str | None:
        # Every question django-htmx answers (is it htmx, boosted, the target …) reads a
        # header through here.
        self.asked = True
        return super()._get_header_value(name)


class HtmxHttpRequest(HttpRequest):
    """The type of a request once the middleware has run, for views that ask about htmx."""

    htmx: HtmxDetails


class HtmxMiddleware:
    """django-htmx's ``request.htmx``, and ``Vary: HX-Request`` on every response whose view
    asked about it: a page and its htmx fragment share a URL, so a cache must keep them
    apart. No view sets the header itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        request.htmx = details = _WatchedHtmxDetails(request)  # type: ignore[attr-defined]
        response = self.get_response(request)
        if details.asked:
            patch_vary_headers(response, ["HX-Request"])
        return response


def hx_trigger_message(response: HttpResponse, message: str) -> HttpResponse:
    """Tell the page (and screen readers, through portal.js) what just happened."""
    response["HX-Trigger"] = json.dumps({"portal:melding": message})
    return response
