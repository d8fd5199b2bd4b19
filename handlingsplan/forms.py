import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from handlingsplan.models import Delmal, Handlingsplan, Pasientgruppe, Tiltak
from partnarskap.models import Partnar, Utval
from portal import forms as portal_forms
from portal.editing import EditForm

FRIST_HJELP = (
    "Ein dato (31.12.2024) eller ein periode: «2024», «vår 2024», «haust 2024», "
    "«2. kvartal 2024», «1. halvår 2024», «planperioden» eller «løpande»."
)
_SESONG_SLUTT = {"vår": (6, 30), "sommar": (8, 31), "haust": (12, 31), "jul": (12, 31)}
_KVARTAL_SLUTT = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}


def _ar(text: str) -> int:
    year = int(text)
    if not 2000 <= year <= 2100:
        raise ValueError
    return year


def tolk_frist(text: str, plan: Handlingsplan | None = None) -> tuple[date | None, str]:
    """A frist as typed: a date, or a known term. Returns (last day, term as shown); the last
    day of a term is what "past its frist" is measured against. Raises ValidationError."""
    value = " ".join((text or "").split())
    low = value.lower()
    try:
        if not value:
            return None, ""
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value):
            return date(_ar(m[1]), int(m[2]), int(m[3])), ""
        if m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", value):
            return date(_ar(m[3]), int(m[2]), int(m[1])), ""
        if re.fullmatch(r"\d{4}", value):
            return date(_ar(value), 12, 31), value
        if m := re.fullmatch(r"(vår|sommar|haust|jul) (\d{4})", low):
            month, day = _SESONG_SLUTT[m[1]]
            return date(_ar(m[2]), month, day), f"{m[1].capitalize()} {m[2]}"
        if m := re.fullmatch(r"([1-4])\. ?kvartal (\d{4})", low):
            month, day = _KVARTAL_SLUTT[int(m[1])]
            return date(_ar(m[2]), month, day), f"{m[1]}. kvartal {m[2]}"
        if m := re.fullmatch(r"([12])\. ?halvår (\d{4})", low):
            month, day = (6, 30) if m[1] == "1" else (12, 31)
            return date(_ar(m[2]), month, day), f"{m[1]}. halvår {m[2]}"
        if low == "løpande":
            return None, "Løpande"
        if low == "planperioden":
            return (date(plan.til_ar, 12, 31) if plan else None), "Planperioden"
    except ValueError:
        pass
    raise ValidationError(
        f"«{value[:60]}» er verken ein dato eller ein kjend periode. {FRIST_HJELP}"
    )


