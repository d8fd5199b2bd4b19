from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import restore


class Command(BaseCommand):
    help = "Erstattar databasen og dei opplasta filene med ein kopi laga av `backup`."

    def add_arguments(self, parser):
        parser.add_argument("source", help="Mappa med kopien.")
        parser.add_argument("--ja", action="store_true", help="Ikkje spør om stadfesting.")

    def handle(self, *args, source, ja=False, **options):
        path = Path(source)
        if not (path / "data.json").exists():
            raise CommandError(f"Fann ingen kopi i {path}")
        if not ja:
            answer = input("Alt i databasen vert erstatta. Skriv «ja» for å halde fram: ")
            if answer.strip().lower() != "ja":
                raise CommandError("Avbrote.")
        restore(path)
        self.stdout.write(f"Databasen og filene er henta frå {path}")
