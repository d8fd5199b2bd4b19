"""The browser harness: what a page to check looks like, and the checks themselves.

A page is a `Side`: a name, a URL (or a function giving one, called once the data is
seeded), the persona who looks at it and the states (`Tilstand`) to put it in, one after
the other, such as opening an in-place editor. Every state is checked with axe-core
(WCAG 2.1 A and AA) and its HTML is kept for the Nu Html Checker at the end of the session.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import ConsoleMessage, Page, Response
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
HTMLCS_JS = NODE_MODULES / "html_codesniffer" / "build" / "HTMLCS.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = "/usr/bin/chromium"

STATIC_TYPES = {"stylesheet", "script", "image", "font", "media"}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@dataclass(frozen=True)
class Tilstand:
    """An action that puts a loaded page into a state worth checking (an editor open, a
    form with errors). It must wait until the page has settled."""

    namn: str
    handling: Callable[[Page], None]


@dataclass(frozen=True)
class Side:
    namn: str
    url: str | Callable[[], str]
    persona: str = "public"
    tilstandar: tuple[Tilstand, ...] = ()
    status: int = 200

    def adresse(self) -> str:
        return self.url() if callable(self.url) else self.url


@dataclass(frozen=True)
class Radredigering:
    """Something the secretariat edits in place, for the keyboard test: a table row or a
    block of the page (an agreement's facts, a sak on the agenda). The page; the element the
    editor takes the place of (a CSS selector), with an "Endre…" link that opens it; the
    field to change (its label) and what to type into it; what the status region says after
    a save; and how to read the saved value back (`verdi`: what it reads after the save, if
    not what was typed). The editor is the form with a cancel link marked data-avbryt."""

    namn: str
    url: Callable[[], str]
    rad: Callable[[], str]
    felt: str
    melding: str
    lagra: Callable[[], str]
    tastar: str = "Skrive med tastaturet"
    verdi: str = ""

    @property
    def venta(self) -> str:
        return self.verdi or self.tastar


@dataclass
class Funn:
    """What the browser saw go wrong on a page besides axe: blocked by the content security
    policy, script errors, missing static files."""

    feil: list[str] = field(default_factory=list)


def watch(page: Page) -> Funn:
    """Record policy violations, script errors and failed sub-resources on `page`."""
    funn = Funn()

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "error" and "Content Security Policy" in msg.text:
            funn.feil.append(f"CSP: {msg.text}")

    def on_response(response: Response) -> None:
        request = response.request
        if request.resource_type not in STATIC_TYPES or request.url.endswith("/favicon.ico"):
            return  # documents and htmx requests answer 4xx on purpose (404 page, 422)
        if response.status >= 400:
            funn.feil.append(f"{response.status} for {request.resource_type} {request.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: funn.feil.append(f"script error: {error}"))
    page.on("response", on_response)
    return funn


_axe_source: str | None = None


def axe_violations(page: Page) -> list[dict]:
    """Run axe-core in the page with the WCAG 2.1 A/AA rules and return its violations.

    The script is evaluated through the DevTools protocol, so the page's content security
    policy stays in force for everything the portal itself does."""
    global _axe_source
    if _axe_source is None:
        if not AXE_JS.exists():
            raise RuntimeError(f"{AXE_JS} is missing: run `make install` (npm ci in tests/browser)")
        _axe_source = AXE_JS.read_text(encoding="utf-8")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source)
    result = page.evaluate(
        """(tags) => axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        })""",
        WCAG_TAGS,
    )
    return result["violations"]


_htmlcs_source: str | None = None


def htmlcs_errors(page: Page) -> list[dict]:
    """Run HTML_CodeSniffer, the second engine, with its WCAG 2 AA standard, and return
    its errors (not its warnings and notices, which ask for a human's judgement). Evaluated
    like axe-core, outside the page's content security policy."""
    global _htmlcs_source
    if _htmlcs_source is None:
        if not HTMLCS_JS.exists():
            raise RuntimeError(
                f"{HTMLCS_JS} is missing: run `make install` (npm ci in tests/browser)"
            )
        _htmlcs_source = HTMLCS_JS.read_text(encoding="utf-8")
    if not page.evaluate("() => typeof window.HTMLCS === 'object'"):
        page.evaluate(_htmlcs_source)
    return page.evaluate(
        """() => new Promise((resolve, reject) => HTMLCS.process("WCAG2AA", document, () =>
            resolve(HTMLCS.getMessages().filter(m => m.type === HTMLCS.ERROR).map(m => ({
                code: m.code, msg: m.msg,
                html: (m.element.outerHTML || m.element.nodeName || "").slice(0, 160),
            }))), () => reject(new Error("HTML_CodeSniffer did not run")), "en"))"""
    )


def format_htmlcs(where: str, errors: list[dict]) -> str:
    lines = [f"HTML_CodeSniffer found {len(errors)} WCAG 2 AA error(s) on {where}:"]
    for e in errors[:20]:
        lines.append(f"- {e['code']}: {e['msg']}")
        lines.append(f"    at {e['html']}")
    return "\n".join(lines)


REFLOW_WIDTH = 320  # CSS px: 1280 px at 400 % zoom (WCAG 2.1 1.4.10 Reflow)


def reflow_problems(page: Page) -> list[str]:
    """At 320 CSS px wide the page must not scroll sideways (a data table may scroll in its
    own box). Returns the elements that stick out, if any."""
    size = page.viewport_size
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": size["height"]})
    try:
        return page.evaluate(
            """(width) => {
                if (document.documentElement.scrollWidth <= width) return [];
                const out = [...document.body.querySelectorAll("*")].filter(el => {
                    const r = el.getBoundingClientRect();
                    return r.right > width + 1 && r.width > 0 && ![...el.children].some(
                        c => c.getBoundingClientRect().right > width + 1);
                });
                return [`page is ${document.documentElement.scrollWidth} px wide`].concat(
                    out.slice(0, 8).map(el => el.outerHTML.slice(0, 120)));
            }""",
            REFLOW_WIDTH,
        )
    finally:
        page.set_viewport_size(size)


def format_violations(where: str, violations: list[dict]) -> str:
    lines = [f"axe-core found {len(violations)} WCAG 2.1 A/AA violation(s) on {where}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact') or 'no impact given'}): {v['help']}")
        lines.append(f"  {v['helpUrl']}")
        for node in v["nodes"][:10]:
            target = " ".join(
                json.dumps(t) if not isinstance(t, str) else t for t in node["target"]
            )
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").replace("\n", " ").strip()
            if summary:
                lines.append(f"       {summary}")
        if len(v["nodes"]) > 10:
            lines.append(f"    ... and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


def tab_to(page: Page, locator, max_presses: int = 400) -> None:
    """Press Tab until `locator` has focus, as a keyboard user would (on a page as long as
    the action plan, that takes a few hundred presses)."""
    handle = locator.element_handle()
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        if handle.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {locator} in {max_presses} presses")


def catch_file_dialogs(page: Page) -> None:
    """Catch the file dialog on `page` from now on, for `page.expect_file_chooser()`.
    Playwright starts catching it when the first listener is added, without waiting for the
    browser: a key pressed at once can open the real dialog first, which a headless browser
    closes unanswered. Call this before the page is loaded."""
    page.on("filechooser", lambda chooser: None)


def focus_within(locator, timeout: float = 5_000) -> bool:
    """Whether focus is (or within `timeout` ms comes to be) inside `locator`: focus moves
    after htmx has settled the swapped-in content, a moment after it shows."""
    try:
        locator.page.wait_for_function(
            "el => el.isConnected && el.contains(document.activeElement)",
            arg=locator.element_handle(timeout=timeout),
            timeout=timeout,
        )
    except PlaywrightTimeoutError:
        return False
    return True


@dataclass
class Sjekka:
    """What this session has checked, for the summary and the HTML check at the end."""

    sider: set[str] = field(default_factory=set)
    tilstandar: int = 0
    axe: int = 0
    htmlcs: int = 0
    html: dict[str, str] = field(default_factory=dict)  # label -> document
    html_sjekka: int = 0


SJEKKA = Sjekka()
