"""Helpers that several test files share (fixtures live in tests/conftest.py). Import them
by name, `from helpers import htmx`: tests/ is on the import path, tests/browser included."""

import io
from contextlib import contextmanager

from django.db import connection, transaction
from django.test import Client
from pypdf import PdfReader, PdfWriter

# Shipped data the tests lean on (fixtures/).
HOSPITERING = "delavtale-gjensidig-hospiteringsordning"
HEIMESJUKEHUS = "følge opp prosjektet avansert heimesjukehus"


# --- Requests ---


def htmx(client: Client, method: str, url: str, data=None, **extra):
    """A request as htmx sends it."""
    call = getattr(client, method.lower())
    return call(url, data or {}, HTTP_HX_REQUEST="true", **extra)


def logged_in(user, **kwargs) -> Client:
    """A client with `user` logged in (no password needed)."""
    client = Client(**kwargs)
    client.force_login(user)
    return client


def body(response) -> bytes:
    """A response's content, streamed (files, meeting packs) or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


# --- PDFs ---


def pdf_reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page."""
    return [page.extract_text() for page in pdf_reader(pdf).pages]


def pdf_text(pdf: bytes) -> str:
    """The text of the whole document, every run of white space one space."""
    return " ".join(" ".join(page.split()) for page in pdf_pages(pdf))


def blank_pdf(
    pages: int = 1,
    *,
    width: float = 200,
    height: float = 200,
    password: str | None = None,
    title: str | None = None,
) -> bytes:
    """A PDF of empty pages, encrypted with `password` and titled `title` if given (moter's
    `lag_pdf` makes pages with text on them)."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=width, height=height)
    if title:
        writer.add_metadata({"/Title": title})
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- The action plan and the agreements, as their editors post them ---


def tiltak(tekst: str = HEIMESJUKEHUS):
    """A tiltak of the 2023–2024 plan, by its text."""
    from handlingsplan.models import Tiltak

    return Tiltak.objects.get(tekst=tekst, delmal__innsatsomrade__plan__fra_ar=2023)


def tiltak_form(t, **changes) -> dict:
    """What the tiltak editor posts for `t` as loaded, with `changes` on top."""
    data = {
        "tekst": t.tekst,
        "status": t.status,
        "frist_inn": t.frist_tekst or (t.frist.strftime("%d.%m.%Y") if t.frist else ""),
        "ansvarleg_utval": [u.pk for u in t.ansvarleg_utval.all()],
        "ansvarleg_partnarar": [p.pk for p in t.ansvarleg_partnarar.all()],
        "ansvarleg_anna": t.ansvarleg_anna,
        "kommentar": t.kommentar,
        "pasientgruppe": t.pasientgruppe_id or "",
        "edit_version": t.edit_version,
    }
    if t.alle_partnarar:
        data["alle_partnarar"] = "on"
    data.update(changes)
    return data


def avtale_facts(avtale, **overrides) -> dict:
    """What the editor of an agreement's facts posts for `avtale` as loaded."""
    data = {
        "status": avtale.status,
        "neste_revisjon": "",
        "partar": [p.pk for p in avtale.partar.all()],
        "edit_version": avtale.edit_version,
    }
    data.update(overrides)
    return data


