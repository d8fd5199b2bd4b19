"""Backup and restore of the whole portal: the database (history included) and the uploaded
files, as one directory, made and loaded with each database's own tools.

A backup directory holds

- ``database.dump``: ``pg_dump --format=custom`` of a PostgreSQL database, or
  ``database.sqlite3``: a copy of an SQLite database made with its online backup API;
- ``media/``: every file under MEDIA_ROOT;
- ``manifest.json``: the database kind, the migrations applied when it was made, and the
  SHA-256 of every file above.

Restoring checks the manifest before it touches anything: a backup made by a newer portal
(a migration this code does not know) or with a file whose checksum does not match is
refused. The database is then replaced as a whole by the database's own loader, so no model
is saved and no history is written; a backup from an older portal is migrated afterwards.
"""

import contextlib
import hashlib
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
MEDIA = "media"
FORMAT = 1
DUMP = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
# A meeting pack being written; never a finished file.
TEMPORARY_PREFIX = ".bygg-"


class BackupError(Exception):
    """A backup that cannot be made or must not be restored; the message is for the operator."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file() and not path.name.startswith(TEMPORARY_PREFIX)
    )


# --- PostgreSQL ---


def _pg_env(connection) -> dict[str, str]:
    """libpq's environment for the connection, so no password is on a command line."""
    config = connection.settings_dict
    env = dict(os.environ)
    for name, value in (
        ("PGHOST", config.get("HOST")),
        ("PGPORT", config.get("PORT")),
        ("PGUSER", config.get("USER")),
        ("PGPASSWORD", config.get("PASSWORD")),
        ("PGDATABASE", config.get("NAME")),
    ):
        if value:
            env[name] = str(value)
    options = config.get("OPTIONS") or {}
    for option, name in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("passfile", "PGPASSFILE"),
        ("service", "PGSERVICE"),
    ):
        if options.get(option):
            env[name] = str(options[option])
    return env


def _run(command: list[str], env: dict[str, str], **kwargs) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, check=False, **kwargs)
    except FileNotFoundError:
        raise BackupError(
            f"Fann ikkje programmet {command[0]}. Installer PostgreSQL-klientprogramma "
            f"(Debian: postgresql-client) i same versjon som tenaren."
        ) from None
    if result.returncode != 0:
        detail = result.stderr.decode(errors="replace").strip()
        raise BackupError(f"{command[0]} feila: {detail}")


# Everything in the target schema goes first, so what a fresh, migrated database has beyond
# the backup (a newer migration's tables) cannot clash with the migrations run afterwards.
# Objects that belong to an extension are the extension's to keep; a column's sequence
# goes with its table.
EMPTY_SCHEMA = """
DO $$
DECLARE r record;
BEGIN
  FOR r IN
    SELECT format('DROP %s IF EXISTS %I.%I CASCADE',
                  CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                 WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE'
                                 ELSE 'TABLE' END,
                  n.nspname, c.relname) AS statement
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
       AND NOT EXISTS (SELECT 1 FROM pg_depend d
                        WHERE d.objid = c.oid AND d.deptype IN ('e', 'i', 'a'))
  LOOP
    EXECUTE r.statement;
  END LOOP;
  FOR r IN
    SELECT format('DROP FUNCTION IF EXISTS %I.%I(%s) CASCADE', n.nspname, p.proname,
                  pg_get_function_identity_arguments(p.oid)) AS statement
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = current_schema() AND p.prokind = 'f'
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE r.statement;
  END LOOP;
END
$$;
"""


