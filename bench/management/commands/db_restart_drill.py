"""A fault drill: restart the local PostgreSQL while gunicorn serves a steady load.

While the database is down the portal must answer a clean 503 (the nynorsk page, logged),
never a 500, and once it is back the same gunicorn workers must serve pages again within
seconds, by themselves. Prints a timeline and appends the figures to docs/reliability.md.
Needs to be allowed to restart PostgreSQL (root, pg_ctlcluster or service)."""

import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench.management.commands.bench import Command as Bench
from bench.management.commands.bench import _database_url, _free_port

BASE = Path(settings.BASE_DIR)


def _restart_command() -> list[str]:
    if shutil.which("pg_ctlcluster"):
        clusters = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True)
        version, name = clusters.stdout.split()[:2]
        return ["pg_ctlcluster", version, name, "restart"]
    if shutil.which("service"):
        return ["service", "postgresql", "restart"]
    raise CommandError("Finn ingen måte å starte PostgreSQL på nytt.")


class Command(BaseCommand):
    help = "Startar PostgreSQL på nytt under last og sjekkar at portalen kjem att av seg sjølv."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=20)
        parser.add_argument("--clients", type=int, default=4)
        parser.add_argument(
            "--database",
            default=os.environ.get(
                "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
            ),
        )
        parser.add_argument("--output", default=str(BASE / "docs" / "reliability.md"))

    def handle(self, *args, seconds, clients, database, output, **options):
        bench = Bench()
        name = "portal_drill"
        env = bench._env(_database_url(database, name))
        bench._fresh_database(database, name)
        bench._manage(env, "migrate", "-v0")
        bench._manage(env, "collectstatic", "--noinput", "-v0")
        bench._manage(env, "seed")
        port = _free_port()
        # The server's log (the 503s are logged) goes to a file, never to a pipe that fills.
        log = open(Path("/tmp") / f"portal-drill-{os.getpid()}.log", "w")  # noqa: SIM115
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "3", "--log-level", "warning"],
            env=env, cwd=BASE, stderr=log, stdout=log,
        )  # fmt: skip
        bench._wait_for(port)
        url = f"http://127.0.0.1:{port}/partnarskap/"
        events: list[tuple[float, int, bool]] = []
        stop = threading.Event()

        def load():
            while not stop.is_set():
                started = time.monotonic()
                try:
                    with urllib.request.urlopen(url, timeout=10) as response:
                        status, body = response.status, response.read().decode()
                except urllib.error.HTTPError as error:
                    status, body = error.code, error.read().decode()
                except OSError:
                    status, body = 0, ""
                events.append((started, status, "mellombels utilgjengeleg" in body))

        threads = [threading.Thread(target=load) for _ in range(clients)]
        begin = time.monotonic()
        for thread in threads:
            thread.start()
        try:
            time.sleep(seconds / 4)
            down_at = time.monotonic()
            subprocess.run(_restart_command(), check=True)
            up_at = time.monotonic()
            time.sleep(seconds * 3 / 4)
        finally:
            stop.set()
            for thread in threads:
                thread.join()
            server.terminate()
            server.wait(timeout=30)
            log.close()
        after = [e for e in events if e[0] >= up_at]
        recovered = next((e[0] for e in after if e[1] == 200), None)
        last_bad = max((e[0] for e in events if e[1] != 200), default=None)
        counts = Counter(status for _, status, _ in events)
        clean_503 = sum(1 for _, status, page in events if status == 503 and page)
        lines = [
            f"## Database restart drill, {time.strftime('%Y-%m-%d %H:%M')}",
            "",
            f"- load: {clients} clients on `/partnarskap/` for {seconds} s, gunicorn 3 workers",
            f"- PostgreSQL restart took {up_at - down_at:.1f} s "
            f"(started {down_at - begin:.1f} s into the run)",
            f"- responses: {dict(sorted(counts.items()))} "
            f"(503 with the nynorsk page: {clean_503}; 500: {counts.get(500, 0)}; "
            f"connection errors: {counts.get(0, 0)})",
            "- first 200 after the restart: "
            + (f"{recovered - up_at:.2f} s after PostgreSQL was back" if recovered else "never"),
            "- last non-200: "
            + (f"{last_bad - up_at:+.2f} s from PostgreSQL back" if last_bad else "none"),
            "- gunicorn was not restarted",
            "",
        ]  # fmt: skip
        report = "\n".join(lines)
        self.stdout.write(report)
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        old = path.read_text(encoding="utf-8") if path.exists() else "# Reliability drills\n\n"
        path.write_text(old + report + "\n", encoding="utf-8")
        if counts.get(500) or not recovered:
            raise CommandError("Portalen kom ikkje att av seg sjølv, eller svara 500.")
