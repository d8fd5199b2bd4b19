from django import forms

from partnarskap.models import Medlemskap, Person
from portal.forms import date_widget


class MedlemskapForm(forms.ModelForm):
    """A seat. The person is picked from the register, or created by typing a new name."""

    ny_person = forms.CharField(
        label="Eller ny person (namn)",
        max_length=200,
        required=False,
        help_text="Skriv namnet om personen ikkje finst i lista.",
    )

    class Meta:
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
