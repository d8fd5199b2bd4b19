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
