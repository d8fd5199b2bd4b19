"""The strategy and the action plan: innsatsområde, delmål and tiltak."""

from collections.abc import Sequence

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from avtalar.models import Avtale
from partnarskap.models import Partnar, Utval
from portal.editing import Tracked, Versioned


class Strategi(models.Model):
    tittel = models.CharField("tittel", max_length=200)
    fra_ar = models.PositiveSmallIntegerField("frå år")
    til_ar = models.PositiveSmallIntegerField("til år")
    innleiing = models.TextField("innleiing", blank=True)
    hovudmal = models.TextField("hovudmål", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "strategi"
        verbose_name_plural = "strategiar"
        ordering = ["-fra_ar"]

    def __str__(self) -> str:
        return self.tittel

    def get_absolute_url(self) -> str:
        return reverse("handlingsplan:strategi", args=[self.pk])

    @property
    def periode(self) -> str:
        return f"{self.fra_ar}–{self.til_ar}"


class StrategiInnsatsomrade(models.Model):
    """An innsatsområde of the strategy, with what the partnership will prioritise in it."""

    strategi = models.ForeignKey(
        Strategi, verbose_name="strategi", on_delete=models.CASCADE, related_name="innsatsomrade"
    )
    rekkjefolgje = models.PositiveSmallIntegerField("rekkjefølgje", default=0)
    tittel = models.CharField("tittel", max_length=200)
    tekst = models.TextField("tekst", blank=True)
    prioritering = models.TextField(
        "dette skal prioriterast", blank=True, help_text="Eitt punkt per linje."
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "innsatsområde i strategien"
        verbose_name_plural = "innsatsområde i strategien"
        ordering = ["strategi", "rekkjefolgje"]

    def __str__(self) -> str:
        return self.tittel

    @property
    def prioriteringar(self) -> list[str]:
        return [line.strip() for line in self.prioritering.splitlines() if line.strip()]


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


class Handlingsplan(Tracked, models.Model):
    tittel = models.CharField("tittel", max_length=200)
    fra_ar = models.PositiveSmallIntegerField("frå år")
    til_ar = models.PositiveSmallIntegerField("til år")
    hovudmal = models.TextField("hovudmål", blank=True)
    undertittel = models.CharField("undertittel", max_length=200, blank=True)
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

    def get_absolute_url(self) -> str:
        return reverse("handlingsplan:periode", args=[self.fra_ar, self.til_ar])

    @property
    def periode(self) -> str:
        return f"{self.fra_ar}–{self.til_ar}"


class Innsatsomrade(Tracked, models.Model):
    plan = models.ForeignKey(
        Handlingsplan, verbose_name="plan", on_delete=models.CASCADE, related_name="innsatsomrade"
    )
    nummer = models.PositiveSmallIntegerField("nummer")
    tittel = models.CharField("tittel", max_length=200)
    mal = models.TextField("mål", blank=True)
    history = HistoricalRecords()
    delmal_liste: list["Delmal"]  # its delmål in the plan's tree (handlingsplan.tre), not stored

    class Meta:
        verbose_name = "innsatsområde"
        verbose_name_plural = "innsatsområde"
        ordering = ["plan", "nummer"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "nummer"], name="innsatsomrade_nummer_unik")
        ]

    def __str__(self) -> str:
        return f"Innsatsområde {self.nummer}: {self.tittel}"


class Delmal(Versioned):
    innsatsomrade = models.ForeignKey(
        Innsatsomrade, verbose_name="innsatsområde", on_delete=models.CASCADE, related_name="delmal"
    )
    nummer = models.CharField("nummer", max_length=10)
    tekst = models.TextField("delmål", blank=True)
    rekkjefolgje = models.PositiveSmallIntegerField("rekkjefølgje", default=0)
    history = HistoricalRecords()
    unversioned_fields = ("rekkjefolgje",)  # moved up and down without a new version
    tiltak_liste: list["Tiltak"]  # its tiltak in the plan's tree (handlingsplan.tre), not stored

    class Meta:
        verbose_name = "delmål"
        verbose_name_plural = "delmål"
        ordering = ["innsatsomrade", "rekkjefolgje", "nummer"]

    def __str__(self) -> str:
        return f"{self.nummer} {self.tekst}".strip()

    def get_absolute_url(self) -> str:
        return reverse("handlingsplan:delmal", args=[self.pk])

    @property
    def slett_sporsmal(self) -> str:
        """What the delete button asks first; it names the tiltak that go with the delmål."""
        tiltak = getattr(self, "tiltak_liste", [])
        under = f" og dei {len(tiltak)} tiltaka under det" if tiltak else ""
        return f"Vil du slette delmål {self.nummer}{under}?"


