# The edit-version counter of delmål and tiltak keeps its values under the one name every
# edited model uses for it (portal.editing.Versioned).

from django.db import migrations, models


def _counter():
    return models.PositiveIntegerField(
        default=1, editable=False, verbose_name="redigeringsversjon"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("handlingsplan", "0002_strategi_framdrift_ansvarleg"),
    ]

    operations = [
        *[
            op
            for model in ("delmal", "historicaldelmal", "tiltak", "historicaltiltak")
            for op in (
                migrations.RenameField(model, "versjon", "edit_version"),
                migrations.AlterField(model, "edit_version", _counter()),
            )
        ],
    ]
