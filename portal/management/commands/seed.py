"""Load the shipped data (fixtures/*.json, in file-name order).

Only objects that are not in the database yet are added, so running it twice changes
nothing, and it never overwrites what the secretariat has edited since. Each added object
gets a first history entry, so its history starts with where it came from.
"""

from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand
from django.core.management.color import no_style
from django.db import connection, transaction
from simple_history.utils import get_history_manager_for_model

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
REASON = "Henta frå grunnlagsdokumenta"


def seed_fixtures(paths: list[Path] | None = None) -> dict[str, int]:
    added: dict[str, int] = {}
    touched_models = set()
    with transaction.atomic():
        for path in paths or sorted(FIXTURES.glob("*.json")):
            with path.open(encoding="utf-8") as handle:
                objects = list(serializers.deserialize("json", handle))
            new = []
            for wrapped in objects:
                model = type(wrapped.object)
                if model._default_manager.filter(pk=wrapped.object.pk).exists():
                    continue
                wrapped.save()
                new.append(wrapped.object)
                touched_models.add(model)
                label = model._meta.label
                added[label] = added.get(label, 0) + 1
            for model in {type(obj) for obj in new}:
                if hasattr(model, "history"):
                    manager = get_history_manager_for_model(model)
                    batch = [obj for obj in new if type(obj) is model]
                    manager.bulk_history_create(batch, default_change_reason=REASON)
        # Explicit primary keys leave PostgreSQL's sequences behind; move them on.
        statements = connection.ops.sequence_reset_sql(no_style(), list(touched_models))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
    return added


class Command(BaseCommand):
    help = "Lastar inn grunnlagsdata frå fixtures/ (trygt å køyre fleire gonger)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="Berre desse filene (standard: alle).")

    def handle(self, *args, files, **options):
        paths = [Path(f) for f in files] or None
        added = seed_fixtures(paths)
        if not added:
            self.stdout.write("Ingenting nytt: alle grunnlagsdata finst alt.")
        for label, count in sorted(added.items()):
            self.stdout.write(f"La til {count} {label}")
