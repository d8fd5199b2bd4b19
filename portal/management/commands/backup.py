from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.backup import BackupError, backup, rotate


class Command(BaseCommand):
    help = (
        "Tek kopi av databasen (med historikk) og dei opplasta filene, med databasen sine "
        "eigne verktøy (pg_dump, eller SQLite sitt backup-API) og sjekksummar for kvar fil."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "target",
            nargs="?",
            help="Mappe for kopien (må ikkje finnast). Standard: BACKUP_DIR/<dato>-<tid>.",
        )
        parser.add_argument(
            "--behald",
            type=int,
            default=0,
            metavar="N",
            help="Slett alle utanom dei N nyaste kopiane i same mappe etterpå (0: slett ingen).",
        )

    def handle(self, *args, target=None, behald=0, **options):
        path = Path(target or settings.BACKUP_DIR / f"{timezone.localtime():%Y%m%d-%H%M%S}")
        try:
            backup(path)
        except (BackupError, FileExistsError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Kopien er lagra i {path}")
        if behald > 0:
            for old in rotate(path.parent, behald):
                self.stdout.write(f"Sletta den eldre kopien {old}")
