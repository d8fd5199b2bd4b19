# The migrations 0001 to 0006 of this app in one, as Django would make them from the
# models today: a new database gets its tables from this file at once (rendering each
# step's model state took most of `migrate`). A database that has the old steps keeps
# them; Django knows from `replaces` which to use. Their data steps only moved existing
# rows, and a new database has none.
import django.db.models.deletion
import portal.editing
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('avtalar', '0001_initial'),
        ('avtalar', '0002_versjonsfakta_og_sokevektor'),
        ('avtalar', '0003_sokevektor_trigger'),
        ('avtalar', '0004_edit_version_counter'),
        ('avtalar', '0005_drop_sokevektor'),
        ('avtalar', '0006_bilete_signering'),
    ]

    dependencies = [
        ('partnarskap', '0001_squashed_0005_bilete_samansetjingsregel'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Avtale',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('edit_version', models.PositiveIntegerField(default=1, editable=False, verbose_name='redigeringsversjon')),
                ('type', models.CharField(choices=[('rammeavtale', 'Rammeavtale'), ('delavtale', 'Delavtale'), ('saeravtale', 'Særavtale'), ('samarbeidsavtale', 'Samarbeidsavtale')], max_length=20, verbose_name='type')),
                ('nummer', models.CharField(blank=True, max_length=20, verbose_name='nummer')),
                ('tittel', models.CharField(max_length=300, verbose_name='tittel')),
                ('slug', models.SlugField(max_length=120, unique=True, verbose_name='adresse')),
                ('tema', models.TextField(blank=True, verbose_name='tema')),
                ('status', models.CharField(choices=[('utkast', 'Utkast'), ('gjeldande', 'Gjeldande'), ('under_revisjon', 'Under revisjon'), ('oppheva', 'Oppheva')], default='gjeldande', max_length=20, verbose_name='status')),
                ('neste_revisjon', models.DateField(blank=True, null=True, verbose_name='neste revisjon')),
                ('rekkjefolgje', models.PositiveSmallIntegerField(default=100, verbose_name='rekkjefølgje')),
                ('godkjent_av', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='godkjende_avtalar', to='partnarskap.utval', verbose_name='godkjent av')),
                ('partar', models.ManyToManyField(blank=True, related_name='avtalar', to='partnarskap.partnar', verbose_name='partar')),
                ('utdjupar', models.ForeignKey(blank=True, help_text='Avtalen denne utdjupar, til dømes delavtalen ein særavtale byggjer på.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='utdjupa_av', to='avtalar.avtale', verbose_name='utdjupar')),
            ],
            options={
                'verbose_name': 'avtale',
                'verbose_name_plural': 'avtalar',
                'ordering': ['type', 'rekkjefolgje', 'tittel'],
            },
            bases=(portal.editing.Tracked, models.Model),
        ),
        migrations.CreateModel(
            name='Avtaleversjon',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('edit_version', models.PositiveIntegerField(default=1, editable=False, verbose_name='redigeringsversjon')),
                ('versjon', models.CharField(blank=True, max_length=100, verbose_name='versjon')),
                ('godkjend', models.BooleanField(default=True, help_text='Berre godkjende versjonar kan bli gjeldande.', verbose_name='godkjend')),
                ('godkjent_dato', models.DateField(blank=True, null=True, verbose_name='godkjend dato')),
                ('gjeld_fra', models.DateField(blank=True, null=True, verbose_name='gjeld frå')),
                ('dato_tekst', models.CharField(blank=True, help_text='Når kjelda berre gjev månad eller år, til dømes «lasta opp oktober 2016».', max_length=100, verbose_name='dato slik kjelda oppgjev')),
                ('samandrag', models.TextField(blank=True, verbose_name='kva som er endra')),
                ('dokument', models.FileField(blank=True, upload_to='avtalar/%Y/', verbose_name='dokument (PDF)')),
                ('kjelde_url', models.URLField(blank=True, max_length=500, verbose_name='adresse til originaldokumentet')),
                ('avtale', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versjonar', to='avtalar.avtale', verbose_name='avtale')),
                ('godkjent_av', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='partnarskap.utval', verbose_name='godkjend av')),
            ],
            options={
                'verbose_name': 'avtaleversjon',
                'verbose_name_plural': 'avtaleversjonar',
                'ordering': ['avtale', '-gjeld_fra', '-godkjent_dato', '-pk'],
            },
            bases=(portal.editing.Tracked, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalAvtale',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('edit_version', models.PositiveIntegerField(default=1, editable=False, verbose_name='redigeringsversjon')),
                ('type', models.CharField(choices=[('rammeavtale', 'Rammeavtale'), ('delavtale', 'Delavtale'), ('saeravtale', 'Særavtale'), ('samarbeidsavtale', 'Samarbeidsavtale')], max_length=20, verbose_name='type')),
                ('nummer', models.CharField(blank=True, max_length=20, verbose_name='nummer')),
                ('tittel', models.CharField(max_length=300, verbose_name='tittel')),
                ('slug', models.SlugField(max_length=120, verbose_name='adresse')),
                ('tema', models.TextField(blank=True, verbose_name='tema')),
                ('status', models.CharField(choices=[('utkast', 'Utkast'), ('gjeldande', 'Gjeldande'), ('under_revisjon', 'Under revisjon'), ('oppheva', 'Oppheva')], default='gjeldande', max_length=20, verbose_name='status')),
                ('neste_revisjon', models.DateField(blank=True, null=True, verbose_name='neste revisjon')),
                ('rekkjefolgje', models.PositiveSmallIntegerField(default=100, verbose_name='rekkjefølgje')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('godkjent_av', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partnarskap.utval', verbose_name='godkjent av')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('utdjupar', models.ForeignKey(blank=True, db_constraint=False, help_text='Avtalen denne utdjupar, til dømes delavtalen ein særavtale byggjer på.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='avtalar.avtale', verbose_name='utdjupar')),
            ],
            options={
                'verbose_name': 'historical avtale',
                'verbose_name_plural': 'historical avtalar',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalAvtale_partar',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('avtale', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='avtalar.avtale')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='avtalar.historicalavtale')),
                ('partnar', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partnarskap.partnar')),
            ],
            options={
                'verbose_name': 'HistoricalAvtale_partar',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalAvtaleversjon',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('edit_version', models.PositiveIntegerField(default=1, editable=False, verbose_name='redigeringsversjon')),
                ('versjon', models.CharField(blank=True, max_length=100, verbose_name='versjon')),
                ('godkjend', models.BooleanField(default=True, help_text='Berre godkjende versjonar kan bli gjeldande.', verbose_name='godkjend')),
                ('godkjent_dato', models.DateField(blank=True, null=True, verbose_name='godkjend dato')),
                ('gjeld_fra', models.DateField(blank=True, null=True, verbose_name='gjeld frå')),
                ('dato_tekst', models.CharField(blank=True, help_text='Når kjelda berre gjev månad eller år, til dømes «lasta opp oktober 2016».', max_length=100, verbose_name='dato slik kjelda oppgjev')),
                ('samandrag', models.TextField(blank=True, verbose_name='kva som er endra')),
                ('dokument', models.TextField(blank=True, max_length=100, verbose_name='dokument (PDF)')),
                ('kjelde_url', models.URLField(blank=True, max_length=500, verbose_name='adresse til originaldokumentet')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('avtale', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='avtalar.avtale', verbose_name='avtale')),
                ('godkjent_av', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partnarskap.utval', verbose_name='godkjend av')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical avtaleversjon',
                'verbose_name_plural': 'historical avtaleversjonar',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalSignering',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('edit_version', models.PositiveIntegerField(default=1, editable=False, verbose_name='redigeringsversjon')),
                ('dato', models.DateField(verbose_name='signert dato')),
                ('dokument', models.TextField(blank=True, max_length=100, verbose_name='signert dokument (PDF)')),
                ('merknad', models.CharField(blank=True, max_length=300, verbose_name='merknad')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('partnar', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partnarskap.partnar', verbose_name='part')),
                ('versjon', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='avtalar.avtaleversjon', verbose_name='avtaleversjon')),
            ],
            options={
                'verbose_name': 'historical signering',
                'verbose_name_plural': 'historical signeringar',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Signering',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('edit_version', models.PositiveIntegerField(default=1, editable=False, verbose_name='redigeringsversjon')),
                ('dato', models.DateField(verbose_name='signert dato')),
                ('dokument', models.FileField(blank=True, upload_to='signeringar/%Y/', verbose_name='signert dokument (PDF)')),
                ('merknad', models.CharField(blank=True, max_length=300, verbose_name='merknad')),
                ('partnar', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='signeringar', to='partnarskap.partnar', verbose_name='part')),
                ('versjon', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='signeringar', to='avtalar.avtaleversjon', verbose_name='avtaleversjon')),
            ],
            options={
                'verbose_name': 'signering',
                'verbose_name_plural': 'signeringar',
                'ordering': ['versjon', 'partnar__type', 'partnar__namn'],
                'constraints': [models.UniqueConstraint(fields=('versjon', 'partnar'), name='avtalar_signering_ein_per_part')],
            },
            bases=(portal.editing.Tracked, models.Model),
        ),
    ]
