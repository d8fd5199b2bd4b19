import re

from django import forms
from django.db.models import Q

from partnarskap.kontoar import epost_er_brukt
from partnarskap.models import (
    MANADER,
    Arshjulpunkt,
    Medlemskap,
    Person,
    Samansetjingsregel,
    Utval,
)
from portal import forms as portal_forms
from portal.editing import EditForm
from portal.forms import date_widget


class MedlemskapForm(EditForm):
    """A seat. The person is picked from the register, or created by typing a new name."""

    ny_person = portal_forms.OneLineField(
        label="Eller ny person (namn)",
        max_length=200,
        required=False,
        help_text="Skriv namnet om personen ikkje finst i lista.",
    )

    class Meta:
        formfield_callback = portal_forms.formfield
        model = Medlemskap
        fields = ["person", "ny_person", "rolle", "partnar", "gruppe", "fra", "til", "merknad"]
        widgets = {"fra": date_widget(), "til": date_widget()}

    def __init__(self, *args, utval, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.utval = utval
        self.fields["person"].required = False
        self.fields["person"].queryset = Person.objects.order_by("namn")
        self.fields["partnar"].queryset = self.fields["partnar"].queryset.order_by("namn")
        if self.instance.pk:
            del self.fields["ny_person"]

    def clean(self):
        data = super().clean()
        name = (data.get("ny_person") or "").strip()
        if not data.get("person") and not name:
            self.add_error("person", "Vel ein person, eller skriv namnet på ein ny.")
        elif data.get("person") and name:
            self.add_error("ny_person", "Vel anten ein person frå lista eller skriv eit nytt namn.")
        return data

    def _post_clean(self):
        # A new person is created only on save; model validation of the seat still needs one.
        name = (self.cleaned_data.get("ny_person") or "").strip()
        if name and not self.cleaned_data.get("person"):
            self.cleaned_data["person"] = Person(namn=name)
        super()._post_clean()

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        person = self.cleaned_data.get("person")
        if person is not None and person.pk is None:
            exclude.add("person")  # created on save; nothing to validate against yet
        return exclude

    def save(self, commit: bool = True) -> Medlemskap:
        person = self.cleaned_data["person"]
        if person.pk is None:
            person.save()
        self.instance.person = person
        return super().save(commit)


TELEFON = re.compile(r"\+?[0-9 ()-]+")


class PersonForm(EditForm):
    """A person's facts: name, position, organisation and contact details."""

    class Meta:
        formfield_callback = portal_forms.formfield
        model = Person
        fields = ["namn", "stilling", "partnar", "epost", "telefon"]
        widgets = {
            "epost": forms.EmailInput(attrs={"autocomplete": "off"}),
            "telefon": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }
        error_messages = {
            "namn": {"required": "Skriv namnet på personen."},
            "epost": {"invalid": "Skriv ei gyldig e-postadresse, til dømes namn@kommune.no."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnar"].queryset = self.fields["partnar"].queryset.order_by("namn")
        self.fields["partnar"].empty_label = "Ikkje oppgjeve"

    def clean_epost(self) -> str:
        epost = self.cleaned_data["epost"].strip()
        if epost and epost_er_brukt(epost, self.instance):
            raise forms.ValidationError("Ein annan person eller konto har alt denne e-postadressa.")
        return epost

    def clean_telefon(self) -> str:
        telefon = " ".join(self.cleaned_data["telefon"].split())
        if telefon and (not TELEFON.fullmatch(telefon) or sum(c.isdigit() for c in telefon) < 5):
            raise forms.ValidationError(
                "Skriv eit telefonnummer med siffer, til dømes 57 83 90 00 eller +47 57 83 90 00."
            )
        return telefon


class ArshjulpunktForm(EditForm):
    """A recurring item of the årshjul."""

    class Meta:
        formfield_callback = portal_forms.formfield
        model = Arshjulpunkt
        fields = [
            "tittel",
            "skildring",
            "utval",
            "manad",
            "intervall",
            "startar",
            "kjelde",
            "aktiv",
        ]
        widgets = {
            "skildring": forms.Textarea(attrs={"rows": 3}),
            "startar": forms.NumberInput(attrs={"min": 2000, "max": 2100}),
        }
        error_messages = {
            "tittel": {"required": "Skriv ein tittel."},
            "manad": {"invalid_choice": "Månaden må vere mellom 1 (januar) og 12 (desember)."},
            "startar": {"invalid": "Skriv eit årstal, til dømes 2024."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["utval"].queryset = Utval.objects.filter(
            Q(aktiv=True) | Q(pk=self.instance.utval_id)
        )
        self.fields["utval"].empty_label = "Heile helsefellesskapet"
        self.fields["manad"].choices = [("", "Månad ikkje fastsett"), *MANADER]
        if not self.instance.pk:
            del self.fields["aktiv"]


class SamansetjingsregelForm(EditForm):
    """An utval's composition rule: seats per kind of representative. A field left empty is
    a rule the documents do not give."""

    class Meta:
        formfield_callback = portal_forms.formfield
        model = Samansetjingsregel
        fields = ["helseforetak", "kommunar", "brukarar", "fastlegar", "totalt", "vara", "kjelde"]

    def __init__(self, *args, utval, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.utval = utval
        for field in self.fields.values():
            if isinstance(field, forms.IntegerField) and field is not self.fields["edit_version"]:
                field.max_value = 200
                field.widget.attrs["max"] = 200
                field.validators.append(_max_seats)

    def clean(self):
        data = super().clean()
        parts = [data.get(k) for k in ("helseforetak", "kommunar", "brukarar", "fastlegar")]
        total = data.get("totalt")
        if total is not None and sum(p or 0 for p in parts) > total:
            self.add_error("totalt", "Plassane for kvar gruppe er fleire enn plassane i alt.")
        return data


def _max_seats(value) -> None:
    if value is not None and value > 200:
        raise forms.ValidationError("Skriv eit tal mellom 0 og 200.")
