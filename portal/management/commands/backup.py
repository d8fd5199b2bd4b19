from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand

from portal.backup import backup


class Command(BaseCommand):
    help = "Tek kopi av databasen (med historikk) og dei opplasta filene."

    def add_arguments(self, parser):
        parser.add_argument("target", nargs="?", help="Mappe for kopien (må ikkje finnast).")

    def handle(self, *args, target=None, **options):
        path = Path(target or f"backups/{datetime.now():%Y%m%d-%H%M%S}")
        backup(path)
        self.stdout.write(f"Kopien er lagra i {path}")
