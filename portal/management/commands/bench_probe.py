"""Part of ``manage.py bench``: which URL stands for each page type in this database, and
how many SQL queries each costs. Prints JSON."""

import json

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal.hooks import collect


def pages() -> list[dict]:
    """(name, url) of each page type; apps add theirs through ``bench_pages()``."""
    from partnarskap.models import Utval

    fsu = Utval.objects.get(kortnamn="FSU")
    return [
        {"name": "Framside", "url": "/"},
        {"name": "Partnarskap", "url": "/partnarskap/"},
        {"name": "Eit utval (FSU)", "url": fsu.get_absolute_url()},
        *collect("bench_pages"),
    ]


class Command(BaseCommand):
    help = "Finn adressene og talet på SQL-spørjingar per sidetype (for bench)."

    def handle(self, *args, **options):
        client = Client()
        result = []
        for page in pages():
            with CaptureQueriesContext(connection) as queries:
                response = client.get(page["url"])
            if response.status_code != 200:
                raise SystemExit(f"{page['url']} svara {response.status_code}")
            result.append({**page, "queries": len(queries)})
        pack = None
        for measure in collect("bench_pack"):
            pack = measure
        self.stdout.write(json.dumps({"pages": result, "pack": pack}))
