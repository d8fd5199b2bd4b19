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
from urllib.request import Request, urlopen

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

BASE = Path(settings.BASE_DIR)
TARGET_P95_MS = 100
TARGET_RATIO = 0.3
TARGET_RENDER_MS = 30
PERSONAS = ("sekretariat", "fsu", "publikum")


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
        parser.add_argument("--duration", type=int, default=5, help="Sekund per side.")
        parser.add_argument("--connections", type=int, default=8)
        parser.add_argument("--output", default=str(BASE / "docs" / "benchmark.md"))
        parser.add_argument(
            "--renders", type=int, default=5, help="Uncached renders timed per page and persona."
        )
        parser.add_argument("--no-pack", action="store_true", help="Skip the meeting pack.")
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="Bruk databasen frå ei tidlegare måling om ho finst (hoppar over seed).",
        )
        parser.add_argument(
            "--database",
            default=os.environ.get(
                "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
            ),
        )

    def handle(self, *args, scales, duration, connections, output, database, reuse, **options):
        renders, no_pack = options["renders"], options["no_pack"]
        if not shutil.which("wrk"):
            raise CommandError("wrk manglar: installer Debian-pakken wrk (make bench gjer det).")
        if not database.startswith("postgres"):
            raise CommandError("Målinga køyrer mot PostgreSQL (--database postgres://…).")
        results = []
        for scale in [int(s) for s in scales.split(",")]:
            url = _database_url(database, f"portal_bench_{scale}")
            self.stdout.write(f"Skala {scale}: lagar databasen …")
            env = self._env(url)
            started = time.perf_counter()
            if not (reuse and self._exists(database, f"portal_bench_{scale}")):
                self._fresh_database(database, f"portal_bench_{scale}")
                self._manage(env, "migrate", "-v0")
                self._manage(env, "seed", "--scale", str(scale))
            seed_s = time.perf_counter() - started
            self._manage(env, "collectstatic", "--noinput", "-v0")
            probe = json.loads(
                self._manage(env, "bench_probe", "--renders", str(renders), capture=True)
            )
            loaded, saving = self._load(env, url, probe, duration, connections)
            partial = Path(output).with_suffix(".partial.json")  # kept if the pack fails
            partial.write_text(json.dumps({"probe": probe, "load": loaded}), encoding="utf-8")
            # The pack is built in its own process, so its peak memory is the build's own.
            pack = None if no_pack else json.loads(self._manage(env, "bench_pack", capture=True))
            results.append(
                {"scale": scale, "seed_s": round(seed_s, 1), "pages": probe["pages"],
                 "load": loaded, "saving": saving, "pack": pack}
            )  # fmt: skip
        out = Path(output)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.with_suffix(".json").write_text(json.dumps(results, indent=1), encoding="utf-8")
        before = out.with_name(out.stem + "-before.json")
        earlier = json.loads(before.read_text(encoding="utf-8")) if before.exists() else None
        report = self._report(results, earlier, duration, connections, renders)
        out.write_text(report, encoding="utf-8")
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
            # One cache for every worker, as in production: a page rendered once serves all.
            CACHE_URL=os.environ.get("CACHE_URL") or "redis://127.0.0.1:6379/5",
        )
        return env

    def _manage(self, env: dict, *argv: str, capture: bool = False) -> str:
        command = [sys.executable, str(BASE / "manage.py"), *argv]
        done = subprocess.run(command, env=env, cwd=BASE, capture_output=capture, text=True)
        if done.returncode:
            raise CommandError(f"{' '.join(argv)} feila: {done.stderr if capture else ''}")
        return done.stdout if capture else ""

    def _exists(self, admin_url: str, name: str) -> bool:
        import psycopg

        admin = admin_url.replace("postgres://", "postgresql://")
        with psycopg.connect(admin, autocommit=True) as db:
            found = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            return found.fetchone() is not None

    def _fresh_database(self, admin_url: str, name: str) -> None:
        import psycopg

        admin = admin_url.replace("postgres://", "postgresql://")
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            db.execute(f'CREATE DATABASE "{name}"')

    def _load(self, env, url, probe, duration, connections) -> tuple[dict, dict]:
        """wrk over every page as each persona, then the concurrent tiltak saves."""
        port = _free_port()
        workers = str(2 * (os.cpu_count() or 1) + 1)
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", workers, "--log-level", "warning"],
            env=env, cwd=BASE,
        )  # fmt: skip
        try:
            self._wait_for(port, int(workers))
            loaded = {}
            for persona in PERSONAS:
                cookie = probe["cookies"][persona]
                self.stdout.write(f"  som {persona}:")
                measured = []
                reference = {"name": "/helse/ (referanse)", "url": "/helse/"}
                for page in [reference, *probe["pages"]]:
                    page_url = f"http://127.0.0.1:{port}{page['url']}"
                    request = Request(page_url, headers={"Cookie": cookie} if cookie else {})
                    with urlopen(request, timeout=120) as response:  # the page in the cache
                        response.read()
                    self._wrk(page_url, 1, connections, cookie)  # warm connections
                    figures = self._wrk(page_url, duration, connections, cookie)
                    measured.append({"name": page["name"], "url": page["url"], **figures})
                    self.stdout.write(f"    {page['name']}: p95 {figures['p95_ms']:.1f} ms")
                reference = measured[0]["rps"]
                for row in measured:
                    row["ratio"] = row["rps"] / reference if reference else 0
                loaded[persona] = measured
            saving = save_load(
                port, url, probe["cookies"]["sekretariat"], probe["tiltak"], duration
            )
            self.stdout.write(f"  lagring av tiltak: p95 {saving['p95_ms']:.1f} ms")
            return loaded, saving
        finally:
            _stop(server)

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

    def _wrk(self, url: str, duration: int, connections: int, cookie: str = "") -> dict:
        script = BASE / "bench" / "latency.lua"
        headers = ["-H", f"Cookie: {cookie}"] if cookie else []
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "30s",
             "-s", str(script), *headers, url],
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

    def _report(self, results, earlier, duration: int, connections: int, renders=5) -> str:
        workers = 2 * (os.cpu_count() or 1) + 1
        cache = self._env("")["CACHE_URL"].split("@")[-1]
        lines = [
            "# Benchmark",
            "",
            f"Written by `make bench` on {time.strftime('%Y-%m-%d')}: gunicorn "
            f"({workers} sync workers), DEBUG off, PostgreSQL, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, cache `{cache}`. "
            f"wrk with {connections} connections for {duration} s per page after a 1 s "
            "warm-up, carrying the session cookie of each persona: the secretariat, a member "
            "of FSU, and the public (no cookie). Throughput is the ratio to `/helse/` in the "
            "same run with the same cookie. The machine is shared: figures are noisy.",
            "",
            f"Targets at scale 10, for the secretariat and the FSU member: p95 at most "
            f"{TARGET_P95_MS} ms and throughput at least {TARGET_RATIO} of `/helse/` on every "
            f"page; rendering a page once with every cache off, median at most "
            f"{TARGET_RENDER_MS} ms; 8 people saving different tiltak at once, p95 at most "
            f"{TARGET_P95_MS} ms; the same SQL queries per page at every scale.",
            "",
            "*SQL* and *render ms* are one page rendered through Django's test client with "
            f"every page cache off (the median of {renders}): what the first visit after a write "
            "costs. *p95* and *ratio* are under load, where the page cache answers.",
            "",
        ]
        if earlier:
            lines += self._before_after(earlier, results)
        else:  # figures from before this bench could log in, kept by hand
            static = BASE / "docs" / "benchmark-before.md"
            if static.exists():
                lines += [static.read_text(encoding="utf-8")]
        for result in results:
            lines += [f"## Scale {result['scale']}", ""]
            seeded = result.get("seed_s", 0)
            lines.append(f"Seeding took {seeded:.0f} s." if seeded > 1 else "Database reused.")
            lines.append("")
            head = "| page |"
            rule = "| --- |"
            for persona in PERSONAS:
                head += f" {persona}: SQL | render ms | p50 ms | p95 ms | req/s | ratio |"
                rule += " ---: | ---: | ---: | ---: | ---: | ---: |"
            lines += [head, rule]
            probed = {p["url"]: p for p in result["pages"]}
            for i, row in enumerate(result["load"][PERSONAS[0]]):
                cells = [f"{row['name']} (`{row['url']}`)"]
                for persona in PERSONAS:
                    load = result["load"][persona][i]
                    probe = probed.get(row["url"], {}).get(persona)
                    cells += [
                        probe["queries"] if probe else "–",
                        f"{probe['render_ms']:.1f}" if probe else "–",
                        f"{load['p50_ms']:.1f}",
                        f"{load['p95_ms']:.1f}",
                        f"{load['rps']:.0f}",
                        f"{load['ratio']:.2f}"
                        + (f" ({load['errors']} errors)" if load["errors"] else ""),
                    ]  # fmt: skip
                lines.append("| " + " | ".join(str(c) for c in cells) + " |")
            saving = result.get("saving")
            if saving:
                lines += ["", "Saving a tiltak in place (htmx), 8 savers on different tiltak:", ""]
                lines += [f"- {key}: {value}" for key, value in saving.items()]
            pack = result.get("pack")
            if pack:
                lines += ["", "Meeting pack:", ""]
                lines += [f"- {key}: {value}" for key, value in pack.items()]
            lines.append("")
        return "\n".join(lines)

    @staticmethod
    def _before_after(earlier: list[dict], results: list[dict]) -> list[str]:
        """Scale 10 before this work (docs/benchmark-before.json) beside now."""
        then = next((r for r in earlier if r["scale"] == 10), None)
        now = next((r for r in results if r["scale"] == 10), None)
        if not then or not now:
            return []
        lines = [
            "## Before and after, scale 10",
            "",
            "Before: the code before the logged-in page cache (`docs/benchmark-before.json`).",
            "",
            "| page | persona | render ms before | after | p95 ms before | after "
            "| ratio before | after |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for persona in ("sekretariat", "fsu"):
            old = {r["url"]: r for r in then["load"].get(persona, [])}
            probe_old = {p["url"]: p.get(persona) for p in then["pages"]}
            probe_new = {p["url"]: p.get(persona) for p in now["pages"]}
            for row in now["load"][persona]:
                was = old.get(row["url"])
                r_old, r_new = probe_old.get(row["url"]), probe_new.get(row["url"])
                cells = [
                    row["name"], persona,
                    f"{r_old['render_ms']:.1f}" if r_old else "–",
                    f"{r_new['render_ms']:.1f}" if r_new else "–",
                    f"{was['p95_ms']:.1f}" if was else "–", f"{row['p95_ms']:.1f}",
                    f"{was['ratio']:.2f}" if was else "–", f"{row['ratio']:.2f}",
                ]  # fmt: skip
                lines.append("| " + " | ".join(cells) + " |")
        saved_then, saved_now = then.get("saving"), now.get("saving")
        if saved_then and saved_now:
            lines += [
                "",
                f"Saving a tiltak, 8 at once: p95 {saved_then['p95_ms']} ms before, "
                f"{saved_now['p95_ms']} ms after.",
            ]
        return [*lines, ""]


def _stop(server: subprocess.Popen) -> None:
    """Stop gunicorn; on a loaded machine its workers may still be answering requests wrk
    queued, so after 30 s they are killed rather than waited for."""
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=30)


