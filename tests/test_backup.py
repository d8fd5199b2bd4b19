"""A backup restored into an emptied database shows the same pages, history included."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from partnarskap.models import Medlemskap, Person, Utval
from portal.backup import backup, restore


def _page(client, url) -> str:
    """The page without its per-session CSRF tokens."""
    html = client.get(url).content.decode()
    return re.sub(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+', r"\1", html)


@pytest.fixture
def media(media):
    """The test's own media folder (tests/conftest.py), with one stored document."""
    (media / "avtalar").mkdir(parents=True)
    (media / "avtalar" / "dokument.pdf").write_bytes(b"%PDF-1.4 test")
    return media


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(tmp_path, media, sekretariat, sekretariat_user, fsu):
    person = Person.objects.create(namn="Kari Kopi")
    seat = Medlemskap.objects.create(person=person, utval=fsu, rolle="leiar")
    seat.rolle = "medlem"
    seat._history_user = sekretariat_user
    seat.save()
    pages = [
        fsu.get_absolute_url(),
        "/partnarskap/",
        f"/historikk/partnarskap/medlemskap/{seat.pk}/",
    ]
    before = [_page(sekretariat, url) for url in pages]

    target = backup(tmp_path / "kopi")
    call_command("flush", interactive=False, verbosity=0)
    (media / "avtalar" / "dokument.pdf").unlink()
    assert not Utval.objects.exists()

    restore(target)
    # Users are stored by natural key, so the restored account may have a new primary key.
    sekretariat.force_login(type(sekretariat_user).objects.get(username="sigrid"))
    after = [_page(sekretariat, url) for url in pages]
    assert after == before
    assert (Path(media) / "avtalar" / "dokument.pdf").read_bytes() == b"%PDF-1.4 test"
    assert seat.history.count() == 2


def test_backup_refuses_to_overwrite(tmp_path, seeded, media):
    backup(tmp_path / "a")
    with pytest.raises(FileExistsError):
        backup(tmp_path / "a")
