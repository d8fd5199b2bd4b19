"""Meetings: the møteplan, agendas (saker with vedlegg), minutes (referat) and the built
meeting packs (møtepakkar)."""

import uuid
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from avtalar.models import Avtale
from handlingsplan.models import Tiltak
from partnarskap.models import Partnar, Person, Utval
from portal.editing import Versioned

if TYPE_CHECKING:
    from moter.forms import VedleggForm

LAAST = (
    "Referatet frå møtet er godkjent, så møtet er låst: møtefakta, saklista, sakene, vedlegga "
    "og referatet kan ikkje endrast. Sekretariatet kan opne referatet att med ei grunngjeving."
)


def laast_no(mote_id: int | None) -> bool:
    """Whether the meeting's referat is approved as saved now (``Mote.laast`` says what
    was read with the meeting)."""
    if not mote_id:
        return False
    return Referat.objects.filter(mote_id=mote_id, godkjent_i__isnull=False).exists()


def refuse_if_locked(mote_id: int | None) -> None:
    """A ValidationError when the meeting is locked: every model of a meeting's papers
    checks it in ``clean``, so no way of saving them through a form (a restore from history
    included) changes a locked meeting (moter.syklus)."""
    if laast_no(mote_id):
        raise ValidationError(LAAST, code="laast")


class MoteQuerySet(models.QuerySet["Mote"]):
    def halde(self, today: date | None = None) -> "MoteQuerySet":
        """Meetings that have been held: not cancelled, and marked as held or with their
        last day before ``today`` (the local date unless given); see ``Mote.tilstand``."""
        today = today or timezone.localdate()
        passed = Q(til_dato__lt=today) | Q(til_dato__isnull=True, dato__lt=today)
        return self.exclude(status=Mote.Status.AVLYST).filter(passed | Q(status=Mote.Status.HALDE))


