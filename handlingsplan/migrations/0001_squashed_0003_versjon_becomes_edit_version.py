# The migrations 0001 to 0003 of this app in one, as Django would make them from the
# models today: a new database gets its tables from this file at once (rendering each
# step's model state took most of `migrate`). A database that has the old steps keeps
# them; Django knows from `replaces` which to use. Their data steps only moved existing
# rows, and a new database has none.
import django.db.models.deletion
import django.utils.timezone
import portal.editing
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('handlingsplan', '0001_initial'),
        ('handlingsplan', '0002_strategi_framdrift_ansvarleg'),
        ('handlingsplan', '0003_versjon_becomes_edit_version'),
    ]

    dependencies = [
        ('avtalar', '0001_squashed_0006_bilete_signering'),
        ('partnarskap', '0001_squashed_0005_bilete_samansetjingsregel'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Delmal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('edit_version', models.PositiveIntegerField(default=1, editable=False, verbose_name='redigeringsversjon')),
                ('nummer', models.CharField(max_length=10, verbose_name='nummer')),
                ('tekst', models.TextField(blank=True, verbose_name='delmål')),
                ('rekkjefolgje', models.PositiveSmallIntegerField(default=0, verbose_name='rekkjefølgje')),
            ],
            options={
                'verbose_name': 'delmål',
                'verbose_name_plural': 'delmål',
                'ordering': ['innsatsomrade', 'rekkjefolgje', 'nummer'],
            },
            bases=(portal.editing.Tracked, models.Model),
        ),
        migrations.CreateModel(
            name='Pasientgruppe',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('namn', models.CharField(max_length=200, verbose_name='namn')),
                ('rekkjefolgje', models.PositiveSmallIntegerField(default=0, verbose_name='rekkjefølgje')),
                ('bakgrunn', models.TextField(blank=True, verbose_name='bakgrunn')),
                ('prioritering', models.TextField(blank=True, verbose_name='kva helsefellesskapet vil prioritere')),
            ],
            options={
                'verbose_name': 'prioritert pasientgruppe',
                'verbose_name_plural': 'prioriterte pasientgrupper',
                'ordering': ['strategi', 'rekkjefolgje'],
            },
        ),
        migrations.CreateModel(
            name='Strategi',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('tittel', models.CharField(max_length=200, verbose_name='tittel')),
                ('fra_ar', models.PositiveSmallIntegerField(verbose_name='frå år')),
                ('til_ar', models.PositiveSmallIntegerField(verbose_name='til år')),
                ('innleiing', models.TextField(blank=True, verbose_name='innleiing')),
                ('hovudmal', models.TextField(blank=True, verbose_name='hovudmål')),
            ],
            options={
                'verbose_name': 'strategi',
                'verbose_name_plural': 'strategiar',
                'ordering': ['-fra_ar'],
            },
        ),
        migrations.CreateModel(
            name='Handlingsplan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('tittel', models.CharField(max_length=200, verbose_name='tittel')),
                ('fra_ar', models.PositiveSmallIntegerField(verbose_name='frå år')),
                ('til_ar', models.PositiveSmallIntegerField(verbose_name='til år')),
                ('hovudmal', models.TextField(blank=True, verbose_name='hovudmål')),
                ('undertittel', models.CharField(blank=True, max_length=200, verbose_name='undertittel')),
                ('forgjengar', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='etterfolgarar', to='handlingsplan.handlingsplan', verbose_name='førre plan')),
                ('strategi', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to='handlingsplan.strategi', verbose_name='strategi')),
            ],
            options={
                'verbose_name': 'handlingsplan',
                'verbose_name_plural': 'handlingsplanar',
                'ordering': ['-fra_ar'],
            },
            bases=(portal.editing.Tracked, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalInnsatsomrade',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('nummer', models.PositiveSmallIntegerField(verbose_name='nummer')),
                ('tittel', models.CharField(max_length=200, verbose_name='tittel')),
                ('mal', models.TextField(blank=True, verbose_name='mål')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('plan', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='handlingsplan.handlingsplan', verbose_name='plan')),
            ],
            options={
                'verbose_name': 'historical innsatsområde',
                'verbose_name_plural': 'historical innsatsområde',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalStrategi',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('tittel', models.CharField(max_length=200, verbose_name='tittel')),
                ('fra_ar', models.PositiveSmallIntegerField(verbose_name='frå år')),
                ('til_ar', models.PositiveSmallIntegerField(verbose_name='til år')),
                ('innleiing', models.TextField(blank=True, verbose_name='innleiing')),
                ('hovudmal', models.TextField(blank=True, verbose_name='hovudmål')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical strategi',
                'verbose_name_plural': 'historical strategiar',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalTiltak',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('edit_version', models.PositiveIntegerField(default=1, editable=False, verbose_name='redigeringsversjon')),
                ('tekst', models.TextField(verbose_name='tiltak')),
                ('alle_partnarar', models.BooleanField(default=False, help_text='Ansvaret ligg hos partnarane i fellesskap («Partnarane» i planen).', verbose_name='alle partnarane')),
                ('ansvarleg_anna', models.CharField(blank=True, help_text='Ansvarleg som verken er eit utval eller ein partnar.', max_length=200, verbose_name='anna ansvarleg')),
                ('frist', models.DateField(blank=True, help_text='Siste dag; for ein periode: slutten av han.', null=True, verbose_name='frist')),
                ('frist_tekst', models.CharField(blank=True, help_text='Til dømes «2024» eller «haust 2024».', max_length=60, verbose_name='frist (periode)')),
                ('status', models.CharField(blank=True, choices=[('ikkje_starta', 'Ikkje starta'), ('pagar', 'Pågår'), ('fullfort', 'Fullført'), ('utsett', 'Utsett'), ('avslutta', 'Avslutta')], max_length=20, verbose_name='status')),
                ('kommentar', models.TextField(blank=True, verbose_name='kommentar')),
                ('rekkjefolgje', models.PositiveSmallIntegerField(default=0, verbose_name='rekkjefølgje')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('delmal', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='handlingsplan.delmal', verbose_name='delmål')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('pasientgruppe', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='handlingsplan.pasientgruppe', verbose_name='prioritert pasientgruppe')),
            ],
            options={
                'verbose_name': 'historical tiltak',
                'verbose_name_plural': 'historical tiltak',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Innsatsomrade',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('nummer', models.PositiveSmallIntegerField(verbose_name='nummer')),
                ('tittel', models.CharField(max_length=200, verbose_name='tittel')),
                ('mal', models.TextField(blank=True, verbose_name='mål')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='innsatsomrade', to='handlingsplan.handlingsplan', verbose_name='plan')),
            ],
            options={
                'verbose_name': 'innsatsområde',
                'verbose_name_plural': 'innsatsområde',
                'ordering': ['plan', 'nummer'],
            },
            bases=(portal.editing.Tracked, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalDelmal',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('edit_version', models.PositiveIntegerField(default=1, editable=False, verbose_name='redigeringsversjon')),
                ('nummer', models.CharField(max_length=10, verbose_name='nummer')),
                ('tekst', models.TextField(blank=True, verbose_name='delmål')),
                ('rekkjefolgje', models.PositiveSmallIntegerField(default=0, verbose_name='rekkjefølgje')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('innsatsomrade', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='handlingsplan.innsatsomrade', verbose_name='innsatsområde')),
            ],
            options={
                'verbose_name': 'historical delmål',
                'verbose_name_plural': 'historical delmål',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name='delmal',
            name='innsatsomrade',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='delmal', to='handlingsplan.innsatsomrade', verbose_name='innsatsområde'),
        ),
        migrations.AddField(
            model_name='pasientgruppe',
            name='strategi',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pasientgrupper', to='handlingsplan.strategi', verbose_name='strategi'),
        ),
        migrations.CreateModel(
            name='HistoricalStrategiInnsatsomrade',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('rekkjefolgje', models.PositiveSmallIntegerField(default=0, verbose_name='rekkjefølgje')),
                ('tittel', models.CharField(max_length=200, verbose_name='tittel')),
                ('tekst', models.TextField(blank=True, verbose_name='tekst')),
                ('prioritering', models.TextField(blank=True, help_text='Eitt punkt per linje.', verbose_name='dette skal prioriterast')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('strategi', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='handlingsplan.strategi', verbose_name='strategi')),
            ],
            options={
                'verbose_name': 'historical innsatsområde i strategien',
                'verbose_name_plural': 'historical innsatsområde i strategien',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalPasientgruppe',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('namn', models.CharField(max_length=200, verbose_name='namn')),
                ('rekkjefolgje', models.PositiveSmallIntegerField(default=0, verbose_name='rekkjefølgje')),
                ('bakgrunn', models.TextField(blank=True, verbose_name='bakgrunn')),
                ('prioritering', models.TextField(blank=True, verbose_name='kva helsefellesskapet vil prioritere')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('strategi', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='handlingsplan.strategi', verbose_name='strategi')),
            ],
            options={
                'verbose_name': 'historical prioritert pasientgruppe',
                'verbose_name_plural': 'historical prioriterte pasientgrupper',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalHandlingsplan',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('tittel', models.CharField(max_length=200, verbose_name='tittel')),
                ('fra_ar', models.PositiveSmallIntegerField(verbose_name='frå år')),
                ('til_ar', models.PositiveSmallIntegerField(verbose_name='til år')),
                ('hovudmal', models.TextField(blank=True, verbose_name='hovudmål')),
                ('undertittel', models.CharField(blank=True, max_length=200, verbose_name='undertittel')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('forgjengar', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='handlingsplan.handlingsplan', verbose_name='førre plan')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('strategi', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='handlingsplan.strategi', verbose_name='strategi')),
            ],
            options={
                'verbose_name': 'historical handlingsplan',
                'verbose_name_plural': 'historical handlingsplanar',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='StrategiInnsatsomrade',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('rekkjefolgje', models.PositiveSmallIntegerField(default=0, verbose_name='rekkjefølgje')),
                ('tittel', models.CharField(max_length=200, verbose_name='tittel')),
                ('tekst', models.TextField(blank=True, verbose_name='tekst')),
                ('prioritering', models.TextField(blank=True, help_text='Eitt punkt per linje.', verbose_name='dette skal prioriterast')),
                ('strategi', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='innsatsomrade', to='handlingsplan.strategi', verbose_name='strategi')),
            ],
            options={
                'verbose_name': 'innsatsområde i strategien',
                'verbose_name_plural': 'innsatsområde i strategien',
                'ordering': ['strategi', 'rekkjefolgje'],
            },
        ),
        migrations.CreateModel(
            name='Tiltak',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('edit_version', models.PositiveIntegerField(default=1, editable=False, verbose_name='redigeringsversjon')),
                ('tekst', models.TextField(verbose_name='tiltak')),
                ('alle_partnarar', models.BooleanField(default=False, help_text='Ansvaret ligg hos partnarane i fellesskap («Partnarane» i planen).', verbose_name='alle partnarane')),
                ('ansvarleg_anna', models.CharField(blank=True, help_text='Ansvarleg som verken er eit utval eller ein partnar.', max_length=200, verbose_name='anna ansvarleg')),
                ('frist', models.DateField(blank=True, help_text='Siste dag; for ein periode: slutten av han.', null=True, verbose_name='frist')),
                ('frist_tekst', models.CharField(blank=True, help_text='Til dømes «2024» eller «haust 2024».', max_length=60, verbose_name='frist (periode)')),
                ('status', models.CharField(blank=True, choices=[('ikkje_starta', 'Ikkje starta'), ('pagar', 'Pågår'), ('fullfort', 'Fullført'), ('utsett', 'Utsett'), ('avslutta', 'Avslutta')], max_length=20, verbose_name='status')),
                ('kommentar', models.TextField(blank=True, verbose_name='kommentar')),
                ('rekkjefolgje', models.PositiveSmallIntegerField(default=0, verbose_name='rekkjefølgje')),
                ('ansvarleg_partnarar', models.ManyToManyField(blank=True, related_name='tiltak', to='partnarskap.partnar', verbose_name='ansvarlege partnarar')),
                ('ansvarleg_utval', models.ManyToManyField(blank=True, related_name='tiltak', to='partnarskap.utval', verbose_name='ansvarlege utval')),
                ('avtalar', models.ManyToManyField(blank=True, related_name='tiltak', to='avtalar.avtale', verbose_name='avtalar')),
                ('delmal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tiltak', to='handlingsplan.delmal', verbose_name='delmål')),
                ('pasientgruppe', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='tiltak', to='handlingsplan.pasientgruppe', verbose_name='prioritert pasientgruppe')),
                ('vidarefort_fra', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='vidarefort_til', to='handlingsplan.tiltak', verbose_name='vidareført frå')),
            ],
            options={
                'verbose_name': 'tiltak',
                'verbose_name_plural': 'tiltak',
                'ordering': ['delmal', 'rekkjefolgje', 'pk'],
            },
            bases=(portal.editing.Tracked, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalTiltak_avtalar',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('avtale', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='avtalar.avtale')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='handlingsplan.historicaltiltak')),
                ('tiltak', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='handlingsplan.tiltak')),
            ],
            options={
                'verbose_name': 'HistoricalTiltak_avtalar',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalTiltak_ansvarleg_utval',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='handlingsplan.historicaltiltak')),
                ('utval', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partnarskap.utval')),
                ('tiltak', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='handlingsplan.tiltak')),
            ],
            options={
                'verbose_name': 'HistoricalTiltak_ansvarleg_utval',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalTiltak_ansvarleg_partnarar',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='handlingsplan.historicaltiltak')),
                ('partnar', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partnarskap.partnar')),
                ('tiltak', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='handlingsplan.tiltak')),
            ],
            options={
                'verbose_name': 'HistoricalTiltak_ansvarleg_partnarar',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name='historicaltiltak',
            name='vidarefort_fra',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='handlingsplan.tiltak', verbose_name='vidareført frå'),
        ),
        migrations.CreateModel(
            name='Framdrift',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('dato', models.DateField(default=django.utils.timezone.localdate, verbose_name='dato')),
                ('status', models.CharField(blank=True, choices=[('ikkje_starta', 'Ikkje starta'), ('pagar', 'Pågår'), ('fullfort', 'Fullført'), ('utsett', 'Utsett'), ('avslutta', 'Avslutta')], max_length=20, verbose_name='ny status')),
                ('notat', models.TextField(blank=True, verbose_name='framdriftsnotat')),
                ('registrert', models.DateTimeField(default=django.utils.timezone.now, verbose_name='registrert')),
                ('registrert_av', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='registrert av')),
                ('tiltak', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='framdrift', to='handlingsplan.tiltak', verbose_name='tiltak')),
            ],
            options={
                'verbose_name': 'framdrift',
                'verbose_name_plural': 'framdrift',
                'ordering': ['tiltak', '-registrert', '-pk'],
            },
        ),
        migrations.AddConstraint(
            model_name='innsatsomrade',
            constraint=models.UniqueConstraint(fields=('plan', 'nummer'), name='innsatsomrade_nummer_unik'),
        ),
    ]