def empty_database(using: str = "default") -> None:
    """Drop every table, sequence, view and function of the portal's schema (or, on
    SQLite, every table): an empty database, as a restore may be given."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(EMPTY_SCHEMA)
            return
        cursor.execute("PRAGMA foreign_keys = OFF")
        cursor.execute("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view')")
        for name, kind in cursor.fetchall():
            if not name.startswith("sqlite_"):
                cursor.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
        cursor.execute("PRAGMA foreign_keys = ON")


def _pg_dump(connection, path: Path) -> None:
    _run(["pg_dump", "--format=custom", "--file", str(path)], _pg_env(connection))


def _pg_restore(connection, path: Path) -> None:
    """Empty the schema and load the dump in one transaction: either the whole backup is in
    place afterwards, or nothing has changed."""
    env = _pg_env(connection)
    env["PGOPTIONS"] = "-c client_min_messages=warning"  # no notice per dropped object
    script = ["pg_restore", "--no-owner", "--no-privileges", "--file", "-", str(path)]
    load = ["psql", "--no-psqlrc", "--quiet", "--single-transaction", "--set", "ON_ERROR_STOP=1"]
    connection.close()
    with tempfile.TemporaryFile() as read_errors, tempfile.TemporaryFile() as load_errors:
        try:
            reader = subprocess.Popen(script, env=env, stdout=subprocess.PIPE, stderr=read_errors)
            loader = subprocess.Popen(
                load, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=load_errors
            )
        except FileNotFoundError as missing:
            raise BackupError(
                f"Fann ikkje programmet {missing.filename}. Installer PostgreSQL-klientprogramma "
                f"(Debian: postgresql-client) i same versjon som tenaren."
            ) from None
        assert reader.stdout is not None and loader.stdin is not None  # both are PIPEs
        try:
            loader.stdin.write(EMPTY_SCHEMA.encode())
            shutil.copyfileobj(reader.stdout, loader.stdin, 1024 * 1024)
        except BrokenPipeError:
            pass  # psql stopped at an error; its message follows
        if reader.wait() != 0:
            # psql commits what it has at the end of its input: stop it before that.
            loader.kill()
            loader.wait()
            raise BackupError(f"pg_restore feila: {_text(read_errors)}")
        with contextlib.suppress(BrokenPipeError):
            loader.stdin.close()
        if loader.wait() != 0:
            raise BackupError(
                f"Innlesinga i databasen feila, og ingenting er endra: {_text(load_errors)}"
            )


def _text(handle) -> str:
    handle.seek(0)
    return handle.read().decode(errors="replace").strip()


# --- SQLite ---


def _sqlite_backup(connection, path: Path) -> None:
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()


def _sqlite_restore(connection, path: Path) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        connection.ensure_connection()
        # The backup API replaces the whole database, pages and all, in one step.
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()  # the next query opens it afresh, with the restored schema


# --- Backup ---


def _applied_migrations(connection) -> list[list[str]]:
    applied = MigrationRecorder(connection).applied_migrations()
    return sorted([app, name] for app, name in applied)


def _files_on_disk() -> bool:
    from django.core.files.storage import default_storage

    try:
        default_storage.path("")
    except NotImplementedError:
        return False
    return True


def backup(target: Path, using: str = "default") -> Path:
    """Write a backup of the database and MEDIA_ROOT into the new directory ``target``."""
    connection = connections[using]
    if connection.vendor not in DUMP:
        raise BackupError(f"Databasen ({connection.vendor}) kan ikkje kopierast.")
    target = Path(target)
    target.mkdir(parents=True, exist_ok=False)
    try:
        _write(target, connection)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)  # half a backup is no backup
        raise
    return target


def _write(target: Path, connection) -> None:
    migrations = _applied_migrations(connection)
    dump = target / DUMP[connection.vendor]
    if connection.vendor == "postgresql":
        _pg_dump(connection, dump)
    else:
        _sqlite_backup(connection, dump)
    files = {dump.name: _sha256(dump)}

    media = Path(settings.MEDIA_ROOT)
    if not _files_on_disk():
        log.warning(
            "Uploaded files are in object storage (STORAGE_BACKEND): this backup holds the "
            "database only; the bucket's versioning or replication keeps the files."
        )
    for source in _media_files(media):
        relative = source.relative_to(media)
        copy = target / MEDIA / relative
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, copy)
        files[f"{MEDIA}/{relative.as_posix()}"] = _sha256(copy)

    manifest = {
        "format": FORMAT,
        "created": timezone.localtime().isoformat(timespec="seconds"),
        "database": connection.vendor,
        "migrations": migrations,
        "files": files,
    }
    partial = target / f".{MANIFEST}"
    partial.write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    partial.rename(target / MANIFEST)  # a backup without its manifest is unfinished


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest finished backups in ``folder``; return the deleted."""
    backups = sorted(
        (p for p in Path(folder).iterdir() if (p / MANIFEST).is_file()),
        key=lambda p: ((p / MANIFEST).stat().st_mtime, p.name),
        reverse=True,
    )
    old = backups[keep:] if keep > 0 else []
    for path in old:
        shutil.rmtree(path)
    return old


