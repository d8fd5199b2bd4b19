"""Who takes part: partners, bodies (utval), people and their seats (medlemskap)."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from portal.editing import Versioned, locked, save_next_version


def today() -> date:
    return timezone.localdate()


class Partnar(models.Model):
    class Type(models.TextChoices):
        HELSEFORETAK = "helseforetak", "Helseføretak"
        KOMMUNE = "kommune", "Kommune"
        INTERESSEORGANISASJON = "interesseorganisasjon", "Interesseorganisasjon"
        STATLEG = "statleg", "Statleg organ"
        UTDANNING = "utdanning", "Utdanning og forsking"
        UTVIKLINGSSENTER = "utviklingssenter", "Utviklingssenter"
        BRUKARORGANISASJON = "brukarorganisasjon", "Brukarorganisasjon"
        ANNA = "anna", "Anna"

    namn = models.CharField("namn", max_length=200, unique=True)
    kortnamn = models.CharField("kortnamn", max_length=40, blank=True)
    slug = models.SlugField("adresse", max_length=80, unique=True)
    type = models.CharField("type", max_length=30, choices=Type.choices)
    er_partnar = models.BooleanField(
        "partnar i helsefellesskapet",
        default=True,
        help_text="Av for samarbeidspartar som berre vert inviterte (til dømes USHT og HVL).",
    )
    skildring = models.TextField("skildring", blank=True)
    avslutta = models.DateField("avslutta", null=True, blank=True)
    etterfolgar = models.ForeignKey(
        "self",
        verbose_name="vidareført i",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forgjengarar",
        help_text="For ein kommune som er slått saman: den nye kommunen.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "partnar"
        verbose_name_plural = "partnarar"
        ordering = ["type", "namn"]

    def __str__(self) -> str:
        return self.namn

    def get_absolute_url(self) -> str:
        return reverse("partnarskap:partnar", args=[self.slug])


class Utval(models.Model):
    class Type(models.TextChoices):
        PARTNARSKAPSMOTE = "partnarskapsmote", "Partnarskapsmøte"
        SAMARBEIDSUTVAL = "samarbeidsutval", "Samarbeidsutval"
        AVTALEUTVAL = "avtaleutval", "Avtaleutval"
        BRUKARUTVAL = "brukarutval", "Brukarutval"
        UNGDOMSRAD = "ungdomsrad", "Ungdomsråd"
        FAGNETTVERK = "fagnettverk", "Fagnettverk"
        ARBEIDSGRUPPE = "arbeidsgruppe", "Arbeidsgruppe"

    namn = models.CharField("namn", max_length=200, unique=True)
    kortnamn = models.CharField("kortnamn", max_length=40, blank=True)
    slug = models.SlugField("adresse", max_length=80, unique=True)
    type = models.CharField("type", max_length=30, choices=Type.choices)
    mandat = models.TextField("mandat", blank=True)
    samansetjing = models.TextField(
        "samansetjing",
        blank=True,
        help_text="Kven som skal sitje i utvalet, slik mandatet seier det.",
    )
    rapporterer_til = models.ForeignKey(
        "self",
        verbose_name="rapporterer til",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="underliggjande",
    )
    moter_per_ar = models.PositiveSmallIntegerField("møte i året", null=True, blank=True)
    krev_lik_representasjon = models.BooleanField(
        "mandatet krev lik representasjon frå partnarane", default=False
    )
    aktiv = models.BooleanField("aktivt", default=True)
    rekkjefolgje = models.PositiveSmallIntegerField("rekkjefølgje", default=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "utval"
        verbose_name_plural = "utval"
        ordering = ["rekkjefolgje", "namn"]

    def __str__(self) -> str:
        return self.namn

    def get_absolute_url(self) -> str:
        return reverse("partnarskap:utval", args=[self.slug])

    @property
    def visingsnamn(self) -> str:
        return f"{self.namn} ({self.kortnamn})" if self.kortnamn else self.namn


class Samansetjingsregel(Versioned):
    """How many seats an utval has, per kind of representative, as its mandate or the
    documents say. Empty: the documents do not say (the secretariat fills it in)."""

    utval = models.OneToOneField(
        Utval, verbose_name="utval", on_delete=models.CASCADE, related_name="samansetjingsregel"
    )
    helseforetak = models.PositiveSmallIntegerField(
        "plassar for helseføretaket", null=True, blank=True
    )
    kommunar = models.PositiveSmallIntegerField("plassar for kommunane", null=True, blank=True)
    brukarar = models.PositiveSmallIntegerField("plassar for brukarar", null=True, blank=True)
    fastlegar = models.PositiveSmallIntegerField("plassar for fastlegar", null=True, blank=True)
    totalt = models.PositiveSmallIntegerField(
        "plassar i alt",
        null=True,
        blank=True,
        help_text="Når mandatet berre gjev talet på medlemmar i alt.",
    )
    vara = models.PositiveSmallIntegerField("varaplassar", null=True, blank=True)
    kjelde = models.CharField(
        "kjelde",
        max_length=300,
        blank=True,
        help_text="Dokumentet eller vedtaket regelen kjem frå.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "samansetjingsregel"
        verbose_name_plural = "samansetjingsreglar"

    def __str__(self) -> str:
        return f"Samansetjingsregel for {self.utval}"

    def get_absolute_url(self) -> str:
        return self.utval.get_absolute_url()


class TidlegareNamn(models.Model):
    """An earlier name of a body, so that old minutes and documents still make sense."""

    utval = models.ForeignKey(
        Utval, verbose_name="utval", on_delete=models.CASCADE, related_name="tidlegare_namn"
    )
    namn = models.CharField("namn", max_length=200)
    merknad = models.CharField("merknad", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "tidlegare namn"
        verbose_name_plural = "tidlegare namn"
        ordering = ["namn"]

    def __str__(self) -> str:
        return self.namn


class Person(Versioned):
    namn = models.CharField("namn", max_length=200)
    stilling = models.CharField("stilling", max_length=200, blank=True)
    partnar = models.ForeignKey(
        Partnar,
        verbose_name="organisasjon",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="personar",
        help_text="Der personen arbeider. Kven personen representerer, står på kvart medlemskap.",
    )
    epost = models.EmailField("e-post", blank=True)
    telefon = models.CharField("telefon", max_length=40, blank=True)
    brukar = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="brukarkonto",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    history = HistoricalRecords(excluded_fields=["brukar"])

    # Contact details are personal data: only logged-in users see them, also in history.
    private_fields = ("epost", "telefon")

    class Meta:
        verbose_name = "person"
        verbose_name_plural = "personar"
        ordering = ["namn"]
        constraints = [
            # One address, one person: invitations and password resets go by it.
            models.UniqueConstraint(
                Lower("epost"),
                condition=~Q(epost=""),
                name="partnarskap_person_epost_ein_gong",
                violation_error_message="Ein annan person har alt denne e-postadressa.",
            )
        ]

    def __str__(self) -> str:
        return self.namn

    def get_absolute_url(self) -> str:
        return reverse("partnarskap:person", args=[self.pk])


class MedlemskapQuerySet(models.QuerySet):
    def gjeldande(self, on: date | None = None):
        on = on or today()
        return self.filter(
            Q(fra__isnull=True) | Q(fra__lte=on), Q(til__isnull=True) | Q(til__gte=on)
        )

    def ikkje_avslutta(self, on: date | None = None):
        """Seats that have not ended by ``on``: current ones and those still to begin."""
        on = on or today()
        return self.filter(Q(til__isnull=True) | Q(til__gt=on))


class Medlemskap(Versioned):
    class Rolle(models.TextChoices):
        LEIAR = "leiar", "Leiar"
        NESTLEIAR = "nestleiar", "Nestleiar"
        MEDLEM = "medlem", "Medlem"
        VARA = "vara", "Vara"
        OBSERVATOR = "observator", "Observatør"
        SEKRETARIAT = "sekretariat", "Sekretariat"

    class Gruppe(models.TextChoices):
        BRUKAR = "brukar", "Brukar"
        FASTLEGE = "fastlege", "Fastlege"
        PRAKSISKONSULENT = "praksiskonsulent", "Praksiskonsulent"

    person = models.ForeignKey(
        Person, verbose_name="person", on_delete=models.CASCADE, related_name="medlemskap"
    )
    utval = models.ForeignKey(
        Utval, verbose_name="utval", on_delete=models.CASCADE, related_name="medlemskap"
    )
    rolle = models.CharField("rolle", max_length=20, choices=Rolle.choices, default=Rolle.MEDLEM)
    partnar = models.ForeignKey(
        Partnar,
        verbose_name="representerer partnar",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="medlemskap",
    )
    gruppe = models.CharField(
        "representerer gruppe", max_length=20, choices=Gruppe.choices, blank=True
    )
    fra = models.DateField("frå", null=True, blank=True)
    til = models.DateField("til", null=True, blank=True)
    merknad = models.CharField("merknad", max_length=300, blank=True)
    history = HistoricalRecords()

    objects = MedlemskapQuerySet.as_manager()

    class Meta:
        verbose_name = "medlemskap"
        verbose_name_plural = "medlemskap"
        ordering = ["utval", "rolle", "person__namn"]
        indexes = [models.Index(fields=["utval", "til"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_rolle_display().lower()} i {self.utval}"

    def clean(self) -> None:
        if self.fra and self.til and self.til < self.fra:
            raise ValidationError({"til": "Sluttdatoen kan ikkje vere før startdatoen."})
        if self.person_id and self.utval_id:
            overlapping = Medlemskap.objects.filter(
                person_id=self.person_id, utval_id=self.utval_id, rolle=self.rolle
            ).exclude(pk=self.pk)
            if self.til:
                overlapping = overlapping.filter(Q(fra__isnull=True) | Q(fra__lte=self.til))
            if self.fra:
                overlapping = overlapping.filter(Q(til__isnull=True) | Q(til__gte=self.fra))
            if overlapping.exists():
                raise ValidationError(
                    {"person": "Denne personen har alt same rolle i dette utvalet i perioden."}
                )

    def er_gjeldande(self, on: date | None = None) -> bool:
        on = on or today()
        return (self.fra is None or self.fra <= on) and (self.til is None or self.til >= on)

    def avslutt(self, reason: str) -> bool:
        """End the seat today (one not begun yet becomes a seat of today only), as the next
        version, read again under a row lock. False when it had ended already."""
        with locked(self):
            on = today()
            if self.til is not None and self.til <= on:
                return False
            self.til = on
            if self.fra and self.fra > on:
                self.fra = on
            save_next_version(self, reason)
        return True

    def sluttar_snart(self, on: date | None = None) -> bool:
        """A term that ends within six months needs a new appointment."""
        on = on or today()
        return self.til is not None and on <= self.til <= on + timedelta(days=183)

    @property
    def representerer(self) -> str:
        parts = [str(self.partnar)] if self.partnar_id else []
        if self.gruppe:
            parts.append(self.get_gruppe_display())
        return ", ".join(parts)


MANADER = [
    (1, "januar"),
    (2, "februar"),
    (3, "mars"),
    (4, "april"),
    (5, "mai"),
    (6, "juni"),
    (7, "juli"),
    (8, "august"),
    (9, "september"),
    (10, "oktober"),
    (11, "november"),
    (12, "desember"),
]


class Arshjulpunkt(Versioned):
    """A piece of the partnership's recurring work that comes back every year or every
    second year (a conference, a revision, a report), shown in the årshjul."""

    class Intervall(models.TextChoices):
        ARLEG = "arleg", "Kvart år"
        ANNAKVART = "annakvart", "Kvart andre år"

    tittel = models.CharField("tittel", max_length=200)
    skildring = models.TextField("skildring", blank=True)
    utval = models.ForeignKey(
        Utval,
        verbose_name="utval",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="arshjulpunkt",
        help_text="Tomt: gjeld heile helsefellesskapet.",
    )
    manad = models.PositiveSmallIntegerField(
        "månad",
        choices=MANADER,
        null=True,
        blank=True,
        help_text="Tomt: månaden er ikkje fastsett.",
    )
    intervall = models.CharField(
        "kor ofte", max_length=20, choices=Intervall.choices, default=Intervall.ARLEG
    )
    startar = models.PositiveSmallIntegerField(
        "eitt av åra det skjer",
        null=True,
        blank=True,
        help_text="For punkt som kjem kvart andre år: eit år då det skjer, til dømes 2024.",
    )
    kjelde = models.CharField(
        "kjelde",
        max_length=300,
        blank=True,
        help_text="Dokumentet eller vedtaket som seier at dette skal gjerast.",
    )
    aktiv = models.BooleanField("aktivt", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "årshjulpunkt"
        verbose_name_plural = "årshjulpunkt"
        ordering = ["-aktiv", "manad", "tittel"]

    def __str__(self) -> str:
        return self.tittel

    def get_absolute_url(self) -> str:
        return reverse("partnarskap:arshjul")

    def clean(self) -> None:
        if self.manad is not None and not 1 <= self.manad <= 12:
            raise ValidationError({"manad": "Månaden må vere mellom 1 (januar) og 12 (desember)."})
        if self.intervall == self.Intervall.ANNAKVART and self.startar is None:
            raise ValidationError(
                {"startar": "Skriv eit år då punktet skjer, så vi veit kva år det høyrer til."}
            )
        if self.startar is not None and not 2000 <= self.startar <= 2100:
            raise ValidationError({"startar": "Skriv eit årstal mellom 2000 og 2100."})

    @property
    def ar_ukjent(self) -> bool:
        """A biennial item whose years nobody has fixed yet: shown every year, marked so."""
        return self.intervall == self.Intervall.ANNAKVART and self.startar is None

    def skjer_i(self, year: int) -> bool:
        if not self.aktiv:
            return False
        if self.intervall == self.Intervall.ARLEG or self.startar is None:
            return True
        return (year - self.startar) % 2 == 0