def save_load(port: int, database_url: str, cookie: str, tiltak: list[dict], duration: int):
    """Eight people saving a tiltak each in place, as the plan's htmx editor posts it, for
    ``duration`` seconds: the latency of each save."""
    import http.client
    import secrets
    import statistics
    import threading
    from urllib.parse import urlencode

    import psycopg

    csrf = secrets.token_hex(16)  # a 32-character secret: cookie and header alike
    headers = {
        "Cookie": f"{cookie}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
        "HX-Request": "true",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    timings: list[float] = []
    failures: list[int] = []
    stop = time.monotonic() + duration

    def saver(item: dict) -> None:
        version = item["form"]["edit_version"]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        n = 0
        while time.monotonic() < stop:
            n += 1
            form = {**item["form"], "edit_version": version, "kommentar": f"Testmåling {n}"}
            started = time.perf_counter()
            connection.request("POST", item["url"], urlencode(form, doseq=True), headers)
            response = connection.getresponse()
            response.read()
            timings.append(time.perf_counter() - started)
            if response.status == 200:
                version += 1
            else:
                failures.append(response.status)
                with psycopg.connect(database_url.replace("postgres://", "postgresql://")) as db:
                    version = db.execute(
                        "SELECT edit_version FROM handlingsplan_tiltak WHERE id = %s",
                        (item["pk"],),
                    ).fetchone()[0]
        connection.close()

    threads = [threading.Thread(target=saver, args=(item,)) for item in tiltak[:8]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(timings)
    return {
        "saves": len(timings),
        "p50_ms": round(1000 * statistics.median(ordered), 1) if ordered else 0,
        "p95_ms": round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 1) if ordered else 0,
        "refused": len(failures),
    }
