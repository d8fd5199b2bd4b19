# One edit-version counter on every edited model (portal.editing.Versioned): the sak keeps
# its values under the new name; meetings and minutes get one.

from django.db import migrations, models


def _counter():
    return models.PositiveIntegerField(
        default=1, editable=False, verbose_name="redigeringsversjon"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("moter", "0002_utsending"),
    ]

    operations = [
        *[
            op
            for model in ("sak", "historicalsak")
            for op in (
                migrations.RenameField(model, "versjon", "edit_version"),
                migrations.AlterField(model, "edit_version", _counter()),
            )
        ],
        *[
            migrations.AddField(model, "edit_version", _counter())
            for model in ("mote", "historicalmote", "referat", "historicalreferat")
        ],
    ]
