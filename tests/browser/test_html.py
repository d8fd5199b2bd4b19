"""The Nu Html Checker over every document the browser tests looked at: zero errors.

It runs once, last in the session, over the HTML the other browser tests collected (the
served page and the DOM in each state, in-place editors open). Pages in pages.PAGES that
no test visited in this session (say, with -k) are visited here first."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from harness import SJEKKA, VNU_JAR
from pages import PAGES
from test_a11y import per_persona, visit

ROOT = Path(__file__).resolve().parents[2]
STATIC_PAGES = [ROOT / "templates" / "500.html", ROOT / "templates" / "503.html"]
# A document with a known error: proves the checker ran and read the files.
BROKEN = '<!doctype html><html lang="nn"><head><title>x</title></head><body><p id="a" id="a">'


def _collect_only(page, side, state):
    SJEKKA.html[f"{side.namn} – {state}"] = page.content()


def run_vnu(documents: dict[str, str], folder: Path) -> dict[str, list[str]]:
    """Check `documents` (label -> HTML) in one run; return the errors per label."""
    java = shutil.which("java")
    if not java:
        pytest.fail("Java is missing: run `make install` (apt-get install default-jre-headless)")
    if not VNU_JAR.exists():
        pytest.fail(f"{VNU_JAR} is missing: run `make install` (npm ci in tests/browser)")
    labels = {}
    for i, (label, html) in enumerate(documents.items()):
        path = folder / f"side-{i:03}.html"
        path.write_text(html, encoding="utf-8")
        labels[str(path.resolve())] = label
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--stdout", *sorted(labels)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stdout)["messages"]
    errors: dict[str, list[str]] = {}
    for m in messages:
        if m["type"] not in ("error", "non-document-error"):
            continue
        url = m.get("url", "?")
        label = labels.get(url.removeprefix("file:"), url)
        where = f"line {m['lastLine']}" if "lastLine" in m else "document"
        extract = (m.get("extract") or "").replace("\n", " ").strip()
        errors.setdefault(label, []).append(f"{where}: {m['message']}  [{extract[:120]}]")
    return errors


def test_every_page_is_valid_html(browser_page, tmp_path):
    pages = per_persona(browser_page)
    for side in PAGES:
        if side.namn not in SJEKKA.sider:
            visit(pages, side, check=_collect_only)
    documents = dict(SJEKKA.html)
    documents.update({f"{p.name} (static)": p.read_text(encoding="utf-8") for p in STATIC_PAGES})
    documents["self-check"] = BROKEN

    errors = run_vnu(documents, tmp_path)

    assert errors.pop("self-check", None), "The Nu Html Checker did not report a known error"
    SJEKKA.html_sjekka = len(documents) - 1
    report = [f"{label}:\n  " + "\n  ".join(found) for label, found in sorted(errors.items())]
    assert not errors, (
        f"The Nu Html Checker found errors in {len(errors)} of {len(documents) - 1} documents:\n"
        + "\n".join(report)
    )