@contextmanager
def rolled_back():
    """Run a block in a savepoint and undo whatever it wrote."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def archival_faults(pdf: bytes, *, tagged: bool = True) -> list[str]:
    """What keeps this PDF from being a tagged PDF/A-2 document in Norwegian nynorsk with
    its title shown, bookmarks and every font embedded; empty when nothing does. A check of
    the structure, not of every rule: veraPDF does that (see the README)."""
    import pikepdf

    faults = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        root = doc.Root
        meta = doc.open_metadata()
        if meta.get("pdfaid:part") != "2":
            faults.append(f"XMP pdfaid:part is {meta.get('pdfaid:part')!r}")
        if meta.get("pdfaid:conformance") not in ("A", "B"):
            faults.append("XMP has no pdfaid:conformance")
        intents = root.get("/OutputIntents", [])
        if not any(i.get("/S") == "/GTS_PDFA1" and "/DestOutputProfile" in i for i in intents):
            faults.append("no PDF/A output intent with a profile")
        if str(root.get("/Lang", "")) != "nn":
            faults.append(f"Lang is {root.get('/Lang')!r}")
        prefs = root.get("/ViewerPreferences", {})
        if not bool(prefs.get("/DisplayDocTitle", False)):
            faults.append("DisplayDocTitle is not set")
        if not str(doc.docinfo.get("/Title", "")) or not meta.get("dc:title"):
            faults.append("no title")
        if "/Outlines" not in root or "/First" not in root.Outlines:
            faults.append("no bookmarks")
        if tagged:
            if not bool(root.get("/MarkInfo", {}).get("/Marked", False)):
                faults.append("MarkInfo /Marked is not true")
            if "/StructTreeRoot" not in root:
                faults.append("no StructTreeRoot")
        embedded = ("/FontFile", "/FontFile2", "/FontFile3")
        for obj in doc.objects:
            if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/FontDescriptor":
                continue
            if not any(key in obj for key in embedded):
                faults.append(f"font {obj.get('/FontName')} is not embedded")
    return faults


# --- The background worker and e-mail ---


def run_tasks(limit: int = 100) -> int:
    """Run the background jobs that are due, one after another as `manage.py db_worker`
    does, inside the test's transaction; return how many ran. A job that fails fails the
    test."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    ran = 0
    while ran < limit:
        row = DBTaskResult.objects.ready().filter(status=TaskResultStatus.READY).first()
        if row is None:
            return ran
        row.claim("test")
        result = row.task_result
        row.set_successful(row.task.call(*result.args, **result.kwargs))
        ran += 1
    raise AssertionError(f"Still background jobs after {limit}: one queues itself for ever?")


class Postkasse:
    """What an SMTP server on loopback received, and how it answers: `svar(address,
    "450 …", gonger=2)` refuses a recipient that many times (for good without `gonger`)."""

    def __init__(self):
        self.meldingar: list = []  # (envelope recipients, parsed message)
        self._svar: dict[str, list] = {}

    def svar(self, address: str, reply: str, gonger: int | None = None) -> None:
        self._svar[address] = [reply, gonger]

    def til(self, address: str) -> list:
        return [m for rcpt, m in self.meldingar if rcpt == [address]]

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        scripted = self._svar.get(address)
        if scripted and scripted[1] != 0:
            if scripted[1] is not None:
                scripted[1] -= 1
            return scripted[0]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy

        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.meldingar.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class TableSnapshot:
    """Every row of every model's table, taken once and put back into emptied tables: the
    seeded database again after a test that commits (live server, threads) and is emptied
    when it ends. PostgreSQL copies each table out and in with COPY, which keeps every type
    as it was; SQLite's values are plain Python values already."""

    def __init__(self):
        self.tables: list[tuple[str, list[str], object]] = []

    def take(self) -> None:
        self.tables = []
        names = connection.introspection.django_table_names(only_existing=True)
        with connection.cursor() as cursor:
            for table in sorted(names):
                quoted = connection.ops.quote_name(table)
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(f"COPY {quoted} TO STDOUT") as copy:
                        rows: object = b"".join(bytes(block) for block in copy)
                    columns: list[str] = []
                else:
                    cursor.execute(f"SELECT * FROM {quoted}")
                    columns = [c[0] for c in cursor.description]
                    rows = cursor.fetchall()
                if rows:
                    self.tables.append((table, columns, rows))

    def restore(self) -> None:
        from django.apps import apps
        from django.core.management.color import no_style

        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            for table, _columns, _rows in self.tables:
                # Emptying the database ran post_migrate again (content types and
                # permissions, under new numbers): back to the numbers the seeds had.
                cursor.execute(f"DELETE FROM {quote(table)}")
            for table, columns, rows in self.tables:
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(f"COPY {quote(table)} FROM STDIN") as copy:
                        copy.write(rows)
                else:
                    names = ", ".join(quote(c) for c in columns)
                    marks = ", ".join(["%s"] * len(columns))
                    cursor.executemany(
                        f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows
                    )
            models = apps.get_models(include_auto_created=True)
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
