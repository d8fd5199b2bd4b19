"""Uploaded documents and built meeting packs go through Django's storage API only, so a
deployment can keep them in object storage (django-storages, README) by configuration.
Here the default storage is Django's in-memory storage without paths, as S3Storage: every
upload, download, PDF and pack still works, and nothing lands in MEDIA_ROOT."""

import io
import os

import pytest
from django.core.files.storage import InMemoryStorage, default_storage
from django.urls import reverse
from helpers import body, pdf_pages, pdf_text
from test_moter_pack import _add_sak, _upload

from moter import pack
from moter.models import Mote, Vedlegg
from portal.pdf import BASE_URL, DiskFetcher


class ObjectStorage(InMemoryStorage):
    """Files with no path on disk, as in object storage."""

    def path(self, name):
        raise NotImplementedError("Object storage has no paths.")

    def _relative_path(self, name):  # InMemoryStorage keys its files by path inside
        return os.path.relpath(InMemoryStorage.path(self, name), self.location)


@pytest.fixture
def object_storage(settings, media):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "test_lagring.ObjectStorage"},
    }
    with pytest.raises(NotImplementedError):
        default_storage.path("x")  # as S3Storage: no file on disk
    yield default_storage
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


@pytest.fixture
def mote(fsu) -> Mote:
    return Mote.objects.get(utval=fsu, dato__year=2024, dato__month=2, dato__day=14)


def test_uploads_and_packs_live_in_the_storage_not_on_disk(
    object_storage, sekretariat, medlem, mote
):
    sak = _add_sak(sekretariat, mote, "Samhandlingsavvik")
    _upload(sekretariat, sak, "Avviksrapport", 2)
    vedlegg = Vedlegg.objects.get(sak=sak)
    assert object_storage.exists(vedlegg.fil.name)

    download = medlem.get(reverse("moter:vedlegg", args=[vedlegg.pk]))
    assert "AVVIKSRAPPORT side 1" in pdf_text(body(download))

    url = reverse("moter:motepakke", args=[mote.pk])
    first = medlem.get(url)
    assert first.status_code == 200
    text = "\n".join(pdf_pages(body(first)))
    assert "Samhandlingsavvik" in text and "AVVIKSRAPPORT side 2" in text
    _dirs, files = object_storage.listdir(pack.PACK_DIR)
    assert len(files) == 1
    assert medlem.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert object_storage.listdir(pack.PACK_DIR)[1] == files  # served, not built again


def test_documents_read_media_through_the_storage(object_storage):
    object_storage.save("bilete/logo.png", io.BytesIO(b"\x89PNG"))
    assert DiskFetcher().fetch(f"{BASE_URL}media/bilete/logo.png").read() == b"\x89PNG"
    with pytest.raises(ValueError):
        DiskFetcher().fetch(f"{BASE_URL}media/finst-ikkje.png")


def test_clean_pdfs_rewrites_stored_files_through_the_storage(
    object_storage, sekretariat, mote, capsys
):
    from django.core.management import call_command

    sak = _add_sak(sekretariat, mote, "Reinsking")
    _upload(sekretariat, sak, "Rein", 1)
    call_command("clean_pdfs")
    assert "Reinska 0 PDF-filer. 0 kunne ikkje lesast." in capsys.readouterr().out
