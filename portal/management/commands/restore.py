import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, check, restore


class Command(BaseCommand):
    help = (
        "Erstattar databasen og dei opplasta filene med ein kopi laga av `backup`. Kopien vert "
        "kontrollert først: ein skadd kopi eller ein kopi frå ein nyare versjon av portalen "
        "vert avvist, og då er ingenting endra."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="Mappa med kopien.")
        parser.add_argument("--ja", action="store_true", help="Ikkje spør om stadfesting.")

    def handle(self, *args, source, ja=False, **options):
        path = Path(source)
        try:
            manifest = check(path)
            if not ja:
                answer = input(
                    f"Alt i databasen og i mappa for opplasta filer vert erstatta med kopien "
                    f"frå {manifest.made}. Skriv «ja» for å halde fram: "
                )
                if answer.strip().lower() != "ja":
                    raise CommandError("Avbrote. Ingenting er endra.")
            started = time.monotonic()
            restore(path, checked=manifest)
        except BackupError as error:
            raise CommandError(str(error)) from None
        seconds = time.monotonic() - started
        self.stdout.write(f"Databasen og filene er henta frå {path} ({seconds:.1f} s).")
