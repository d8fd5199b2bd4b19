"""Writing a whole file into Django's default storage, or nothing.

Uploaded documents and built meeting packs are read and written only through the storage
API (``default_storage`` and each FileField's storage), never by a path, so the files may be
in MEDIA_ROOT or in S3-compatible object storage (README: STORAGE_BACKEND) shared by every
web server and worker.
"""

import os
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


def store_whole(name: str, content: bytes, storage=default_storage) -> str:
    """Store ``content`` under ``name``, replacing what is there, so that a reader sees the
    old file or the new one and never half of one: on disk a temporary file moved into
    place, in object storage one upload (an object appears whole). Returns the name."""
    try:
        target = Path(storage.path(name))
    except NotImplementedError:  # object storage; S3Storage overwrites by default
        if storage.exists(name):
            storage.delete(name)
        return storage.save(name, ContentFile(content))
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".lagrar-", suffix=target.suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return name
