"""Part of ``manage.py bench``: which URL stands for each page type in this database, how
many SQL queries rendering it costs and how long rendering takes with every page cache off
(what anyone waits for on the first visit after a write), for each persona the benchmark
logs in as. It also makes those personas' accounts and sessions, so wrk can carry their
cookies. Prints JSON."""

import json
import statistics
import time

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from portal.access import SEKRETARIAT

# The accounts wrk logs in as: made in the bench database only, named as synthetic data is.
PERSONAS = {
    "sekretariat": "Sekretariatet",
    "fsu": "Medlem av FSU",
}


def pages() -> list[dict]:
    """(name, url) of each page type."""
    from django.db.models import Count

    from avtalar.models import Avtale
    from moter.models import Mote, Sak
    from partnarskap.models import Utval

    fsu = Utval.objects.get(kortnamn="FSU")
    avtale = Avtale.objects.get(slug="delavtale-gjensidig-hospiteringsordning")
    mote = Mote.objects.filter(utval=fsu, dato__year=2024).order_by("dato").first()
    # The shipped data has no saker; the synthetic data (scale 2 and up) has. A sak is read
    # on its meeting's page (its own URL is the secretariat's htmx fragment): the FSU
    # meeting with the most saker.
    sak = (
        Sak.objects.filter(utval=fsu)
        .annotate(saker_i_motet=Count("mote__saker"))
        .order_by("-saker_i_motet", "mote__dato", "rekkjefolgje")
        .first()
    )
    saker = (
        [{"name": "Ei sak", "url": f"{sak.mote.get_absolute_url()}#sak-{sak.pk}"}] if sak else []
    )
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
        *saker,
        {"name": "Søk i heile portalen", "url": "/sok/?q=hospitering"},
    ]


def persona_user(persona: str) -> User:
    """The account for a persona, made once: the secretariat, or a person with a current
    seat in FSU."""
    from partnarskap.models import Medlemskap, Person, Utval

    user, made = User.objects.get_or_create(username=f"test-{persona}")
    if not made:
        return user
    user.first_name = f"Test {PERSONAS[persona]}"
    user.set_unusable_password()
    user.save()
    if persona == "sekretariat":
        user.groups.add(Group.objects.get_or_create(name=SEKRETARIAT)[0])
    else:
        person = Person.objects.create(namn=f"Test {PERSONAS[persona]}", brukar=user)
        Medlemskap.objects.create(
            person=person, utval=Utval.objects.get(kortnamn="FSU"), rolle=Medlemskap.Rolle.MEDLEM
        )
    return user


def tiltak_forms(count: int = 8) -> list[dict]:
    """Different tiltak of the current plan, each with what its editor posts as loaded."""
    from django.urls import reverse

    from handlingsplan.models import Tiltak

    rows = (
        Tiltak.objects.filter(delmal__innsatsomrade__plan__fra_ar=2023)
        .prefetch_related("ansvarleg_utval", "ansvarleg_partnarar", "avtalar")
        .order_by("pk")[:count]
    )
    return [
        {
            "pk": t.pk,
            "url": reverse("handlingsplan:tiltak_endre", args=[t.pk]),
            "form": {
                "tekst": t.tekst,
                "status": t.status,
                "frist_inn": t.frist_tekst or (t.frist.strftime("%d.%m.%Y") if t.frist else ""),
                "ansvarleg_utval": [u.pk for u in t.ansvarleg_utval.all()],
                "ansvarleg_partnarar": [p.pk for p in t.ansvarleg_partnarar.all()],
                "avtalar": [a.pk for a in t.avtalar.all()],
                "ansvarleg_anna": t.ansvarleg_anna,
                "kommentar": t.kommentar,
                "pasientgruppe": t.pasientgruppe_id or "",
                "edit_version": t.edit_version,
                **({"alle_partnarar": "on"} if t.alle_partnarar else {}),
            },
        }
        for t in rows
    ]


def session_cookie(client: Client) -> str:
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def measure(client: Client, url: str, renders: int = 5) -> dict:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    count = len(queries)  # read now: the next request clears the log
    if response.status_code != 200:
        raise SystemExit(f"{url} svara {response.status_code}")
    timings = []
    for _ in range(renders):
        started = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - started)
    return {"queries": count, "render_ms": round(1000 * statistics.median(timings), 1)}


class Command(BaseCommand):
    help = "Finn adressene, SQL-spørjingane og tida per sidetype og persona (for bench)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--sessions-only", action="store_true", help="Berre kontoar, økter og tiltak."
        )
        parser.add_argument("--renders", type=int, default=5, help="Tidsmålte teikningar.")

    def handle(self, *args, sessions_only=False, renders=5, **options):
        clients = {"publikum": Client()}
        cookies = {"publikum": ""}
        for persona in PERSONAS:
            client = Client()
            client.force_login(persona_user(persona))
            clients[persona], cookies[persona] = client, session_cookie(client)
        result = []
        with override_settings(SIDEBUFFER=False):
            for page in [] if sessions_only else pages():
                row = dict(page)
                for persona, client in clients.items():
                    row[persona] = measure(client, page["url"], renders)
                result.append(row)
        output = {"pages": result, "cookies": cookies, "tiltak": tiltak_forms()}
        self.stdout.write(json.dumps(output))