class Tiltak(Versioned):
    class Status(models.TextChoices):
        IKKJE_STARTA = "ikkje_starta", "Ikkje starta"
        PAGAR = "pagar", "Pågår"
        FULLFORT = "fullfort", "Fullført"
        UTSETT = "utsett", "Utsett"
        AVSLUTTA = "avslutta", "Avslutta"

    # Done: neither counts as past its frist.
    FERDIG = (Status.FULLFORT, Status.AVSLUTTA)

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
    alle_partnarar = models.BooleanField(
        "alle partnarane",
        default=False,
        help_text="Ansvaret ligg hos partnarane i fellesskap («Partnarane» i planen).",
    )
    ansvarleg_anna = models.CharField(
        "anna ansvarleg",
        max_length=200,
        blank=True,
        help_text="Ansvarleg som verken er eit utval eller ein partnar.",
    )
    frist = models.DateField(
        "frist", null=True, blank=True, help_text="Siste dag; for ein periode: slutten av han."
    )
    frist_tekst = models.CharField(
        "frist (periode)",
        max_length=60,
        blank=True,
        help_text="Til dømes «2024» eller «haust 2024».",
    )
    # Blank: the plan does not say (the shipped plan gives no status for any tiltak).
    status = models.CharField("status", max_length=20, choices=Status.choices, blank=True)
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
    history = HistoricalRecords(m2m_fields=[ansvarleg_utval, ansvarleg_partnarar, avtalar])
    unversioned_fields = ("rekkjefolgje",)  # moved up and down without a new version

    # What the plan's pages show of a tiltak beside its fields (handlingsplan.tre), not stored.
    ansvarleg: list[str]
    over_frist: bool
    utval_slugs: set[str]
    partnar_slugs: set[str]
    avtaleliste: "Sequence[Avtale]" = ()  # those the reader may see
    siste_framdrift: "Framdrift | None"
    historisk = False  # rebuilt from history: as the plan stood on a past date

    class Meta:
        verbose_name = "tiltak"
        verbose_name_plural = "tiltak"
        ordering = ["delmal", "rekkjefolgje", "pk"]

    def __str__(self) -> str:
        return self.tekst

    def get_absolute_url(self) -> str:
        return reverse("handlingsplan:tiltak", args=[self.pk])

    @property
    def frist_visning(self) -> str:
        if self.frist_tekst:
            return self.frist_tekst
        return self.frist.strftime("%d.%m.%Y") if self.frist else ""

    @property
    def status_visning(self) -> str:
        return self.get_status_display() if self.status else "Ikkje oppgitt"

    def er_over_frist(self, on=None) -> bool:
        on = on or timezone.localdate()
        return bool(self.frist and self.frist < on and self.status not in self.FERDIG)


class Framdrift(models.Model):
    """A dated progress report on a tiltak: a status change, a note, or both. Never edited,
    so the plan's progress can be told for any past date."""

    tiltak = models.ForeignKey(
        Tiltak, verbose_name="tiltak", on_delete=models.CASCADE, related_name="framdrift"
    )
    dato = models.DateField("dato", default=timezone.localdate)
    status = models.CharField("ny status", max_length=20, choices=Tiltak.Status.choices, blank=True)
    notat = models.TextField("framdriftsnotat", blank=True)
    registrert = models.DateTimeField("registrert", default=timezone.now)
    registrert_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="registrert av",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "framdrift"
        verbose_name_plural = "framdrift"
        ordering = ["tiltak", "-registrert", "-pk"]

    def __str__(self) -> str:
        return f"{self.dato:%d.%m.%Y}: {self.get_status_display() or self.notat[:40]}"
