"""The agreement portfolio: agreements and their versions."""

from datetime import date
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from simple_history.models import HistoricalRecords

from partnarskap.models import Partnar, Utval, today
from portal.editing import Versioned

if TYPE_CHECKING:
    from avtalar.signering import Celle
    from portal.search import Treff


class Avtale(Versioned):
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

    # What pages show of an agreement beside its fields, not stored: the agreement it builds
    # on if the user may see it (avtalar.access), its best search hit, a note on the front page.
    synleg_utdjupar: "Avtale | None"
    treff: "Treff | None"
    merknad: str
    # Set by the lists and exports (avtalar.views._with_facts) and a partner's page.
    gjeldande: "Avtaleversjon | None"
    partar_kort: str
    signering: "Celle"

    class Meta:
        verbose_name = "avtale"
        verbose_name_plural = "avtalar"
        ordering = ["type", "rekkjefolgje", "tittel"]

    def __str__(self) -> str:
        return self.tittel

    def get_absolute_url(self) -> str:
        return reverse("avtalar:avtale", args=[self.slug])

    # The methods below read ``versjonar.all()``: prefetch it on lists.

    def gjeldande_versjon(self, on: date | None = None) -> "Avtaleversjon | None":
        return gjeldande(self.versjonar.all(), on)

    def komande_versjonar(self, on: date | None = None) -> list["Avtaleversjon"]:
        on = on or today()
        coming = [
            v for v in self.versjonar.all() if v.godkjend and v.gjeld_fra and v.gjeld_fra > on
        ]
        return sorted(coming, key=lambda v: v.gjeld_fra or on)  # all have one (above)

    def revisjon_forfallen(self, on: date | None = None) -> bool:
        on = on or today()
        return self.neste_revisjon is not None and self.neste_revisjon < on


def _sort_key(version: "Avtaleversjon"):
    return (version.gjeld_fra or date.min, version.godkjent_dato or date.min, version.pk or 0)


def gjeldande(versions, on: date | None = None) -> "Avtaleversjon | None":
    """The current version: the newest approved version that applies on ``on`` (today).

    A version without a known start date (shipped data where the source gives only an upload
    month) applies, but ranks below any dated version."""
    on = on or today()
    candidates = [v for v in versions if v.godkjend and (v.gjeld_fra is None or v.gjeld_fra <= on)]
    return max(candidates, key=_sort_key, default=None)


def gjeldande_id(on: date | None = None, avtale=None) -> Subquery:
    """The id of the current version of ``avtale`` (the outer query's agreement unless
    given), by the same rule as ``gjeldande``, worked out in the database: for lists that
    need the current version of many agreements and nothing else of their versions."""
    on = on or today()
    versions = Avtaleversjon.objects.filter(
        Q(gjeld_fra__isnull=True) | Q(gjeld_fra__lte=on),
        avtale=avtale if avtale is not None else OuterRef("pk"),
        godkjend=True,
    ).order_by(
        F("gjeld_fra").desc(nulls_last=True), F("godkjent_dato").desc(nulls_last=True), "-pk"
    )
    return Subquery(versions.values("pk")[:1])


class Avtaleversjon(Versioned):
    avtale = models.ForeignKey(
        Avtale, verbose_name="avtale", on_delete=models.CASCADE, related_name="versjonar"
    )
    versjon = models.CharField("versjon", max_length=100, blank=True)
    godkjend = models.BooleanField(
        "godkjend",
        default=True,
        help_text="Berre godkjende versjonar kan bli gjeldande.",
    )
    godkjent_dato = models.DateField("godkjend dato", null=True, blank=True)
    godkjent_av = models.ForeignKey(
        Utval,
        verbose_name="godkjend av",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    gjeld_fra = models.DateField("gjeld frå", null=True, blank=True)
    dato_tekst = models.CharField(
        "dato slik kjelda oppgjev",
        max_length=100,
        blank=True,
        help_text="Når kjelda berre gjev månad eller år, til dømes «lasta opp oktober 2016».",
    )
    samandrag = models.TextField("kva som er endra", blank=True)
    dokument = models.FileField("dokument (PDF)", upload_to="avtalar/%Y/", blank=True)
    kjelde_url = models.URLField("adresse til originaldokumentet", max_length=500, blank=True)
    history = HistoricalRecords()
    # Where the agreement's page places the version, not stored.
    er_gjeldande: bool
    kjem: bool

    class Meta:
        verbose_name = "avtaleversjon"
        verbose_name_plural = "avtaleversjonar"
        ordering = ["avtale", "-gjeld_fra", "-godkjent_dato", "-pk"]

    def __str__(self) -> str:
        return f"{self.avtale} – {self.versjon or 'versjon'}"

    @property
    def har_dokument(self) -> bool:
        return bool(self.dokument) or bool(self.kjelde_url)

    def dokument_url(self) -> str:
        """Where the document opens: the uploaded file through the portal, or the original."""
        if self.dokument:
            return reverse("avtalar:dokument", args=[self.avtale.slug, self.pk])
        return self.kjelde_url

    def filnamn(self) -> str:
        """The download name, built from the agreement, never from the uploaded file."""
        when = self.gjeld_fra or self.godkjent_dato
        suffix = f"-{when:%Y-%m-%d}" if when else f"-{self.pk}"
        return f"{self.avtale.slug}{suffix}.pdf"


class Signering(Versioned):
    """That a party signed a version of an agreement, and when; entered by the secretariat.
    The rammeavtale and the delavtalar are signed by Helse Førde and each municipality
    separately."""

    versjon = models.ForeignKey(
        Avtaleversjon,
        verbose_name="avtaleversjon",
        on_delete=models.CASCADE,
        related_name="signeringar",
    )
    partnar = models.ForeignKey(
        Partnar, verbose_name="part", on_delete=models.PROTECT, related_name="signeringar"
    )
    dato = models.DateField("signert dato")
    dokument = models.FileField("signert dokument (PDF)", upload_to="signeringar/%Y/", blank=True)
    merknad = models.CharField("merknad", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "signering"
        verbose_name_plural = "signeringar"
        ordering = ["versjon", "partnar__type", "partnar__namn"]
        constraints = [
            models.UniqueConstraint(
                fields=["versjon", "partnar"], name="avtalar_signering_ein_per_part"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partnar} signerte {self.versjon}"

    def get_absolute_url(self) -> str:
        return self.versjon.avtale.get_absolute_url()

    def dokument_url(self) -> str:
        return reverse("avtalar:signering_dokument", args=[self.pk]) if self.dokument else ""