# --- Restore ---


@dataclass
class Manifest:
    database: str
    migrations: set[tuple[str, str]]
    files: dict[str, str]
    made: str


def read_manifest(source: Path) -> Manifest:
    path = Path(source) / MANIFEST
    if not path.is_file():
        if (Path(source) / "data.json").is_file():
            raise BackupError(
                f"{source} er ein kopi i det gamle formatet (data.json), som denne versjonen "
                f"av portalen ikkje les."
            )
        raise BackupError(f"Fann ingen kopi i {source} (manglar {MANIFEST}).")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw["format"] > FORMAT:
            raise BackupError(
                f"Kopien i {source} er laga av ein nyare versjon av portalen (format "
                f"{raw['format']}). Oppdater portalen før du hentar han inn."
            )
        return Manifest(
            database=raw["database"],
            migrations={(app, name) for app, name in raw["migrations"]},
            files=dict(raw["files"]),
            made=raw.get("created", ""),
        )
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(f"Manifestet i {source} er skadd: {error}") from None


def check(source: Path, using: str = "default") -> Manifest:
    """The backup's manifest, once the backup is known to be whole and loadable by this
    code into this database; BackupError otherwise. Changes nothing."""
    source = Path(source)
    manifest = read_manifest(source)
    connection = connections[using]
    if manifest.database != connection.vendor:
        raise BackupError(
            f"Kopien er av ein {manifest.database}-database og kan berre hentast inn i same "
            f"slag database, ikkje i {connection.vendor}."
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(manifest.migrations - known)
    if unknown:
        names = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
        raise BackupError(
            f"Kopien er laga av ein nyare versjon av portalen: han har migrasjonar som denne "
            f"versjonen ikkje kjenner ({names}). Oppdater portalen før du hentar inn kopien."
        )
    dump = DUMP[manifest.database]
    if dump not in manifest.files:
        raise BackupError(f"Manifestet i {source} nemner ikkje databasefila {dump}.")
    for name, expected in manifest.files.items():
        path = source / name
        if Path(name).is_absolute() or ".." in Path(name).parts or not path.is_file():
            raise BackupError(f"Kopien er ikkje heil: {name} manglar.")
        if _sha256(path) != expected:
            raise BackupError(
                f"Kopien er skadd: sjekksummen for {name} stemmer ikkje med manifestet. "
                f"Ingenting er henta inn."
            )
    return manifest


def restore(source: Path, using: str = "default", checked: Manifest | None = None) -> Manifest:
    """Replace the database and MEDIA_ROOT with the backup in ``source``, once ``check``
    has passed (``checked``: its result, when the caller has just run it)."""
    source = Path(source)
    manifest = checked or check(source, using)
    connection = connections[using]
    dump = source / DUMP[manifest.database]
    if connection.vendor == "postgresql":
        _pg_restore(connection, dump)
    else:
        _sqlite_restore(connection, dump)
    # A backup from an older portal gets this code's later migrations; otherwise a no-op.
    call_command("migrate", database=using, interactive=False, verbosity=0)
    _restore_media(source, manifest)
    # Pages cached under the restored data stamp may show what was there before.
    from portal import sidebuffer

    sidebuffer.endra(using)
    return manifest


def _restore_media(source: Path, manifest: Manifest) -> None:
    media = Path(settings.MEDIA_ROOT)
    staging = media.with_name(media.name + ".restoring")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    prefix = f"{MEDIA}/"
    for name in manifest.files:
        if name.startswith(prefix):
            copy = staging / name[len(prefix) :]
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / name, copy)
    if media.exists():
        old = media.with_name(media.name + ".replaced")
        shutil.rmtree(old, ignore_errors=True)
        media.rename(old)
        staging.rename(media)
        shutil.rmtree(old, ignore_errors=True)
    else:
        media.parent.mkdir(parents=True, exist_ok=True)
        staging.rename(media)
