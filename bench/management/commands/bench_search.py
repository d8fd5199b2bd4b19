"""``manage.py bench_search``: how fast the search answers at a given scale, on SQLite and on
PostgreSQL, and how large its index is. Part of ``make bench``; writes
docs/benchmark-search.md.

For each database a fresh one is migrated and seeded (``seed --scale N``, which builds the
index and reads every stored PDF), then, in a process of its own with DEBUG off and the page
cache off, each search page is requested through Django's test client: two warm-up requests,
then ``--runs`` timed ones, one at a time. This is a measurement, not a test.
"""

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

BASE = Path(settings.BASE_DIR)
QUERIES = [
    "hospitering",
    "utskrivingsklare pasientar",
    "avtalane",
    "samhandlingsavvik",
    "kva vedtok FSU om hospitering",
    "testvedlegg",
    "syntetisk",
    "hospitring",  # nothing found: "Meinte du …?"
]
LIST_QUERIES = ["utskrivinga", "testavtale", "smitevern"]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Målar søket på SQLite og PostgreSQL og skriv docs/benchmark-search.md."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=10)
        parser.add_argument(
            "--runs", type=int, default=30, help="Tidsmålte førespurnader per side."
        )
        parser.add_argument("--output", default=str(BASE / "docs" / "benchmark-search.md"))
        parser.add_argument(
            "--database",
            default=os.environ.get(
                "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
            ),
            help="PostgreSQL-tenaren målinga lagar databasen sin på.",
        )
        parser.add_argument("--probe", action="store_true", help=("Mål databasen i DATABASE_URL."))

    def handle(self, *args, scale, runs, output, database, probe, **options):
        if probe:
            self.stdout.write(json.dumps(self._probe(runs)))
            return
        if not database.startswith("postgres"):
            raise CommandError("--database må vere ein PostgreSQL-tenar (postgres://…).")
        results = []
        with tempfile.TemporaryDirectory(prefix="portal-bench-search-") as work:
            name = f"portal_bench_search_{scale}"
            targets = [
                ("SQLite", f"sqlite:///{Path(work) / 'bench.sqlite3'}"),
                ("PostgreSQL", self._fresh_postgres(database, name)),
            ]
            for label, url in targets:
                self.stdout.write(f"{label}, skala {scale}: lagar databasen …")
                env = self._env(url, Path(work) / f"media-{label.lower()}")
                self._manage(env, "migrate", "-v0")
                started = time.perf_counter()
                self._manage(env, "seed", "--scale", str(scale), capture=True)
                seeded = time.perf_counter() - started
                started = time.perf_counter()
                self._manage(env, "search_index", capture=True)
                rebuilt = time.perf_counter() - started
                probe = json.loads(
                    self._manage(env, "bench_search", "--probe", "--runs", str(runs), capture=True)
                )
                results.append({"database": label, "seed_s": seeded, "rebuild_s": rebuilt, **probe})
                self.stdout.write(f"  p95, søk i heile portalen: {probe['p95_ms']:.1f} ms")
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(self._report(results, scale, runs), encoding="utf-8")
        self.stdout.write(f"Skreiv {output}")

    # --- The parent: fresh databases, one process per measurement ---

    def _fresh_postgres(self, admin_url: str, name: str) -> str:
        import psycopg

        with psycopg.connect(
            admin_url.replace("postgres://", "postgresql://"), autocommit=True
        ) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            db.execute(f'CREATE DATABASE "{name}"')
        parts = urlsplit(admin_url)
        return urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))

    def _env(self, url: str, media: Path) -> dict:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=url,
            DEBUG="0",
            SIDEBUFFER="0",
            SECRET_KEY="bench-" + "x" * 60,
            ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
            SECURE_SSL_REDIRECT="0",
            SESSION_COOKIE_SECURE="0",
            CSRF_COOKIE_SECURE="0",
            SECURE_HSTS_SECONDS="0",
            MEDIA_ROOT=str(media),
        )
        return env

    def _manage(self, env: dict, *argv: str, capture: bool = False) -> str:
        command = [sys.executable, str(BASE / "manage.py"), *argv]
        done = subprocess.run(command, env=env, cwd=BASE, capture_output=capture, text=True)
        if done.returncode:
            raise CommandError(f"{' '.join(argv)} feila: {done.stderr if capture else ''}")
        return done.stdout if capture else ""

    # --- The child: measure the database in DATABASE_URL ---

    def _probe(self, runs: int) -> dict:
        from django.db import connection
        from django.test import Client

        from portal.models import SearchEntry, SearchWord

        client = Client()
        groups = {
            "sok": [f"/sok/?q={quote(q)}" for q in QUERIES],
            "avtalar": [f"/avtalar/?q={quote(q)}" for q in LIST_QUERIES],
            "reference": ["/avtalar/"],  # the list without a search, for comparison
        }
        pages, timings_by_group = [], {}
        for group, urls in groups.items():
            timings_by_group[group] = []
            for url in urls:
                for _ in range(2):
                    if client.get(url).status_code != 200:
                        raise CommandError(f"{url} svara ikkje 200")
                timings = []
                for _ in range(runs):
                    started = time.perf_counter()
                    client.get(url)
                    timings.append(1000 * (time.perf_counter() - started))
                timings_by_group[group] += timings
                pages.append(
                    {
                        "url": url,
                        "p50_ms": statistics.median(timings),
                        "p95_ms": _percentile(timings, 0.95),
                    }
                )
        every = timings_by_group["sok"]
        listed = timings_by_group["avtalar"]
        return {
            "pages": pages,
            "p50_ms": statistics.median(every),
            "p95_ms": _percentile(every, 0.95),
            "list_p50_ms": statistics.median(listed),
            "list_p95_ms": _percentile(listed, 0.95),
            "load": os.getloadavg()[0],
            "entries": SearchEntry.objects.count(),
            "pages_indexed": SearchEntry.objects.filter(page__gt=0).count(),
            "words": SearchWord.objects.count(),
            "index_bytes": self._index_bytes(connection),
        }

    def _index_bytes(self, connection) -> int | None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT pg_total_relation_size('portal_searchentry')"
                    " + pg_total_relation_size('portal_searchword')"
                )
                return cursor.fetchone()[0]
            try:  # SQLite's dbstat table is optional at compile time
                cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'portal_search%'")
            except Exception:
                return None
            return cursor.fetchone()[0]

    def _report(self, results: list[dict], scale: int, runs: int) -> str:
        lines = [
            "# Search benchmark",
            "",
            f"Written by `make bench` (`manage.py bench_search`) on {time.strftime('%Y-%m-%d')}: "
            f"scale {scale}, DEBUG off, page cache off, Django's test client in one process, "
            f"{runs} timed requests per page after two warm-up requests, one at a time. "
            f"{os.cpu_count()} cores, Python {platform.python_version()}.",
            "",
            "| database | header search p50 ms | header search p95 ms | agreement list search "
            "p50 ms | agreement list search p95 ms | entries | of which document pages | words | "
            "index size | seed s | rebuild s | load |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in results:
            size = f"{r['index_bytes'] / 1024 / 1024:.1f} MB" if r["index_bytes"] else "–"
            lines.append(
                f"| {r['database']} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
                f"{r['list_p50_ms']:.1f} | {r['list_p95_ms']:.1f} | {r['entries']} | "
                f"{r['pages_indexed']} | {r['words']} | {size} | {r['seed_s']:.1f} | "
                f"{r['rebuild_s']:.1f} | {r['load']:.1f} |"
            )
        lines += ["", "Per page (p50 / p95 ms):", ""]
        header = "| page | " + " | ".join(r["database"] for r in results) + " |"
        lines += [header, "| --- |" + " ---: |" * len(results)]
        for i, page in enumerate(results[0]["pages"]):
            cells = [
                f"{r['pages'][i]['p50_ms']:.1f} / {r['pages'][i]['p95_ms']:.1f}" for r in results
            ]
            lines.append(f"| `{page['url']}` | " + " | ".join(cells) + " |")
        lines += [
            "",
            "The header search is `/sok/`; the agreement list search `/avtalar/?q=`, which "
            "renders up to 50 agreements with their facts, as `/avtalar/` does without a search "
            "(the last row per page, for comparison). *Load* is the machine's one-minute load "
            "average when the measurement ended: other work on the machine slows every figure.",
            "",
            "The index size counts the entries (title, summary and body text, the terms, and on "
            "PostgreSQL the weighted vector with its GIN index; on SQLite the FTS5 table) and "
            'the vocabulary for "Meinte du …?".',
            "",
        ]
        return "\n".join(lines)