def ny_kalender_uid() -> str:
    """A calendar UID no other installation makes: random, on this portal's host name."""
    return f"mote-{uuid.uuid4().hex}@{urlsplit(settings.SITE_URL).hostname}"


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
    # Made once and kept for the meeting's life: an invitation already in a calendar is
    # updated or cancelled by it, whatever else changes (SITE_URL included).
    kalender_uid = models.CharField(
        "kalender-UID", max_length=200, unique=True, default=ny_kalender_uid, editable=False
    )
    history = HistoricalRecords()

    objects = MoteQuerySet.as_manager()

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
        if self.utval is not None:
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
    def siste_dag(self) -> date:
        return self.til_dato or self.dato

    @property
    def tilstand(self) -> "Mote.Status":
        """The state people see: a meeting whose last day has passed has been held unless
        it was cancelled, whatever was stored while it was still to come. Computed, so a
        plan shows the truth without anyone marking each meeting held."""
        if self.status != self.Status.AVLYST and self.siste_dag < timezone.localdate():
            return self.Status.HALDE
        return self.Status(self.status)

    @property
    def er_halde(self) -> bool:
        return self.tilstand == self.Status.HALDE

    @property
    def laast(self) -> bool:
        """Whether the meeting's referat is approved: its facts, agenda, attachments and
        referat are then locked (moter.syklus)."""
        referat = getattr(self, "referat", None)
        return referat is not None and referat.godkjent_i_id is not None

    def clean(self) -> None:
        if self.pk:
            refuse_if_locked(self.pk)
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
        if self.status == self.Status.HALDE and self.dato > timezone.localdate():
            errors["status"] = "Møtet kan ikkje vere halde før dagen det startar."
        if errors:
            raise ValidationError(errors)

    def neste_saksnummer(self) -> int:
        saker = Sak.objects.filter(utval=self.utval_id, ar=self.dato.year)
        top = saker.aggregate(m=Max("nummer"))["m"]
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
    heimel = models.CharField(
        "heimel for unnatak",
        max_length=200,
        blank=True,
        help_text="Lovheimelen for unnataket, til dømes «Offl. § 13, jf. fvl. § 13».",
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
    vedlegg_skjema: "VedleggForm"  # its upload form on the meeting's page, not stored

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

    def clean(self) -> None:
        refuse_if_locked(self.mote_id)
        if self.heimel and self.offentleg:
            raise ValidationError(
                {
                    "heimel": "Heimel for unnatak høyrer berre til saker som er unnatekne "
                    "offentlegheit. Ta bort krysset for «offentleg», eller tøm feltet."
                }
            )

    def validate_unique(self, exclude=None) -> None:
        super().validate_unique(exclude)
        taken = Sak.objects.filter(utval=self.utval_id, ar=self.ar, nummer=self.nummer)
        if self.utval_id and taken.exclude(pk=self.pk).exists():
            raise ValidationError(
                {"nummer": f"Saksnummeret {self.saksnummer} er alt brukt i {self.ar}."}
            )


def vedlegg_path(instance: "Vedlegg", filename: str) -> str:
    """The portal's own name for a stored attachment, never the uploaded name or extension
    (which a user chooses: "../", "x.html", a name that says something it should not)."""
    return f"moter/vedlegg/{timezone.now():%Y}/{uuid.uuid4().hex}.pdf"


def arkiv_path(instance: "Vedlegg", filename: str) -> str:
    return f"moter/vedlegg/{timezone.now():%Y}/arkiv-{uuid.uuid4().hex}.pdf"


class Vedlegg(models.Model):
    class Arkivstatus(models.TextChoices):
        VENTAR = "ventar", "Ventar på arkivversjon"
        FERDIG = "ferdig", "Arkivversjon (PDF/A) laga"
        FEILA = "feila", "Kunne ikkje gjerast om til PDF/A"

    sak = models.ForeignKey(
        Sak, verbose_name="sak", on_delete=models.CASCADE, related_name="vedlegg"
    )
    tittel = models.CharField("tittel", max_length=300)
    fil = models.FileField("fil (PDF)", upload_to=vedlegg_path)
    sider = models.PositiveIntegerField("sider", default=0, editable=False)
    storleik = models.PositiveIntegerField("storleik (byte)", default=0, editable=False)
    sjekksum = models.CharField("sjekksum", max_length=64, blank=True, editable=False)
    rekkjefolgje = models.PositiveIntegerField("rekkjefølgje", default=0)
    # The archival copy (PDF/A-2b) the background worker makes of the file once; the
    # uploaded file is kept as it came. Packs and the archive export use the copy.
    arkivfil = models.FileField(
        "arkivversjon (PDF/A)", upload_to=arkiv_path, blank=True, editable=False
    )
    arkivstatus = models.CharField(
        "arkivversjon", max_length=20, choices=Arkivstatus.choices, default=Arkivstatus.VENTAR,
        editable=False,
    )  # fmt: skip
    arkivmelding = models.TextField("melding om arkivversjonen", blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "vedlegg"
        verbose_name_plural = "vedlegg"
        ordering = ["sak", "rekkjefolgje", "pk"]

    def __str__(self) -> str:
        return self.tittel

    def get_absolute_url(self) -> str:
        return reverse("moter:vedlegg", args=[self.pk])

    def clean(self) -> None:
        if self.sak_id:
            refuse_if_locked(self.sak.mote_id)


GODKJENT_I_FEIL = "Referatet vert godkjent i eit seinare møte i same utval som er halde."


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
        if self.pk:
            refuse_if_locked(self.mote_id)
        if self.mote_id and (later := self.godkjent_i) is not None:
            mote = self.mote
            if later.pk == mote.pk or later.dato <= mote.dato or later.utval_id != mote.utval_id:
                raise ValidationError({"godkjent_i": GODKJENT_I_FEIL})
            if not later.er_halde:
                raise ValidationError(
                    {"godkjent_i": f"{later} er ikkje halde enno. {GODKJENT_I_FEIL}"}
                )


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
    """One e-mail from a meeting (the innkalling, an update, a cancellation, or a notice to
    those who follow the utval), written once when it is sent and delivered by the
    background worker one message per recipient (``Leveranse``), so the secretariat can see
    what went out, to whom, and what failed."""

    class Type(models.TextChoices):
        INNKALLING = "innkalling", "Innkalling"
        ENDRING = "endring", "Endra innkalling"
        AVLYSING = "avlysing", "Avlysing"
        VARSEL_INNKALLING = "varsel-innkalling", "Varsel til følgjarar: innkalling"
        VARSEL_PAKKE = "varsel-pakke", "Varsel til følgjarar: møtepakka er endra"
        VARSEL_REFERAT = "varsel-referat", "Varsel til følgjarar: referatet er godkjent"

    # The invitations that go into the calendars of those called to the meeting.
    KALENDER = (Type.INNKALLING, Type.ENDRING, Type.AVLYSING)

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
    tekst = models.TextField("tekst", blank=True)
    html = models.TextField("HTML", blank=True)
    kalender = models.TextField(
        "kalender", blank=True, help_text="Hendinga (iCalendar) utan deltakarar."
    )
    kalenderversjon = models.PositiveIntegerField("kalenderversjon")
    # What the message said, so the next update can say what changed since.
    fakta = models.JSONField("fakta", default=dict, blank=True)
    pakke_fingeravtrykk = models.CharField(
        "møtepakka sitt fingeravtrykk", max_length=64, blank=True
    )
    # What the meeting page shows of a sending beside its fields (moter.views), not stored.
    tal: dict[str, int]  # deliveries by status
    feila: bool

    class Meta:
        verbose_name = "utsending"
        verbose_name_plural = "utsendingar"
        ordering = ["-sendt", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {timezone.localtime(self.sendt):%d.%m.%Y %H:%M}"


class Arkivuttrekk(models.Model):
    """A zip for the archive of one utval's meetings in one year, built by the worker."""

    class Status(models.TextChoices):
        VENTAR = "ventar", "Ventar"
        BYGGJER = "byggjer", "Vert laga"
        FERDIG = "ferdig", "Ferdig"
        FEILA = "feila", "Feila"

    utval = models.ForeignKey(
        "partnarskap.Utval", verbose_name="utval", on_delete=models.CASCADE,
        related_name="arkivuttrekk",
    )  # fmt: skip
    ar = models.PositiveIntegerField("år")
    status = models.CharField("status", max_length=20, choices=Status.choices, default="ventar")
    framdrift = models.PositiveSmallIntegerField("framdrift (prosent)", default=0)
    fil = models.CharField("fil", max_length=300, blank=True)
    feil = models.TextField("feil", blank=True)
    oppdatert = models.DateTimeField("oppdatert", default=timezone.now)

    class Meta:
        verbose_name = "arkivuttrekk"
        verbose_name_plural = "arkivuttrekk"
        constraints = [
            models.UniqueConstraint(fields=["utval", "ar"], name="eitt_uttrekk_per_utval_og_ar")
        ]

    def __str__(self) -> str:
        return f"Arkivuttrekk {self.utval} {self.ar}"


class Leveranse(models.Model):
    """One recipient's message of an ``Utsending``: sent, failed for good (with the
    server's reason), or waiting, for the first time or for another try."""

    class Status(models.TextChoices):
        VENTAR = "ventar", "Ventar"
        SENDT = "sendt", "Sendt"
        FEILA = "feila", "Feila"

    utsending = models.ForeignKey(
        Utsending, verbose_name="utsending", on_delete=models.CASCADE, related_name="leveransar"
    )
    namn = models.CharField("namn", max_length=200, blank=True)
    epost = models.EmailField("e-post")
    # Set for a notice to someone who follows the utval: the message carries their
    # one-click unfollow link.
    folgjar = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="følgjar",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.VENTAR
    )
    forsok = models.PositiveSmallIntegerField("forsøk", default=0)
    feil = models.TextField("feil", blank=True, help_text="Kvifor det siste forsøket feila.")
    neste_forsok = models.DateTimeField("neste forsøk", null=True, blank=True)
    levert = models.DateTimeField("sendt", null=True, blank=True)

    class Meta:
        verbose_name = "leveranse"
        verbose_name_plural = "leveransar"
        ordering = ["utsending", "namn", "pk"]

    def __str__(self) -> str:
        return f"{self.namn} <{self.epost}>: {self.get_status_display().lower()}"


class Folging(models.Model):
    """A user who follows an utval: they get an e-mail when its innkalling goes out, when
    a sent meeting pack changes, and when a referat is approved (moter/varsel.py)."""

    brukar = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="brukar",
        on_delete=models.CASCADE,
        related_name="folgingar",
    )
    utval = models.ForeignKey(
        Utval, verbose_name="utval", on_delete=models.CASCADE, related_name="folgjarar"
    )
    oppretta = models.DateTimeField("følgjer sidan", auto_now_add=True)

    class Meta:
        verbose_name = "følging"
        verbose_name_plural = "følgingar"
        constraints = [
            models.UniqueConstraint(fields=["brukar", "utval"], name="moter_folging_ein_gong")
        ]

    def __str__(self) -> str:
        return f"{self.brukar} følgjer {self.utval}"
