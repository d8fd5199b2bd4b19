from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone


class Dataversjon(models.Model):
    """A single row whose stamp changes after every write to the portal's data. Cached pages
    are keyed on it (see portal.sidebuffer), so a write makes every cached page stale at once
    without anyone having to know which pages showed what."""

    stempel = models.CharField("stempel", max_length=32)
    endra = models.DateTimeField("sist endra")

    class Meta:
        verbose_name = "dataversjon"
        verbose_name_plural = "dataversjonar"

    def __str__(self) -> str:
        return f"{self.stempel} ({timezone.localtime(self.endra):%Y-%m-%d %H:%M})"


class SearchEntry(models.Model):
    """One thing the search can find: an object (``page`` 0) or one page of an object's PDF.

    Made by ``portal.search_index`` from what the apps declare (their ``search_sources()``),
    with the terms of portal.analyse in three weight groups: a (title), b (summary), c
    (body). PostgreSQL matches ``vector`` (the same terms, weighted, GIN-indexed); SQLite
    matches a full-text table over ``terms_*`` kept by triggers (both made in migration
    0002). Who may see it is stored with it, so the query itself leaves out the rest."""

    kind = models.CharField("slag", max_length=30)
    object_id = models.BigIntegerField("objekt")
    page = models.PositiveIntegerField("side", default=0)
    # What a hit belongs to: the agreement of a version's document, the sak of an attachment.
    owner_id = models.BigIntegerField("høyrer til")
    title = models.CharField("tittel", max_length=500)
    url = models.CharField("adresse", max_length=500)
    note = models.CharField("merknad", max_length=500, blank=True)
    text_a = models.TextField("tittel som tekst", blank=True)
    text_b = models.TextField("samandrag som tekst", blank=True)
    text_c = models.TextField("brødtekst", blank=True)
    terms_a = models.TextField("søkjeord i tittelen", blank=True)
    terms_b = models.TextField("søkjeord i samandraget", blank=True)
    terms_c = models.TextField("søkjeord i brødteksten", blank=True)
    public = models.BooleanField("offentleg", default=True)
    # Besides the secretariat, the members of this utval may see what is not public.
    utval_id = models.BigIntegerField("utval", null=True, blank=True)
    # For versions: when it applies, so the current version ranks first among equals.
    date = models.DateField("dato", null=True, blank=True)
    # The stored file a document's pages were read from (on the document's page-0 row).
    source = models.CharField("kjeldefil", max_length=300, blank=True)
    vector = SearchVectorField("søkjevektor", null=True, blank=True)

    class Meta:
        verbose_name = "søkjeoppslag"
        verbose_name_plural = "søkjeoppslag"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "page"], name="portal_searchentry_unik"
            )
        ]
        indexes = [models.Index(fields=["kind", "owner_id"], name="portal_searchentry_owner")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}" + (f" side {self.page}" if self.page else "")


class SearchWord(models.Model):
    """A word the index holds, as written, with its term: where "Meinte du …?" looks for
    what a misspelt word was meant to be. Only grows between rebuilds; a suggestion is
    shown only when it finds something the user may see."""

    word = models.CharField("ord", max_length=100, unique=True)
    term = models.CharField("søkjeord", max_length=100, db_index=True)
    length = models.PositiveSmallIntegerField("lengd", db_index=True)

    class Meta:
        verbose_name = "ord i søkjeindeksen"
        verbose_name_plural = "ord i søkjeindeksen"

    def __str__(self) -> str:
        return self.word
