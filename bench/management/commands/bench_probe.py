"""Part of ``manage.py bench``: which URL stands for each page type in this database, how
many SQL queries rendering it costs, and how long rendering takes with the page cache off
(what a logged-in user waits for, and the public on the first visit after a write).
Prints JSON."""

import json
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext


def pages() -> list[dict]:
    """(name, url) of each page type."""
    from avtalar.models import Avtale
    from moter.models import Mote
    from partnarskap.models import Utval

    fsu = Utval.objects.get(kortnamn="FSU")
    avtale = Avtale.objects.get(slug="delavtale-gjensidig-hospiteringsordning")
    mote = Mote.objects.filter(utval=fsu, dato__year=2024).order_by("dato").first()
    return [
        {"name": "Framside", "url": "/"},
        {"name": "Partnarskap", "url": "/partnarskap/"},
        {"name": "Eit utval (FSU)", "url": fsu.get_absolute_url()},
        {"name": "Avtalar", "url": "/avtalar/"},
        {"name": "Avtalar, søk", "url": "/avtalar/?q=utskrivinga"},
        {"name": "Ei avtale", "url": avtale.get_absolute_url()},
        {"name": "Handlingsplan", "url": "/handlingsplan/"},
        {"name": "Møteplan 2024", "url": "/moter/2024/"},
        {"name": "Eit møte", "url": mote.get_absolute_url()},
        {"name": "Søk i heile portalen", "url": "/sok/?q=hospitering"},
    ]


class Command(BaseCommand):
    help = "Finn adressene og talet på SQL-spørjingar per sidetype (for bench)."

    def handle(self, *args, **options):
        client = Client()
        result = []
        with override_settings(SIDEBUFFER=False):
            for page in pages():
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(page["url"])
                count = len(queries)  # read now: the next request clears the log
                if response.status_code != 200:
                    raise SystemExit(f"{page['url']} svara {response.status_code}")
                timings = []
                for _ in range(5):
                    started = time.perf_counter()
                    client.get(page["url"])
                    timings.append(time.perf_counter() - started)
                render_ms = round(1000 * statistics.median(timings), 1)
                result.append({**page, "queries": count, "render_ms": render_ms})
        self.stdout.write(json.dumps({"pages": result}))
