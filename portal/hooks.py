"""How the apps contribute to the pages that span the portal.

An app's AppConfig may define any of these methods; the portal calls every app that does:

- ``search_sources() -> list[portal.search_index.Source]``: what the app puts in the search
  index, and who may find it.
- ``framside(request) -> list[Seksjon]``: sections of the front page.
- ``til_oppfolging(request) -> list[Oppfolging]``: what the secretariat must follow up.
- ``seed_scale(n)``: synthetic data for ``manage.py seed --scale N``.
- ``partnar_sections(partnar)``: what concerns a partner, on its page.
- ``after_seed(added)``: derived data once the shipped data is loaded.
"""

from dataclasses import dataclass, field
from datetime import date

from django.apps import apps


@dataclass
class Seksjon:
    tittel: str
    template: str
    context: dict = field(default_factory=dict)
    rekkjefolgje: int = 100


@dataclass
class Oppfolging:
    kategori: str
    tekst: str
    url: str
    dato: date | None = None


def collect(method: str, *args) -> list:
    """Everything the installed apps' ``method`` returns, in app order."""
    results: list = []
    for config in apps.get_app_configs():
        hook = getattr(config, method, None)
        if hook:
            results.extend(hook(*args) or [])
    return results
