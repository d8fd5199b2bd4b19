"""The agreement portfolio: agreements and their versions."""

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from partnarskap.models import Partnar, Utval


class Avtale(models.Model):
    class Type(models.TextChoices):
        RAMMEAVTALE = "rammeavtale", "Rammeavtale"
        DELAVTALE = "delavtale", "Delavtale"
        SAERAVTALE = "saeravtale", "Særavtale"
        SAMARBEIDSAVTALE = "samarbeidsavtale", "Samarbeidsavtale"

    class Status(models.TextChoices):
        UTKAST = "utkast", "Utkast"
        GJELDANDE = "gjeldande", "Gjeldande"
        UNDER_REVISJON = "under_revisjon", "Under revisjon"
        OPPHEVA = "oppheva", "Oppheva"

    type = models.CharField("type", max_length=20, choices=Type.choices)
    nummer = models.CharField("nummer", max_length=20, blank=True)
    tittel = models.CharField("tittel", max_length=300)
    slug = models.SlugField("adresse", max_length=120, unique=True)
    tema = models.TextField("tema", blank=True)
    partar = models.ManyToManyField(
        Partnar, verbose_name="partar", related_name="avtalar", blank=True
    )
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.GJELDANDE
    )
    godkjent_av = models.ForeignKey(
        Utval,
        verbose_name="godkjent av",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="godkjende_avtalar",
    )
    neste_revisjon = models.DateField("neste revisjon", null=True, blank=True)
    utdjupar = models.ForeignKey(
        "self",
        verbose_name="utdjupar",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="utdjupa_av",
        help_text="Avtalen denne utdjupar, til dømes delavtalen ein særavtale byggjer på.",
    )
    rekkjefolgje = models.PositiveSmallIntegerField("rekkjefølgje", default=100)
    history = HistoricalRecords(m2m_fields=[partar])

    class Meta:
        verbose_name = "avtale"
        verbose_name_plural = "avtalar"
        ordering = ["type", "rekkjefolgje", "tittel"]

    def __str__(self) -> str:
        return self.tittel

    def get_absolute_url(self) -> str:
        return reverse("avtalar:avtale", args=[self.slug])


class Avtaleversjon(models.Model):
    avtale = models.ForeignKey(
        Avtale, verbose_name="avtale", on_delete=models.CASCADE, related_name="versjonar"
    )
    versjon = models.CharField("versjon", max_length=100, blank=True)
    godkjent_dato = models.DateField("godkjend", null=True, blank=True)
    godkjent_av = models.ForeignKey(
        Utval,
        verbose_name="godkjend av",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    gjeld_fra = models.DateField("gjeld frå", null=True, blank=True)
    samandrag = models.TextField("kva som er endra", blank=True)
    dokument = models.FileField("dokument (PDF)", upload_to="avtalar/%Y/", blank=True)
    kjelde_url = models.URLField("adresse til originaldokumentet", max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "avtaleversjon"
        verbose_name_plural = "avtaleversjonar"
        ordering = ["avtale", "-gjeld_fra", "-godkjent_dato", "-pk"]

    def __str__(self) -> str:
        return f"{self.avtale} – {self.versjon or 'versjon'}"
