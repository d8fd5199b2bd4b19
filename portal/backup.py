"""Backup and restore of the whole portal: the database (history included) and the
uploaded files, as one directory that works across SQLite and PostgreSQL."""

import io
import shutil
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models.signals import pre_save

DATA = "data.json"
MEDIA = "media.tar.gz"
# Derived or short-lived data that a restore should not carry over.
EXCLUDE = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "axes",
    "django_tasks_database",
]


def backup(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=False)
    with (target / DATA).open("w", encoding="utf-8") as handle:
        call_command(
            "dumpdata",
            natural_foreign=True,
            natural_primary=True,
            exclude=EXCLUDE,
            indent=0,
            stdout=handle,
        )
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(target / MEDIA, "w:gz") as archive:
        if media.exists():
            archive.add(media, arcname="media")
    return target


def _no_history_of_its_own(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # loaded from a fixture
        instance.skip_history_when_saving = True


def restore(source: Path) -> None:
    """Replace everything in the database and MEDIA_ROOT with the backup in `source`."""
    data = source / DATA
    if not data.exists():
        raise FileNotFoundError(f"No {DATA} in {source}")
    # The backup brings its own history. Without this, django-simple-history writes a new
    # entry when loaddata sets a many-to-many field, and on PostgreSQL that entry takes a key
    # a restored entry has (the sequences start again after the flush).
    pre_save.connect(_no_history_of_its_own)
    try:
        with transaction.atomic():
            call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(data), verbosity=0, stdout=io.StringIO())
    finally:
        pre_save.disconnect(_no_history_of_its_own)
    media = Path(settings.MEDIA_ROOT)
    archive_path = source / MEDIA
    if archive_path.exists():
        staging = media.with_name(media.name + ".restoring")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(staging, filter="data")
        restored = staging / "media"
        if media.exists():
            shutil.rmtree(media)
        if restored.exists():
            restored.rename(media)
        else:
            media.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
