"""Two web servers and a worker that share only PostgreSQL, Redis and the file storage, as
in production (README: production layout). Starts two gunicorn instances on different
ports and a background worker as a third process, then checks that

- an edit saved through one instance shows at once through the other, to the public, a
  member of FSU and the secretariat alike, although each had the page in its cache;
- a meeting pack queued through one instance is built by the worker and served by the other.

Prints each check and fails (exit 1) on the first that does not hold. The database is made
afresh (``portal_drill`` on BENCH_DATABASE_URL's server) and seeded with the shipped data.
"""

import json
import os
import re
import secrets
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPRedirectHandler, Request, build_opener

from django.core.management.base import BaseCommand, CommandError

from bench.management.commands.bench import BASE, _database_url, _free_port, _stop
from bench.management.commands.bench import Command as Bench


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = build_opener(_NoRedirect)


def fetch(port: int, path: str, cookie: str = "", data: dict | None = None, **headers):
    """(status, body, headers) of a request to the instance on ``port``."""
    if cookie:
        headers["Cookie"] = cookie
    body = urlencode(data, doseq=True).encode() if data is not None else None
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = Request(f"http://127.0.0.1:{port}{path}", data=body, headers=headers)
    try:
        with OPENER.open(request, timeout=120) as response:
            return response.status, response.read(), response.headers
    except HTTPError as error:
        return error.code, error.read(), error.headers


class Command(BaseCommand):
    help = "To gunicorn-instansar og ein arbeidar på same database og Redis (sjå README)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--database",
            default=os.environ.get(
                "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
            ),
        )
        parser.add_argument(
            "--cache", default=os.environ.get("CACHE_URL") or "redis://127.0.0.1:6379/3"
        )
        parser.add_argument("--reuse", action="store_true", help="Bruk portal_drill om ho finst.")

    def handle(self, *args, database, cache, reuse, **options):
        if not database.startswith("postgres") or not cache.startswith("redis"):
            raise CommandError("Drillen treng PostgreSQL (--database) og Redis (--cache).")
        bench = Bench()
        url = _database_url(database, "portal_drill")
        env = bench._env(url)
        env.update(CACHE_URL=cache, MOTEPAKKE_SYNC_MAX_PAGES="0")  # every pack to the worker
        env["MEDIA_ROOT"] = str(Path("/tmp") / f"portal-drill-media-{os.getpid()}")
        if not (reuse and bench._exists(database, "portal_drill")):
            self.stdout.write("Lagar databasen …")
            bench._fresh_database(database, "portal_drill")
            bench._manage(env, "migrate", "-v0")
            bench._manage(env, "seed")
        probe = json.loads(bench._manage(env, "bench_probe", "--sessions-only", capture=True))
        ports = [_free_port(), _free_port()]
        servers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "portal.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                    "--log-level",
                    "warning",
                ],
                env=env,
                cwd=BASE,
            )  # fmt: skip
            for port in ports
        ]
        worker = subprocess.Popen(
            [sys.executable, str(BASE / "manage.py"), "db_worker", "--interval", "0.2",
             "--no-startup-delay"],
            env=env, cwd=BASE, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            for port in ports:
                bench._wait_for(port, 2)
            self._edit_shows_everywhere(ports, probe)
            self._worker_builds_for_the_other(ports, probe)
        finally:
            for process in [*servers, worker]:
                _stop(process)
        self.stdout.write(self.style.SUCCESS("Drillen heldt: to instansar og ein arbeidar."))

    def _check(self, ok: bool, what: str) -> None:
        self.stdout.write(f"  {'ok ' if ok else 'FEIL'} {what}")
        if not ok:
            raise CommandError(f"Drillen feila: {what}")

    def _edit_shows_everywhere(self, ports: list[int], probe: dict) -> None:
        a, b = ports
        cookies = probe["cookies"]
        item = probe["tiltak"][0]
        page = "/handlingsplan/"
        for port in ports:  # both instances have the page cached for every audience
            for persona, cookie in cookies.items():
                fetch(port, page, cookie)
                status, _body, _headers = fetch(port, page, cookie)
                self._check(status == 200, f"{page} svarar {persona} på port {port}")
        marker = f"Drill {uuid.uuid4().hex[:8]}"
        csrf = secrets.token_hex(16)
        started = time.perf_counter()
        status, _body, _headers = fetch(
            a, item["url"], f"{cookies['sekretariat']}; csrftoken={csrf}",
            {**item["form"], "kommentar": marker}, **{"X-CSRFToken": csrf, "HX-Request": "true"},
        )  # fmt: skip
        self._check(status == 200, f"sekretariatet lagrar tiltaket gjennom port {a}")
        for persona, cookie in cookies.items():
            status, body, _headers = fetch(b, page, cookie)
            seen = marker in body.decode()
            self._check(seen, f"{persona} ser endringa straks gjennom port {b}")
        self.stdout.write(
            f"  (lagra og lese att på {1000 * (time.perf_counter() - started):.0f} ms)"
        )

    def _worker_builds_for_the_other(self, ports: list[int], probe: dict) -> None:
        a, b = ports
        cookie = probe["cookies"]["fsu"]
        _status, body, _headers = fetch(a, "/moter/2024/", cookie)
        meeting = re.search(rb'href="(/moter/mote/\d+/)"', body)
        self._check(meeting is not None, "møteplanen for 2024 har eit møte")
        pack = meeting.group(1).decode() + "motepakke.pdf"
        status, _body, _headers = fetch(a, pack, cookie)
        self._check(status == 302, f"møtepakka vert sett i kø gjennom port {a}")
        for _ in range(600):
            status, body, headers = fetch(b, pack, cookie)
            if status == 200:
                break
            time.sleep(0.2)
        self._check(
            status == 200 and body.startswith(b"%PDF-"),
            f"arbeidaren bygde pakka, og port {b} sender ho",
        )
