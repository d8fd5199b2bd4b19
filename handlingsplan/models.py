"""The strategy and the action plan: innsatsområde, delmål and tiltak."""

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from avtalar.models import Avtale
from partnarskap.models import Partnar, Utval


class Strategi(models.Model):
    tittel = models.CharField("tittel", max_length=200)
    fra_ar = models.PositiveSmallIntegerField("frå år")
    til_ar = models.PositiveSmallIntegerField("til år")
    innleiing = models.TextField("innleiing", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "strategi"
        verbose_name_plural = "strategiar"
        ordering = ["-fra_ar"]

    def __str__(self) -> str:
        return self.tittel


class Pasientgruppe(models.Model):
    strategi = models.ForeignKey(
        Strategi, verbose_name="strategi", on_delete=models.CASCADE, related_name="pasientgrupper"
    )
    namn = models.CharField("namn", max_length=200)
    rekkjefolgje = models.PositiveSmallIntegerField("rekkjefølgje", default=0)
    bakgrunn = models.TextField("bakgrunn", blank=True)
    prioritering = models.TextField("kva helsefellesskapet vil prioritere", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "prioritert pasientgruppe"
        verbose_name_plural = "prioriterte pasientgrupper"
        ordering = ["strategi", "rekkjefolgje"]

    def __str__(self) -> str:
        return self.namn


class Handlingsplan(models.Model):
    tittel = models.CharField("tittel", max_length=200)
    fra_ar = models.PositiveSmallIntegerField("frå år")
    til_ar = models.PositiveSmallIntegerField("til år")
    hovudmal = models.TextField("hovudmål", blank=True)
    strategi = models.ForeignKey(
        Strategi, verbose_name="strategi", null=True, blank=True, on_delete=models.SET_NULL
    )
    forgjengar = models.ForeignKey(
        "self",
        verbose_name="førre plan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="etterfolgarar",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "handlingsplan"
        verbose_name_plural = "handlingsplanar"
        ordering = ["-fra_ar"]

    def __str__(self) -> str:
        return self.tittel

    @property
    def periode(self) -> str:
        return f"{self.fra_ar}–{self.til_ar}"


class Innsatsomrade(models.Model):
    plan = models.ForeignKey(
        Handlingsplan, verbose_name="plan", on_delete=models.CASCADE, related_name="innsatsomrade"
    )
    nummer = models.PositiveSmallIntegerField("nummer")
    tittel = models.CharField("tittel", max_length=200)
    mal = models.TextField("mål", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "innsatsområde"
        verbose_name_plural = "innsatsområde"
        ordering = ["plan", "nummer"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "nummer"], name="innsatsomrade_nummer_unik")
        ]

    def __str__(self) -> str:
        return f"Innsatsområde {self.nummer}: {self.tittel}"


class Delmal(models.Model):
    innsatsomrade = models.ForeignKey(
        Innsatsomrade, verbose_name="innsatsområde", on_delete=models.CASCADE, related_name="delmal"
    )
    nummer = models.CharField("nummer", max_length=10)
    tekst = models.TextField("delmål", blank=True)
    rekkjefolgje = models.PositiveSmallIntegerField("rekkjefølgje", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "delmål"
        verbose_name_plural = "delmål"
        ordering = ["innsatsomrade", "rekkjefolgje", "nummer"]

    def __str__(self) -> str:
        return f"{self.nummer} {self.tekst}".strip()


class Tiltak(models.Model):
    class Status(models.TextChoices):
        IKKJE_STARTA = "ikkje_starta", "Ikkje starta"
        PAGAR = "pagar", "Pågår"
        FULLFORT = "fullfort", "Fullført"
        UTSETT = "utsett", "Utsett"
        AVSLUTTA = "avslutta", "Avslutta"

    delmal = models.ForeignKey(
        Delmal, verbose_name="delmål", on_delete=models.CASCADE, related_name="tiltak"
    )
    tekst = models.TextField("tiltak")
    ansvarleg_utval = models.ManyToManyField(
        Utval, verbose_name="ansvarlege utval", blank=True, related_name="tiltak"
    )
    ansvarleg_partnarar = models.ManyToManyField(
        Partnar, verbose_name="ansvarlege partnarar", blank=True, related_name="tiltak"
    )
    frist = models.DateField("frist", null=True, blank=True)
    frist_tekst = models.CharField(
        "frist (periode)",
        max_length=60,
        blank=True,
        help_text="Til dømes «2024» eller «haust 2024».",
    )
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.IKKJE_STARTA
    )
    kommentar = models.TextField("kommentar", blank=True)
    rekkjefolgje = models.PositiveSmallIntegerField("rekkjefølgje", default=0)
    avtalar = models.ManyToManyField(
        Avtale, verbose_name="avtalar", blank=True, related_name="tiltak"
    )
    pasientgruppe = models.ForeignKey(
        Pasientgruppe,
        verbose_name="prioritert pasientgruppe",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tiltak",
    )
    vidarefort_fra = models.ForeignKey(
        "self",
        verbose_name="vidareført frå",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="vidarefort_til",
    )
    versjon = models.PositiveIntegerField("versjon", default=1, editable=False)
    history = HistoricalRecords(m2m_fields=[ansvarleg_utval, ansvarleg_partnarar, avtalar])

    class Meta:
        verbose_name = "tiltak"
        verbose_name_plural = "tiltak"
        ordering = ["delmal", "rekkjefolgje", "pk"]

    def __str__(self) -> str:
        return self.tekst

    def get_absolute_url(self) -> str:
        return reverse("handlingsplan:tiltak", args=[self.pk])
