"""The agreement search moved to the portal's one search index (portal.SearchEntry, kept by
portal.search_index from every app's search sources), so the PostgreSQL trigger, its GIN
index and the column it kept go."""

import importlib

from django.db import migrations

DROP = """
DROP INDEX IF EXISTS avtale_sokevektor_gin;
DROP TRIGGER IF EXISTS avtalar_avtaleversjon_sokevektor ON avtalar_avtaleversjon;
DROP FUNCTION IF EXISTS avtalar_avtaleversjon_sokevektor();
DROP TRIGGER IF EXISTS avtalar_avtale_sokevektor ON avtalar_avtale;
DROP FUNCTION IF EXISTS avtalar_avtale_sokevektor();
"""


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


def restore_trigger(apps, schema_editor):
    previous = importlib.import_module("avtalar.migrations.0003_sokevektor_trigger")
    previous.forward(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("avtalar", "0004_edit_version_counter")]

    # Backwards, the column comes back first, then the trigger that fills it.
    operations = [
        migrations.RunPython(drop_trigger, restore_trigger),
        migrations.RemoveField(model_name="avtale", name="sokevektor"),
    ]