class TiltakForm(EditForm):
    new_under = "delmal"  # each delmål on the plan page can show a new-tiltak form

    frist_inn = portal_forms.OneLineField(
        label="Frist", required=False, max_length=60, help_text=FRIST_HJELP
    )
    notat = forms.CharField(
        label="Framdrift",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Eit kort, dagsett notat om framdrifta. Vert teke vare på.",
    )

    class Meta:
        formfield_callback = portal_forms.formfield
        model = Tiltak
        fields = [
            "tekst",
            "status",
            "frist_inn",
            "ansvarleg_utval",
            "alle_partnarar",
            "ansvarleg_partnarar",
            "ansvarleg_anna",
            "kommentar",
            "pasientgruppe",
            "avtalar",
            "notat",
        ]
        widgets = {
            "tekst": forms.Textarea(attrs={"rows": 2}),
            "kommentar": forms.Textarea(attrs={"rows": 2}),
            "ansvarleg_utval": forms.CheckboxSelectMultiple,
            "ansvarleg_partnarar": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "tekst": {"required": "Skriv kva tiltaket går ut på."},
            "status": {"invalid_choice": "Ukjend status. Vel ein status frå lista."},
            "ansvarleg_utval": {
                "invalid_choice": "Ukjent utval. Vel frå lista.",
                "invalid_pk_value": "Ukjent utval. Vel frå lista.",
            },
            "ansvarleg_partnarar": {
                "invalid_choice": "Ukjend partnar. Vel frå lista.",
                "invalid_pk_value": "Ukjend partnar. Vel frå lista.",
            },
            "pasientgruppe": {"invalid_choice": "Ukjend pasientgruppe. Vel frå lista."},
            "avtalar": {
                "invalid_choice": "Ukjend avtale. Vel frå lista.",
                "invalid_pk_value": "Ukjend avtale. Vel frå lista.",
            },
        }

    def __init__(self, *args, plan: Handlingsplan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        field_of = portal_forms.field_of
        status = field_of(self, "status", forms.ChoiceField)
        status.choices = [("", "Ikkje oppgitt"), *Tiltak.Status.choices]
        utval = field_of(self, "ansvarleg_utval", forms.ModelMultipleChoiceField)
        utval.queryset = Utval.objects.filter(aktiv=True).order_by("rekkjefolgje", "namn")
        partnarar = field_of(self, "ansvarleg_partnarar", forms.ModelMultipleChoiceField)
        partnarar.queryset = Partnar.objects.filter(avslutta__isnull=True).order_by("namn")
        gruppe = field_of(self, "pasientgruppe", forms.ModelChoiceField)
        gruppe.queryset = Pasientgruppe.objects.select_related("strategi")
        gruppe.empty_label = "Ingen"
        if self.instance.pk:
            self.fields["frist_inn"].initial = self.instance.frist_tekst or (
                self.instance.frist.strftime("%d.%m.%Y") if self.instance.frist else ""
            )

    def clean_tekst(self) -> str:
        text = self.cleaned_data["tekst"].strip()
        if not text:
            raise ValidationError("Skriv kva tiltaket går ut på.")
        return text

    def clean_frist_inn(self):
        return tolk_frist(self.cleaned_data.get("frist_inn", ""), self.plan)

    def _post_clean(self):
        frist = self.cleaned_data.get("frist_inn")
        if frist is not None:
            self.instance.frist, self.instance.frist_tekst = frist
        super()._post_clean()


class DelmalForm(EditForm):
    new_under = "innsatsomrade"  # each innsatsområde can show a new-delmål form

    class Meta:
        formfield_callback = portal_forms.formfield
        model = Delmal
        fields = ["nummer", "tekst"]
        widgets = {"tekst": forms.Textarea(attrs={"rows": 2})}
        error_messages = {"nummer": {"required": "Skriv nummeret på delmålet, til dømes 4.1."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tekst"].help_text = "Kan stå tomt om planen ikkje seier noko."

    def clean_nummer(self) -> str:
        nummer = self.cleaned_data["nummer"].strip()
        if not re.fullmatch(r"\d{1,2}\.\d{1,2}", nummer):
            raise ValidationError("Nummeret skal sjå ut som 4.1: innsatsområde, punktum, nummer.")
        return nummer


class NyPeriodeForm(forms.Form):
    fra_ar = forms.IntegerField(label="Frå år", min_value=2000, max_value=2100)
    til_ar = forms.IntegerField(label="Til år", min_value=2000, max_value=2100)
    tittel = portal_forms.OneLineField(label="Tittel", max_length=200)

    def __init__(self, *args, forrige: Handlingsplan, **kwargs):
        super().__init__(*args, **kwargs)
        self.forrige = forrige
        length = forrige.til_ar - forrige.fra_ar
        fra = forrige.til_ar + 1
        self.fields["fra_ar"].initial = fra
        self.fields["til_ar"].initial = fra + length
        self.fields["tittel"].initial = forrige.tittel.replace(
            forrige.periode, f"{fra}–{fra + length}"
        )

    def clean(self):
        data = super().clean()
        fra, til = data.get("fra_ar"), data.get("til_ar")
        if fra and til:
            if til < fra:
                self.add_error("til_ar", "Perioden kan ikkje slutte før han byrjar.")
            elif fra <= self.forrige.til_ar:
                self.add_error("fra_ar", f"Den nye perioden må byrje etter {self.forrige.til_ar}.")
            elif Handlingsplan.objects.filter(fra_ar=fra, til_ar=til).exists():
                self.add_error("fra_ar", f"Det finst alt ein plan for {fra}–{til}.")
        return data


class FilterForm(forms.Form):
    """Filters on the plan; a bad value is reported and ignored, never a crash."""

    status = forms.ChoiceField(label="Status", required=False)
    ansvarleg = forms.ChoiceField(label="Ansvarleg", required=False)
    pasientgruppe = forms.ChoiceField(label="Pasientgruppe", required=False)
    over_frist = forms.BooleanField(label="Berre tiltak over fristen", required=False)
    dato = forms.DateField(
        label="Planen slik han stod",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={"invalid": "Skriv datoen som ÅÅÅÅ-MM-DD."},
    )

    def __init__(self, *args, utval, partnarar, grupper, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", "Alle"),
            *Tiltak.Status.choices,
            ("ukjend", "Ikkje oppgitt"),
            ("ikkje_ferdig", "Ikkje ferdige"),
        ]
        self.fields["ansvarleg"].choices = [
            ("", "Alle"),
            ("Utval", [(f"utval-{u.slug}", u.namn) for u in utval]),
            (
                "Partnarar",
                [("alle-partnarar", "Partnarane (i fellesskap)")]
                + [(f"partnar-{p.slug}", p.namn) for p in partnarar],
            ),
        ]
        self.fields["pasientgruppe"].choices = [("", "Alle")] + [
            (str(g.pk), g.namn) for g in grupper
        ]
