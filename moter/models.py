"""Meetings: the møteplan, agendas (saker with vedlegg), minutes (referat) and the built
meeting packs (møtepakkar)."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from avtalar.models import Avtale
from handlingsplan.models import Tiltak
from partnarskap.models import Partnar, Person, Utval
from portal.editing import Versioned


class Mote(Versioned):
    class Type(models.TextChoices):
        UTVALSMOTE = "utvalsmote", "Utvalsmøte"
        ERFARINGSKONFERANSE = "erfaringskonferanse", "Erfaringskonferanse"
        SAMHANDLINGSKONFERANSE = "samhandlingskonferanse", "Samhandlingskonferanse"
        DAGSAMLING = "dagsamling", "Dagsamling"

    class Vertskap(models.TextChoices):
        KOMMUNANE = "kommunane", "Kommunane"
        HELSE_FORDE = "helse-forde", "Helse Førde"

    class Status(models.TextChoices):
        PLANLAGT = "planlagt", "Planlagt"
        INNKALLA = "innkalla", "Innkalla"
        HALDE = "halde", "Halde"
        AVLYST = "avlyst", "Avlyst"

    type = models.CharField("type", max_length=30, choices=Type.choices, default=Type.UTVALSMOTE)
    utval = models.ForeignKey(
        Utval,
        verbose_name="utval",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="moter",
    )
    tittel = models.CharField(
        "tittel",
        max_length=200,
        blank=True,
        help_text="For konferansar og samlingar. Utvalsmøte heiter det same som utvalet.",
    )
    dato = models.DateField("dato")
    til_dato = models.DateField(
        "til dato", null=True, blank=True, help_text="Berre for samlingar over fleire dagar."
    )
    start = models.TimeField("startar", null=True, blank=True)
    slutt = models.TimeField("sluttar", null=True, blank=True)
    stad = models.CharField("stad", max_length=200, blank=True)
    vertskap = models.CharField(
        "arrangør/møtestad", max_length=20, choices=Vertskap.choices, blank=True
    )
    runde = models.PositiveSmallIntegerField(
        "møterunde",
        null=True,
        blank=True,
        help_text="Rada i møteplanen for året (1 for den første møterunden, og så vidare).",
    )
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.PLANLAGT
    )
    offentlege_papir = models.BooleanField(
        "sakspapira er offentlege",
        default=True,
        help_text="Av: berre medlemmar i utvalet og sekretariatet ser sakspapira.",
    )
    endringar_i_pakke = models.BooleanField(
        "endringar sidan førre møte i møtepakka",
        default=False,
        help_text="Møtepakka får eit fast avsnitt med endringane i planen og avtalane sidan "
        "førre møte i utvalet, slik dei står når pakka vert laga.",
    )
    # Raised on every change a calendar must pick up (iCalendar SEQUENCE).
    sekvens = models.PositiveIntegerField("kalenderversjon", default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "møte"
        verbose_name_plural = "møte"
        ordering = ["dato", "start", "pk"]
        indexes = [models.Index(fields=["dato"])]

    def __str__(self) -> str:
        return f"{self.namn} {self.dato:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("moter:mote", args=[self.pk])

    @property
    def namn(self) -> str:
        if self.tittel:
            return self.tittel
        if self.utval_id:
            return self.utval.namn
        return self.get_type_display()

    @property
    def har_referat(self) -> bool:
        """Select ``referat`` with lists that ask."""
        return hasattr(self, "referat")

    @property
    def avlyst(self) -> bool:
        return self.status == self.Status.AVLYST

    @property
    def kalender_uid(self) -> str:
        return f"mote-{self.pk}@helsefellesskap.moter"

    def clean(self) -> None:
        errors = {}
        if self.type == self.Type.UTVALSMOTE and not self.utval_id:
            errors["utval"] = "Vel utvalet som skal møtast."
        if self.til_dato and self.til_dato < self.dato:
            errors["til_dato"] = "Sluttdatoen kan ikkje vere før startdatoen."
        same_day = not self.til_dato or self.til_dato == self.dato
        if self.start and self.slutt and same_day and self.slutt <= self.start:
            errors["slutt"] = "Møtet kan ikkje slutte før det startar."
        if self.slutt and not self.start:
            errors["start"] = "Skriv når møtet startar når du har skrive når det sluttar."
        if errors:
            raise ValidationError(errors)

    def neste_saksnummer(self) -> int:
        top = Sak.objects.filter(utval_id=self.utval_id, ar=self.dato.year).aggregate(
            m=Max("nummer")
        )["m"]
        return (top or 0) + 1


class Sak(Versioned):
    class Type(models.TextChoices):
        VEDTAK = "vedtak", "Vedtakssak"
        DROFTING = "drofting", "Drøftingssak"
        ORIENTERING = "orientering", "Orienteringssak"

    mote = models.ForeignKey(
        Mote, verbose_name="møte", on_delete=models.CASCADE, related_name="saker"
    )
    # Copied from the meeting, so a number is unique per utval and year in the database.
    utval = models.ForeignKey(
        Utval, verbose_name="utval", null=True, on_delete=models.PROTECT, related_name="saker"
    )
    ar = models.PositiveSmallIntegerField("år")
    nummer = models.PositiveIntegerField("saksnummer")
    tittel = models.CharField("tittel", max_length=300)
    type = models.CharField("type", max_length=20, choices=Type.choices, default=Type.VEDTAK)
    saksframlegg = models.TextField("saksframlegg", blank=True)
    forslag_til_vedtak = models.TextField("forslag til vedtak", blank=True)
    vedtak = models.TextField("vedtak", blank=True)
    offentleg = models.BooleanField(
        "offentleg",
        default=True,
        help_text="Av for saker som er unnatekne offentlegheit: berre medlemmane ser dei.",
    )
    rekkjefolgje = models.PositiveIntegerField("rekkjefølgje", default=0)
    avtalar = models.ManyToManyField(
        Avtale, verbose_name="avtalar", related_name="saker", blank=True
    )
    tiltak = models.ManyToManyField(Tiltak, verbose_name="tiltak", related_name="saker", blank=True)
    partnarar = models.ManyToManyField(
        Partnar,
        verbose_name="gjeld partnarar",
        related_name="saker",
        blank=True,
        help_text="Partnarar saka gjeld direkte (utover avtalane og tiltaka ho viser til).",
    )
    history = HistoricalRecords(m2m_fields=[avtalar, tiltak, partnarar])
    unversioned_fields = ("rekkjefolgje",)  # moved on the agenda without a new version

    class Meta:
        verbose_name = "sak"
        verbose_name_plural = "saker"
        ordering = ["mote", "rekkjefolgje", "nummer"]
        constraints = [
            models.UniqueConstraint(
                fields=["utval", "ar", "nummer"], name="moter_sak_nummer_unik_per_utval_og_ar"
            )
        ]

    def __str__(self) -> str:
        return f"Sak {self.saksnummer} {self.tittel}"

    def get_absolute_url(self) -> str:
        return f"{self.mote.get_absolute_url()}#sak-{self.pk}"

    @property
    def saksnummer(self) -> str:
        return f"{self.nummer}/{self.ar % 100:02d}"

    def validate_unique(self, exclude=None) -> None:
        super().validate_unique(exclude)
        taken = Sak.objects.filter(utval_id=self.utval_id, ar=self.ar, nummer=self.nummer)
        if self.utval_id and taken.exclude(pk=self.pk).exists():
            raise ValidationError(
                {"nummer": f"Saksnummeret {self.saksnummer} er alt brukt i {self.ar}."}
            )


def vedlegg_path(instance: "Vedlegg", filename: str) -> str:
    """The portal's own name for a stored attachment, never the uploaded name or extension
    (which a user chooses: "../", "x.html", a name that says something it should not)."""
    return f"moter/vedlegg/{timezone.now():%Y}/{uuid.uuid4().hex}.pdf"


class Vedlegg(models.Model):
    sak = models.ForeignKey(
        Sak, verbose_name="sak", on_delete=models.CASCADE, related_name="vedlegg"
    )
    tittel = models.CharField("tittel", max_length=300)
    fil = models.FileField("fil (PDF)", upload_to=vedlegg_path)
    sider = models.PositiveIntegerField("sider", default=0, editable=False)
    storleik = models.PositiveIntegerField("storleik (byte)", default=0, editable=False)
    sjekksum = models.CharField("sjekksum", max_length=64, blank=True, editable=False)
    rekkjefolgje = models.PositiveIntegerField("rekkjefølgje", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "vedlegg"
        verbose_name_plural = "vedlegg"
        ordering = ["sak", "rekkjefolgje", "pk"]

    def __str__(self) -> str:
        return self.tittel

    def get_absolute_url(self) -> str:
        return reverse("moter:vedlegg", args=[self.pk])


class Referat(Versioned):
    mote = models.OneToOneField(
        Mote, verbose_name="møte", on_delete=models.CASCADE, related_name="referat"
    )
    merknad = models.TextField("merknader", blank=True)
    godkjent_i = models.ForeignKey(
        Mote,
        verbose_name="godkjent i møtet",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="godkjende_referat",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "referat"
        verbose_name_plural = "referat"

    def __str__(self) -> str:
        return f"Referat frå {self.mote}"

    def get_absolute_url(self) -> str:
        return f"{self.mote.get_absolute_url()}#referat"

    def clean(self) -> None:
        if self.godkjent_i_id and self.mote_id:
            later = self.godkjent_i
            if later.pk == self.mote_id or later.dato <= self.mote.dato:
                raise ValidationError({"godkjent_i": "Referatet vert godkjent i eit seinare møte."})


class Deltaking(models.Model):
    class Status(models.TextChoices):
        TIL_STADES = "til_stades", "Til stades"
        FRAVERANDE = "fraverande", "Fråverande"
        VARA = "vara", "Møtte som vara"

    referat = models.ForeignKey(
        Referat, verbose_name="referat", on_delete=models.CASCADE, related_name="deltaking"
    )
    person = models.ForeignKey(
        Person, verbose_name="person", on_delete=models.PROTECT, related_name="motedeltaking"
    )
    status = models.CharField(
        "oppmøte", max_length=20, choices=Status.choices, default=Status.TIL_STADES
    )
    vara_for = models.ForeignKey(
        Person,
        verbose_name="vara for",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="motedeltaking_som_vara_for",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "deltaking"
        verbose_name_plural = "deltaking"
        ordering = ["referat", "person__namn"]
        constraints = [
            models.UniqueConstraint(fields=["referat", "person"], name="moter_deltaking_ein_gong")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_status_display().lower()}"

    def clean(self) -> None:
        if self.status == self.Status.VARA and not self.vara_for_id:
            raise ValidationError({"vara_for": "Vel kven vedkomande møtte som vara for."})
        if self.status != self.Status.VARA and self.vara_for_id:
            raise ValidationError({"vara_for": "Berre den som møtte som vara, er vara for nokon."})


class Motepakke(models.Model):
    """A built meeting pack on disk. One row per meeting and audience; the fingerprint says
    what it was built from, so an unchanged pack is served as it is."""

    class Publikum(models.TextChoices):
        ALLE = "alle", "Offentleg"
        MEDLEMMAR = "medlemmar", "Medlemmar"

    class Status(models.TextChoices):
        VENTAR = "ventar", "Ventar"
        BYGGJER = "byggjer", "Byggjer"
        FERDIG = "ferdig", "Ferdig"
        FEILA = "feila", "Feila"

    mote = models.ForeignKey(
        Mote, verbose_name="møte", on_delete=models.CASCADE, related_name="pakkar"
    )
    publikum = models.CharField("publikum", max_length=20, choices=Publikum.choices)
    fingeravtrykk = models.CharField("fingeravtrykk", max_length=64, blank=True)
    fil = models.CharField("fil", max_length=300, blank=True)
    sider = models.PositiveIntegerField("sider", default=0)
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.VENTAR
    )
    framdrift = models.PositiveSmallIntegerField("framdrift (prosent)", default=0)
    feil = models.TextField("feil", blank=True)
    oppdatert = models.DateTimeField("oppdatert", default=timezone.now)

    class Meta:
        verbose_name = "møtepakke"
        verbose_name_plural = "møtepakkar"
        constraints = [
            models.UniqueConstraint(
                fields=["mote", "publikum"], name="moter_ein_pakke_per_publikum"
            )
        ]

    def __str__(self) -> str:
        return f"Møtepakke ({self.get_publikum_display().lower()}) for møte {self.mote_id}"


class Utsending(models.Model):
    """One innkalling (or update, or cancellation) sent by e-mail: kept on the meeting, so
    the secretariat can see what went out, to whom and when."""

    class Type(models.TextChoices):
        INNKALLING = "innkalling", "Innkalling"
        ENDRING = "endring", "Endra innkalling"
        AVLYSING = "avlysing", "Avlysing"

    mote = models.ForeignKey(
        Mote, verbose_name="møte", on_delete=models.CASCADE, related_name="utsendingar"
    )
    type = models.CharField("type", max_length=20, choices=Type.choices)
    sendt = models.DateTimeField("sendt", auto_now_add=True)
    sendt_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="sendt av",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    emne = models.CharField("emne", max_length=300)
    mottakarar = models.TextField("mottakarar", help_text="Namn og e-postadresse, ei per linje.")
    kalenderversjon = models.PositiveIntegerField("kalenderversjon")

    class Meta:
        verbose_name = "utsending"
        verbose_name_plural = "utsendingar"
        ordering = ["-sendt", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {timezone.localtime(self.sendt):%d.%m.%Y %H:%M}"

    @property
    def mottakarliste(self) -> list[str]:
        return [line for line in self.mottakarar.splitlines() if line]
