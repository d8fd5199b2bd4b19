from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from avtalar.models import Avtale, Avtaleversjon, Signering
from partnarskap.models import Partnar, Utval, today
from portal import forms as portal_forms
from portal.editing import EditForm
from portal.forms import date_widget


class NyVersjonForm(EditForm):
    """A new version of an agreement: its document, dates and what changed. It changes the
    agreement too (status, next revision, which version is current), so it carries the
    agreement's version: two people registering the same revision at once do not both
    get it in."""

    neste_revisjon = forms.DateField(
        label="Neste revisjon av avtalen",
        required=False,
        widget=date_widget(),
        help_text="Når avtalen skal reviderast neste gong. La stå tomt for å halde på datoen.",
    )

    class Meta:
        formfield_callback = portal_forms.formfield
        model = Avtaleversjon
        fields = [
            "dokument",
            "versjon",
            "godkjent_dato",
            "godkjent_av",
            "gjeld_fra",
            "samandrag",
            "godkjend",
        ]
        widgets = {
            "godkjent_dato": date_widget(),
            "gjeld_fra": date_widget(),
            "dokument": forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        }
        help_texts = {
            "versjon": "Til dømes «Revidert mai 2025».",
            "gjeld_fra": "Versjonen vert gjeldande frå denne datoen.",
            "samandrag": "Kort om kva som er nytt i denne versjonen.",
            "dokument": "",
        }
        error_messages = {
            "dokument": {"required": "Vel PDF-fila med avtaleteksten."},
            "godkjent_dato": {"required": "Skriv når versjonen vart godkjend."},
            "gjeld_fra": {"required": "Skriv kva dato versjonen gjeld frå."},
            "samandrag": {"required": "Skriv kort kva som er endra."},
        }

    def __init__(self, *args, avtale: Avtale, **kwargs):
        self.avtale = avtale  # before the base class asks versioned()
        super().__init__(*args, **kwargs)
        self.instance.avtale = avtale
        for name in ("dokument", "godkjent_dato", "gjeld_fra", "samandrag"):
            self.fields[name].required = True
        self.fields[
            "dokument"
        ].help_text = (
            f"PDF, høgst {settings.MAX_UPLOAD_MB} MB. Fila vert lagra under namnet på avtalen."
        )
        godkjent_av = portal_forms.field_of(self, "godkjent_av", forms.ModelChoiceField)
        godkjent_av.queryset = Utval.objects.filter(aktiv=True)
        if avtale.godkjent_av_id and not self.is_bound:
            self.initial.setdefault("godkjent_av", avtale.godkjent_av_id)

    def versioned(self) -> Avtale:
        return self.avtale

    def clean_dokument(self):
        upload = self.cleaned_data.get("dokument")
        if upload:
            portal_forms.check_pdf(upload)
            upload = portal_forms.without_scripts(upload)
        return upload

    def clean_neste_revisjon(self):
        value = self.cleaned_data.get("neste_revisjon")
        if value and value < today():
            raise ValidationError("Neste revisjon kan ikkje vere tilbake i tid.")
        return value

    def clean(self):
        data = super().clean()
        approved, applies = data.get("godkjent_dato"), data.get("gjeld_fra")
        if approved and applies and applies < approved:
            self.add_error("gjeld_fra", "Versjonen kan ikkje gjelde frå før han vart godkjend.")
        if approved and approved > today() and data.get("godkjend"):
            self.add_error(
                "godkjent_dato",
                "Godkjenningsdatoen kan ikkje vere fram i tid for ein godkjend versjon.",
            )
        return data

    def save(self, commit: bool = True) -> Avtaleversjon:
        version = super().save(commit=False)
        upload = self.cleaned_data["dokument"]
        when = version.gjeld_fra or version.godkjent_dato
        upload.name = f"{self.avtale.slug}-{when:%Y-%m-%d}.pdf"
        version.dokument = upload
        if commit:
            version.save()
            revision = self.cleaned_data.get("neste_revisjon")
            if revision:
                self.avtale.neste_revisjon = revision
            if version.godkjend and self.avtale.status in (
                Avtale.Status.UTKAST,
                Avtale.Status.UNDER_REVISJON,
            ):
                self.avtale.status = Avtale.Status.GJELDANDE
            # Saved even if none of its fields changed: it is a new version of the agreement.
            self.avtale._change_reason = "Ny versjon registrert"
            self.avtale.save()
        return version


class AvtaleFaktaForm(EditForm):
    """Status, revision date and parties, edited in place on the agreement page."""

    class Meta:
        formfield_callback = portal_forms.formfield
        model = Avtale
        fields = ["status", "neste_revisjon", "partar"]
        widgets = {
            "neste_revisjon": date_widget(),
            "partar": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partar"].queryset = Partnar.objects.filter(avslutta__isnull=True)


class FilterForm(forms.Form):
    q = forms.CharField(label="Søk", required=False, max_length=200)
    type = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Alle typar"), *Avtale.Type.choices]
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Alle statusar"), *Avtale.Status.choices]
    )
    partnar = portal_forms.ModelChoiceField(
        label="Part",
        required=False,
        queryset=Partnar.objects.filter(avslutta__isnull=True),
        to_field_name="slug",
        empty_label="Alle partar",
    )


class SigneringForm(EditForm):
    """That a party signed a version, when, and optionally the signed document."""

    class Meta:
        formfield_callback = portal_forms.formfield
        model = Signering
        fields = ["partnar", "dato", "dokument", "merknad"]
        widgets = {
            "dato": date_widget(),
            "dokument": forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        }
        error_messages = {"dato": {"required": "Skriv kva dato parten signerte."}}

    def __init__(self, *args, versjon: Avtaleversjon, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.versjon = versjon
        parties = versjon.avtale.partar.order_by("type", "namn")
        if self.instance.pk is None:
            parties = parties.exclude(signeringar__versjon=versjon)
        portal_forms.field_of(self, "partnar", forms.ModelChoiceField).queryset = parties
        self.fields["partnar"].error_messages["required"] = "Vel parten som signerte."
        self.fields["dokument"].help_text = f"Valfritt. PDF, høgst {settings.MAX_UPLOAD_MB} MB."

    def clean_dokument(self):
        upload = self.cleaned_data.get("dokument")
        if isinstance(upload, UploadedFile):  # a new file, not the one saved before
            portal_forms.check_pdf(upload)
            upload = portal_forms.without_scripts(upload)
        return upload

    def clean_dato(self):
        value = self.cleaned_data.get("dato")
        if value and value > today():
            raise ValidationError("Signeringsdatoen kan ikkje vere fram i tid.")
        return value

    def save(self, commit: bool = True) -> Signering:
        signing = super().save(commit=False)
        upload = self.cleaned_data.get("dokument")
        if isinstance(upload, UploadedFile):
            upload.name = f"{signing.versjon.avtale.slug}-{signing.partnar.slug}-signert.pdf"
            signing.dokument = upload
        if commit:
            signing.save()
        return signing
