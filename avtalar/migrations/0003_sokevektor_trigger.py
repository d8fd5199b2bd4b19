"""Full-text search over agreements on PostgreSQL: a trigger keeps avtale.sokevektor current
from the title, number and topic and from every version's label and summary (so a new or
edited version is searchable at once, however it was saved), and a GIN index makes the
search fast. SQLite has neither; the app falls back to a plain match there."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION avtalar_avtale_sokevektor() RETURNS trigger AS $$
BEGIN
  NEW.sokevektor :=
    setweight(to_tsvector('norwegian', coalesce(NEW.tittel, '') || ' ' || coalesce(NEW.nummer, '')), 'A') ||
    setweight(to_tsvector('norwegian', coalesce(NEW.tema, '')), 'B') ||
    setweight(to_tsvector('norwegian', coalesce(
      (SELECT string_agg(v.versjon || ' ' || v.samandrag, ' ')
         FROM avtalar_avtaleversjon v WHERE v.avtale_id = NEW.id), '')), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER avtalar_avtale_sokevektor
  BEFORE INSERT OR UPDATE OF tittel, nummer, tema, sokevektor ON avtalar_avtale
  FOR EACH ROW EXECUTE FUNCTION avtalar_avtale_sokevektor();

CREATE OR REPLACE FUNCTION avtalar_avtaleversjon_sokevektor() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE avtalar_avtale SET sokevektor = NULL WHERE id = NEW.avtale_id;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE avtalar_avtale SET sokevektor = NULL WHERE id = OLD.avtale_id;
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER avtalar_avtaleversjon_sokevektor
  AFTER INSERT OR UPDATE OF avtale_id, versjon, samandrag OR DELETE ON avtalar_avtaleversjon
  FOR EACH ROW EXECUTE FUNCTION avtalar_avtaleversjon_sokevektor();

CREATE INDEX avtale_sokevektor_gin ON avtalar_avtale USING gin (sokevektor);

UPDATE avtalar_avtale SET sokevektor = NULL;
"""

BACKWARD = """
DROP INDEX IF EXISTS avtale_sokevektor_gin;
DROP TRIGGER IF EXISTS avtalar_avtaleversjon_sokevektor ON avtalar_avtaleversjon;
DROP FUNCTION IF EXISTS avtalar_avtaleversjon_sokevektor();
DROP TRIGGER IF EXISTS avtalar_avtale_sokevektor ON avtalar_avtale;
DROP FUNCTION IF EXISTS avtalar_avtale_sokevektor();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("avtalar", "0002_versjonsfakta_og_sokevektor")]

    operations = [migrations.RunPython(forward, backward)]
