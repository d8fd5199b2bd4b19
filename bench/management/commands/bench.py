"""Benchmark the portal as it runs in production: gunicorn, DEBUG off, PostgreSQL.

For each scale, a fresh database is migrated and seeded (``seed --scale N``), every page type
is requested once through Django's test client to count its SQL queries, then loaded with wrk
(8 connections) for median and p95 latency and throughput, the latter as a ratio to /helse/
measured in the same run. The meeting pack of a 100-page meeting is measured as well. The
result is written to docs/benchmark.md. This is a measurement, not a test: nothing here fails
because a figure is slow.
"""

import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

BASE = Path(settings.BASE_DIR)
TARGET_P95_MS = 100
TARGET_RATIO = 0.3


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url(base_url: str, name: str) -> str:
    parts = urlsplit(base_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))


class Command(BaseCommand):
    help = "Målar sidene og møtepakken under last og skriv docs/benchmark.md."

    def add_arguments(self, parser):
        parser.add_argument("--scales", default="1,10")
        parser.add_argument("--duration", type=int, default=8, help="Sekund per side.")
        parser.add_argument("--connections", type=int, default=8)
        parser.add_argument("--output", default=str(BASE / "docs" / "benchmark.md"))
        parser.add_argument(
            "--database",
            default=os.environ.get(
                "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
            ),
        )

    def handle(self, *args, scales, duration, connections, output, database, **options):
        if not shutil.which("wrk"):
            raise CommandError("wrk manglar: installer Debian-pakken wrk (make bench gjer det).")
        if not database.startswith("postgres"):
            raise CommandError("Målinga køyrer mot PostgreSQL (--database postgres://…).")
        results = []
        for scale in [int(s) for s in scales.split(",")]:
            url = _database_url(database, f"portal_bench_{scale}")
            self.stdout.write(f"Skala {scale}: lagar databasen …")
            env = self._env(url)
            self._fresh_database(database, f"portal_bench_{scale}")
            self._manage(env, "migrate", "-v0")
            self._manage(env, "collectstatic", "--noinput", "-v0")
            self._manage(env, "seed", "--scale", str(scale))
            probe = json.loads(self._manage(env, "bench_probe", capture=True))
            pages = self._load(env, probe["pages"], duration, connections)
            # The pack is built in its own process, so its peak memory is the build's own.
            pack = json.loads(self._manage(env, "bench_pack", capture=True))
            results.append({"scale": scale, "pages": pages, "pack": pack})
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(self._report(results, duration, connections), encoding="utf-8")
        self.stdout.write(f"Skreiv {output}")

    def _env(self, url: str) -> dict:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=url,
            DEBUG="0",
            SECRET_KEY="bench-" + "x" * 60,
            ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
            SECURE_SSL_REDIRECT="0",
            SESSION_COOKIE_SECURE="0",
            CSRF_COOKIE_SECURE="0",
            SECURE_HSTS_SECONDS="0",
            MEDIA_ROOT=str(Path("/tmp") / f"portal-bench-media-{os.getpid()}"),
        )
        return env

    def _manage(self, env: dict, *argv: str, capture: bool = False) -> str:
        command = [sys.executable, str(BASE / "manage.py"), *argv]
        done = subprocess.run(command, env=env, cwd=BASE, capture_output=capture, text=True)
        if done.returncode:
            raise CommandError(f"{' '.join(argv)} feila: {done.stderr if capture else ''}")
        return done.stdout if capture else ""

    def _fresh_database(self, admin_url: str, name: str) -> None:
        import psycopg

        admin = admin_url.replace("postgres://", "postgresql://")
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            db.execute(f'CREATE DATABASE "{name}"')

    def _load(self, env: dict, pages: list[dict], duration: int, connections: int) -> list[dict]:
        port = _free_port()
        workers = str(2 * (os.cpu_count() or 1) + 1)
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", workers, "--log-level", "warning"],
            env=env, cwd=BASE,
        )  # fmt: skip
        try:
            self._wait_for(port, int(workers))
            measured = []
            reference = {"name": "/helse/ (referanse)", "url": "/helse/", "queries": 1}
            for page in [reference, *pages]:
                url = f"http://127.0.0.1:{port}{page['url']}"
                self._wrk(url, 2, connections)  # warm caches and connections
                figures = self._wrk(url, duration, connections)
                measured.append({**page, **figures})
                self.stdout.write(f"  {page['name']}: p95 {figures['p95_ms']:.1f} ms")
            reference = measured[0]["rps"]
            for row in measured:
                row["ratio"] = row["rps"] / reference if reference else 0
            return measured
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)

    def _wait_for(self, port: int, workers: int = 1) -> None:
        """Until every worker answers /helse/: the port is open as soon as the master binds
        it, long before the workers have imported Django."""
        answered = 0
        for _ in range(600):
            try:
                with urlopen(f"http://127.0.0.1:{port}/helse/", timeout=5) as response:
                    answered += response.status == 200
            except OSError:
                time.sleep(0.1)
            if answered >= 4 * workers:
                return
        raise CommandError("gunicorn starta ikkje.")

    def _wrk(self, url: str, duration: int, connections: int) -> dict:
        script = BASE / "bench" / "latency.lua"
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "-s", str(script), url],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        line = next(x for x in out.splitlines() if x.startswith("BENCH "))
        p50, p95, requests, micros, errors = (int(v) for v in line.split()[1:])
        return {
            "p50_ms": p50 / 1000,
            "p95_ms": p95 / 1000,
            "rps": requests / (micros / 1e6),
            "errors": errors,
        }

    def _report(self, results: list[dict], duration: int, connections: int) -> str:
        lines = [
            "# Benchmark",
            "",
            f"Written by `make bench` on {time.strftime('%Y-%m-%d')}: gunicorn "
            f"({2 * (os.cpu_count() or 1) + 1} sync workers), DEBUG off, PostgreSQL, "
            f"{os.cpu_count()} cores, Python {platform.python_version()}. wrk with "
            f"{connections} connections for {duration} s per page after a 2 s warm-up. "
            "Throughput is the ratio to `/helse/` in the same run.",
            "",
            f"Targets at scale 10: the same queries per page as at scale 1, p95 below "
            f"{TARGET_P95_MS} ms, throughput at least {TARGET_RATIO} of `/helse/`.",
            "",
            "wrk asks as the public (not logged in), so after its first request in each worker "
            "a page comes from the page cache, which costs one SQL query for the data stamp "
            "(portal/sidebuffer.py). *SQL queries* is what rendering the page costs. *Render "
            "ms, uncached* is the median of five renders with the cache off, one at a time: "
            "what a logged-in user waits for, and the public on the first visit after a write.",
            "",
        ]
        for result in results:
            lines += [
                f"## Scale {result['scale']}",
                "",
                "| page | URL | SQL queries | median ms | p95 ms | req/s | ratio | errors "
                "| render ms, uncached |",
                "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            ]
            for row in result["pages"]:
                cells = [
                    row["name"],
                    f"`{row['url']}`",
                    row["queries"],
                    f"{row['p50_ms']:.1f}",
                    f"{row['p95_ms']:.1f}",
                    f"{row['rps']:.0f}",
                    f"{row['ratio']:.2f}",
                    row["errors"],
                    f"{row['render_ms']:.1f}" if "render_ms" in row else "–",
                ]
                lines.append("| " + " | ".join(str(c) for c in cells) + " |")
            pack = result.get("pack")
            if pack:
                lines += ["", "Meeting pack:", ""]
                lines += [f"- {key}: {value}" for key, value in pack.items()]
            lines.append("")
        return "\n".join(lines)
