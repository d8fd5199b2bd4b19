"""Load the shipped data (fixtures/*.json, in file-name order).

Only objects that are not in the database yet are added, so running it twice changes
nothing, and it never overwrites what the secretariat has edited since. Each added object
gets a first history entry, so its history starts with where it came from.
"""

from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from simple_history.utils import get_history_manager_for_model

from portal import hooks, search_index

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
                    _first_history(manager, batch)
        # Explicit primary keys leave PostgreSQL's sequences behind; move them on.
        statements = connection.ops.sequence_reset_sql(no_style(), list(touched_models))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
        # Apps may derive data from what was loaded (links made by title): they get the
        # counts once everything is in.
        hooks.collect(lambda app: app.after_seed(added))
        # Loaded raw, so not indexed one by one: the search index is built from it all.
        search_index.index_seeded(added)
    return added


def _first_history(manager, objects) -> None:
    """Give each new object one "created" entry with the reason it came from the seeds.

    Saving many-to-many fields from a fixture already wrote "changed" entries (one per
    field, each a full snapshot); the last of them becomes the "created" entry."""
    pks = [obj.pk for obj in objects]
    by_object: dict = {}
    for entry in manager.filter(id__in=pks).order_by("history_date", "history_id"):
        by_object.setdefault(entry.id, []).append(entry)
    for entries in by_object.values():
        *earlier, last = entries
        manager.filter(history_id__in=[e.history_id for e in earlier]).delete()
        manager.filter(history_id=last.history_id).update(
            history_type="+", history_change_reason=REASON
        )
    rest = [obj for obj in objects if obj.pk not in by_object]
    manager.bulk_history_create(rest, default_change_reason=REASON)


class Command(BaseCommand):
    help = "Lastar inn grunnlagsdata frå fixtures/ (trygt å køyre fleire gonger)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="Berre desse filene (standard: alle).")
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Legg til syntetiske testdata til om lag N gonger dagens mengd (for måling).",
        )

    def handle(self, *args, files, scale, **options):
        if scale < 1 or scale > 1000:
            raise CommandError("--scale må vere eit heiltal frå 1 til 1000.")
        paths = [Path(f) for f in files] or None
        added = seed_fixtures(paths)
        if not added:
            self.stdout.write("Ingenting nytt: alle grunnlagsdata finst alt.")
        for label, count in sorted(added.items()):
            self.stdout.write(f"La til {count} {label}")
        if scale > 1:
            from bench.scale import seed_scale

            self.stdout.write(seed_scale(scale))
