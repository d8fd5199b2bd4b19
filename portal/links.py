"""Absolute links, for what is read away from the portal: e-mails, calendar feeds, PDFs."""

from django.conf import settings


def absolute_url(path: str = "/") -> str:
    """``path`` on the configured SITE_URL, never on the Host a request came with: a client
    chooses that header, and cached feeds and sent e-mails would pass it on to others."""
    return settings.SITE_URL + path


def check_site_url(app_configs, **kwargs):
    """`check --deploy`: a production portal must say where it is."""
    from django.core.checks import Warning

    if settings.SITE_URL_SET:
        return []
    return [
        Warning(
            "SITE_URL is not set: links in e-mails, calendar feeds and PDFs point at "
            f"{settings.SITE_URL}.",
            hint="Set SITE_URL to the portal's public address, e.g. https://portal.example.no.",
            id="portal.W001",
        )
    ]
