"""Backup and restore with the database's own tools: a used portal (edits, many-to-many
relations, uploads, history) is backed up, and restored into an empty or a freshly migrated
database and an empty media folder, gives the same pages, the same number of rows in every
table (history included) and the same bytes in every file. Runs on the database the suite
runs on: SQLite by default, PostgreSQL in CI."""

import json
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from helpers import avtale_facts as _facts
from helpers import tiltak as _tiltak
from helpers import tiltak_form as _form
from test_avtalar import HOSPITERING, upload, version_data

from avtalar.models import Avtale
from bench.testdata import lag_pdf
from handlingsplan.models import Tiltak
from moter.models import Mote, Sak
from partnarskap.models import Partnar, Utval
from portal.backup import BackupError, backup, check, empty_database, restore, rotate

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _schema_back():
    """If a test fails between emptying and restoring, later tests still get their tables."""
    yield
    if "django_migrations" not in connection.introspection.table_names():
        call_command("migrate", verbosity=0)


@pytest.fixture
def used_portal(media, sekretariat, fsu):
    """A portal as the secretariat leaves it after a day's work, all through the views."""
    tiltak = _tiltak()
    ssu = Utval.objects.get(slug="ssu")
    response = sekretariat.post(
        reverse("handlingsplan:tiltak_endre", args=[tiltak.pk]),
        _form(tiltak, status="pagar", ansvarleg_utval=[fsu.pk, ssu.pk], kommentar="Følgt opp."),
    )
    assert response.status_code == 302

    avtale = Avtale.objects.get(slug=HOSPITERING)
    kinn = Partnar.objects.get(slug="kinn")
    partar = [p.pk for p in avtale.partar.all() if p.pk != kinn.pk]
    response = sekretariat.post(
        reverse("avtalar:endre", args=[avtale.slug]), _facts(avtale, partar=partar)
    )
    assert response.status_code == 302
    response = sekretariat.post(reverse("avtalar:ny_versjon", args=[avtale.slug]), version_data())
    assert response.status_code == 302

    mote = Mote.objects.filter(utval=fsu).order_by("dato").first()
    response = sekretariat.post(
        reverse("moter:sak_ny", args=[mote.pk]),
        {
            "tittel": "Revisjon av hospiteringsavtalen",
            "type": "vedtak",
            "offentleg": "on",
            "avtalar": [avtale.pk],
            "tiltak": [tiltak.pk],
        },
    )
    assert response.status_code == 302
    sak = Sak.objects.get(tittel="Revisjon av hospiteringsavtalen")
    for name in ("Saksutgreiing.pdf", "Høyringsinnspel.pdf"):
        response = sekretariat.post(
            reverse("moter:vedlegg_ny", args=[sak.pk]), {"fil": upload(name, lag_pdf(2, name))}
        )
        assert response.status_code == 302
    return {"tiltak": tiltak, "avtale": avtale, "mote": mote, "sak": sak}


def _page(client, url) -> bytes:
    """The page (or file) without its per-session CSRF tokens."""
    response = client.get(url)
    assert response.status_code == 200, url
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return re.sub(rb'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+', rb"\1", body)


def _pages(clients, used) -> dict:
    tiltak, avtale, mote, sak = used["tiltak"], used["avtale"], used["mote"], used["sak"]
    urls = [
        "/",
        "/partnarskap/",
        Utval.objects.get(slug="fsu").get_absolute_url(),
        "/avtalar/",
        "/avtalar/?q=hospitering",
        avtale.get_absolute_url(),
        avtale.versjonar.get(versjon="Revidert 2026").dokument_url(),
        "/handlingsplan/",
        mote.get_absolute_url(),
        *[v.get_absolute_url() for v in sak.vedlegg.all()],
        reverse("historikk", args=["handlingsplan", "tiltak", tiltak.pk]),
        reverse("historikk", args=["avtalar", "avtale", avtale.pk]),
        reverse("historikk", args=["moter", "sak", sak.pk]),
    ]
    return {(name, url): _page(client, url) for name, client in clients.items() for url in urls}


def _row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("target", ["empty", "migrated"])
def test_a_restored_portal_is_the_same_portal(
    target, tmp_path, media, used_portal, sekretariat, public
):
    clients = {"sekretariat": sekretariat, "public": public}
    sekretariat.get("/")  # shows (and so ends) the flash messages of the edits
    pages = _pages(clients, used_portal)
    counts = _row_counts()
    files = _files(media)
    assert counts["handlingsplan_historicaltiltak_ansvarleg_utval"] > 0
    assert len(files) >= 3  # two attachments and an agreement document

    kopi = backup(tmp_path / "kopi")
    empty_database()
    assert "django_migrations" not in connection.introspection.table_names()
    shutil.rmtree(media)
    media.mkdir()
    if target == "migrated":
        call_command("migrate", verbosity=0)
        assert not Tiltak.objects.exists()

    restore(kopi)

    assert _row_counts() == counts
    assert _files(media) == files
    assert _pages(clients, used_portal) == pages
    # The restored database takes new writes (its sequences came along) with history.
    tiltak = Tiltak.objects.get(pk=used_portal["tiltak"].pk)
    response = sekretariat.post(
        reverse("handlingsplan:tiltak_endre", args=[tiltak.pk]), _form(tiltak, kommentar="Ny.")
    )
    assert response.status_code == 302
    assert _row_counts()["handlingsplan_historicaltiltak"] == (
        counts["handlingsplan_historicaltiltak"] + 1
    )


def test_restore_refuses_a_backup_whose_checksums_do_not_match(tmp_path, media, used_portal):
    kopi = backup(tmp_path / "kopi")
    attachment = next((kopi / "media").rglob("*.pdf"))
    attachment.write_bytes(attachment.read_bytes() + b"\n")
    title = used_portal["sak"].tittel
    with pytest.raises(BackupError, match="sjekksummen for media/.* stemmer ikkje"):
        restore(kopi)
    with pytest.raises(CommandError, match="Kopien er skadd"):
        call_command("restore", str(kopi), "--ja")
    assert Sak.objects.filter(tittel=title).exists()  # nothing was touched


def test_restore_refuses_a_backup_from_a_newer_portal(tmp_path, media, seeded):
    kopi = backup(tmp_path / "kopi")
    manifest = json.loads((kopi / "manifest.json").read_text())
    manifest["migrations"].append(["moter", "9999_fra_framtida"])
    (kopi / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="nyare versjon av portalen.*moter.9999_fra_framtida"):
        check(kopi)
    with pytest.raises(CommandError, match="Oppdater portalen"):
        call_command("restore", str(kopi), "--ja")
    assert Utval.objects.filter(slug="fsu").exists()


def test_backup_refuses_to_overwrite(tmp_path, seeded, media):
    backup(tmp_path / "a")
    with pytest.raises(FileExistsError):
        backup(tmp_path / "a")


def test_the_commands_back_up_keep_the_newest_and_restore(tmp_path, media, seeded, capsys):
    folder = tmp_path / "backups"
    for name in ("1", "2", "3"):
        call_command("backup", str(folder / name), "--behald", "2")
    assert sorted(p.name for p in folder.iterdir()) == ["2", "3"]
    assert rotate(folder, 5) == []
    Utval.objects.filter(slug="fsu").update(namn="Endra etter kopien")
    call_command("restore", str(folder / "3"), "--ja")
    assert Utval.objects.get(slug="fsu").namn == "Fagleg samarbeidsutval"
    assert "er henta frå" in capsys.readouterr().out
