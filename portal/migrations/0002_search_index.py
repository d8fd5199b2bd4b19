"""The one search index (see portal.search_index), with its full-text index per database."""


import django.contrib.postgres.search
from django.db import migrations, models

# SQLite: a full-text table over the terms, kept by triggers, so every write through the
# ORM (inserts, deletes, updates) keeps it current. The ascii tokenizer splits on ASCII
# spaces and punctuation only, so each stored term (letters and digits, any script) stays
# one token, exactly as on PostgreSQL.
SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE portal_searchentry_fts USING fts5(
        terms_a, terms_b, terms_c,
        content='portal_searchentry', content_rowid='id', tokenize='ascii')""",
    """CREATE TRIGGER portal_searchentry_fts_insert AFTER INSERT ON portal_searchentry BEGIN
        INSERT INTO portal_searchentry_fts(rowid, terms_a, terms_b, terms_c)
        VALUES (new.id, new.terms_a, new.terms_b, new.terms_c);
    END""",
    """CREATE TRIGGER portal_searchentry_fts_delete AFTER DELETE ON portal_searchentry BEGIN
        INSERT INTO portal_searchentry_fts(portal_searchentry_fts, rowid, terms_a, terms_b, terms_c)
        VALUES ('delete', old.id, old.terms_a, old.terms_b, old.terms_c);
    END""",
    """CREATE TRIGGER portal_searchentry_fts_update
    AFTER UPDATE OF terms_a, terms_b, terms_c ON portal_searchentry BEGIN
        INSERT INTO portal_searchentry_fts(portal_searchentry_fts, rowid, terms_a, terms_b, terms_c)
        VALUES ('delete', old.id, old.terms_a, old.terms_b, old.terms_c);
        INSERT INTO portal_searchentry_fts(rowid, terms_a, terms_b, terms_c)
        VALUES (new.id, new.terms_a, new.terms_b, new.terms_c);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS portal_searchentry_fts_update",
    "DROP TRIGGER IF EXISTS portal_searchentry_fts_delete",
    "DROP TRIGGER IF EXISTS portal_searchentry_fts_insert",
    "DROP TABLE IF EXISTS portal_searchentry_fts",
]
# PostgreSQL: the weighted vector is written with the terms; a GIN index makes @@ fast.
POSTGRES_FORWARD = [
    "CREATE INDEX portal_searchentry_vector ON portal_searchentry USING gin (vector)"
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS portal_searchentry_vector"]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0001_dataversjon'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchWord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('word', models.CharField(max_length=100, unique=True, verbose_name='ord')),
                ('term', models.CharField(db_index=True, max_length=100, verbose_name='søkjeord')),
                ('length', models.PositiveSmallIntegerField(db_index=True, verbose_name='lengd')),
            ],
            options={
                'verbose_name': 'ord i søkjeindeksen',
                'verbose_name_plural': 'ord i søkjeindeksen',
            },
        ),
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=30, verbose_name='slag')),
                ('object_id', models.BigIntegerField(verbose_name='objekt')),
                ('page', models.PositiveIntegerField(default=0, verbose_name='side')),
                ('owner_id', models.BigIntegerField(verbose_name='høyrer til')),
                ('title', models.CharField(max_length=500, verbose_name='tittel')),
                ('url', models.CharField(max_length=500, verbose_name='adresse')),
                ('note', models.CharField(blank=True, max_length=500, verbose_name='merknad')),
                ('text_a', models.TextField(blank=True, verbose_name='tittel som tekst')),
                ('text_b', models.TextField(blank=True, verbose_name='samandrag som tekst')),
                ('text_c', models.TextField(blank=True, verbose_name='brødtekst')),
                ('terms_a', models.TextField(blank=True, verbose_name='søkjeord i tittelen')),
                ('terms_b', models.TextField(blank=True, verbose_name='søkjeord i samandraget')),
                ('terms_c', models.TextField(blank=True, verbose_name='søkjeord i brødteksten')),
                ('public', models.BooleanField(default=True, verbose_name='offentleg')),
                ('utval_id', models.BigIntegerField(blank=True, null=True, verbose_name='utval')),
                ('date', models.DateField(blank=True, null=True, verbose_name='dato')),
                ('source', models.CharField(blank=True, max_length=300, verbose_name='kjeldefil')),
                ('vector', django.contrib.postgres.search.SearchVectorField(blank=True, null=True, verbose_name='søkjevektor')),
            ],
            options={
                'verbose_name': 'søkjeoppslag',
                'verbose_name_plural': 'søkjeoppslag',
                'indexes': [models.Index(fields=['kind', 'owner_id'], name='portal_searchentry_owner')],
                'constraints': [models.UniqueConstraint(fields=('kind', 'object_id', 'page'), name='portal_searchentry_unik')],
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
