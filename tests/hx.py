"""A request as htmx sends it (importable by name: tests/browser has its own conftest)."""

from django.test import Client


def htmx(client: Client, method: str, url: str, data=None, **extra):
    call = getattr(client, method.lower())
    return call(url, data or {}, HTTP_HX_REQUEST="true", **extra)
