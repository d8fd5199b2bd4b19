"""Every PDF the portal renders goes through portal.pdf: files it refers to are read from
disk, nothing is fetched over the network, and the response says how it may be cached."""

import pytest
from django.conf import settings
from django.urls import reverse

from portal.pdf import BASE_URL, DiskFetcher

pytestmark = pytest.mark.one_database(on="sqlite")


def test_static_files_are_read_from_disk():
    fetched = DiskFetcher().fetch(f"{BASE_URL}static/avtalar/oversikt_pdf.css")
    on_disk = (settings.BASE_DIR / "static" / "avtalar" / "oversikt_pdf.css").read_bytes()
    assert fetched.read() == on_disk
    assert fetched.content_type == "text/css"


def test_media_files_are_read_from_disk(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "bilete.png").write_bytes(b"\x89PNG")
    assert DiskFetcher().fetch(f"{BASE_URL}media/bilete.png").read() == b"\x89PNG"


@pytest.mark.parametrize(
    "url",
    [
        "http://testserver/static/avtalar/oversikt_pdf.css",  # the portal's own address
        "http://127.0.0.1:8000/static/avtalar/oversikt_pdf.css",
        "https://example.com/bilete.png",
        "file:///etc/passwd",
        f"{BASE_URL}static/../portal/settings.py",
        f"{BASE_URL}media/../portal/settings.py",
        f"{BASE_URL}historikk/",
        f"{BASE_URL}static/finst-ikkje.css",
    ],
)
def test_everything_else_is_refused(url):
    with pytest.raises(ValueError, match="Not served to documents"):
        DiskFetcher().fetch(url)


def test_a_document_for_a_logged_in_user_is_never_kept_by_a_shared_cache(
    sekretariat, public, seeded
):
    url = reverse("avtalar:oversikt_pdf")
    mine = sekretariat.get(url)
    assert mine["Content-Type"] == "application/pdf"
    assert mine["Content-Disposition"].startswith('inline; filename="avtaleoversikt-')
    assert mine["Cache-Control"] == "private, no-cache"
    assert "Cookie" in mine["Vary"]
    # The public's copy is the same for everyone: left to the page cache.
    theirs = public.get(url)
    assert "Cache-Control" not in theirs
    assert "Cookie" in theirs["Vary"]
