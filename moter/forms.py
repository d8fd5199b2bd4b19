import hashlib

from django import forms
from django.conf import settings

from avtalar.models import Avtale
from moter import syklus
from moter.models import GODKJENT_I_FEIL, Deltaking, Mote, Referat, Sak, Vedlegg
from partnarskap.models import Partnar, Person, Utval
from portal import editing
from portal import forms as portal_forms
from portal.forms import date_widget


def time_widget():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class MoteForm(editing.EditForm):
    class Meta:
        formfield_callback = portal_forms.formfield
        model = Mote
        fields = [
            "type",
            "utval",
            "tittel",
            "dato",
            "til_dato",
            "start",
            "slutt",
            "stad",
            "vertskap",
            "runde",
            "status",
            "offentlege_papir",
            "endringar_i_pakke",
        ]
        widgets = {
            "dato": date_widget(),
            "til_dato": date_widget(),
            "start": time_widget(),
            "slutt": time_widget(),
        }

    # What a calendar subscriber must be told about when it changes.
    KALENDERFELT = (
        "type",
        "utval",
        "tittel",
        "dato",
        "til_dato",
        "start",
        "slutt",
        "stad",
        "status",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["utval"].queryset = Utval.objects.filter(aktiv=True)

    def save(self, commit: bool = True) -> Mote:
        if self.instance.pk and any(f in self.changed_data for f in self.KALENDERFELT):
            self.instance.sekvens += 1
        return super().save(commit)


class SakForm(editing.EditForm):
    """A sak on a meeting's agenda. A new sak gets the next free number of its utval and
    year; the number can be set by hand, but never to one already used that year."""

    class Meta:
        formfield_callback = portal_forms.formfield
        model = Sak
        fields = [
            "nummer",
            "tittel",
            "type",
            "saksframlegg",
            "forslag_til_vedtak",
            "vedtak",
            "offentleg",
            "heimel",
            "avtalar",
            "tiltak",
            "partnarar",
        ]
        widgets = {
            "saksframlegg": forms.Textarea(attrs={"rows": 8}),
            "forslag_til_vedtak": forms.Textarea(attrs={"rows": 3}),
            "vedtak": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, mote: Mote, **kwargs):
        super().__init__(*args, **kwargs)
        self.mote = mote
        self.instance.mote = mote
        self.instance.utval_id = mote.utval_id
        self.instance.ar = mote.dato.year
        self.fields["nummer"].required = False
        self.fields["nummer"].help_text = "Vert sett av seg sjølv om du let feltet stå tomt."
        self.fields["avtalar"].required = False
        self.fields["tiltak"].required = False
        partnarar = portal_forms.field_of(self, "partnarar", forms.ModelMultipleChoiceField)
        partnarar.required = False
        partnarar.queryset = Partnar.objects.order_by("namn")
        avtalar = portal_forms.field_of(self, "avtalar", forms.ModelMultipleChoiceField)
        avtalar.queryset = Avtale.objects.order_by("tittel")
        if self.instance.pk and mote.status != Mote.Status.PLANLAGT:
            # People quote the number once the agenda is out: it never changes after that.
            self.fields["nummer"].disabled = True
            self.fields[
                "nummer"
            ].help_text = "Saksnummeret kan ikkje endrast etter at innkallinga er send."
        if not self.instance.pk:
            del self.fields["vedtak"]

    def clean(self):
        data = super().clean()
        if not self.mote.utval_id:
            raise forms.ValidationError("Berre møte i eit utval har saker med saksnummer.")
        return data

    def _post_clean(self):
        if self.cleaned_data.get("nummer") is None and "nummer" not in self.errors:
            self.cleaned_data["nummer"] = self.instance.nummer or self.mote.neste_saksnummer()
        super()._post_clean()

    def save(self, commit: bool = True) -> Sak:
        sak = self.instance
        if not sak.pk:
            top = self.mote.saker.order_by("-rekkjefolgje").values_list("rekkjefolgje", flat=True)
            sak.rekkjefolgje = (top.first() or 0) + 1
        return super().save(commit)


class VedleggForm(portal_forms.ModelForm):
    new_under = "sak"  # every sak on the meeting page has an upload form

    class Meta:
        formfield_callback = portal_forms.formfield
        model = Vedlegg
        fields = ["tittel", "fil"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tittel"].required = False
        self.fields["tittel"].help_text = "Filnamnet vert brukt om du let feltet stå tomt."
        self.fields["fil"].widget.attrs["accept"] = "application/pdf,.pdf"
        self.fields["fil"].help_text = f"PDF, høgst {settings.MAX_UPLOAD_MB} MB."

    def clean_fil(self):
        upload = self.cleaned_data["fil"]
        self.instance.sider = len(portal_forms.check_pdf(upload).pages)
        upload = portal_forms.without_scripts(upload)  # what is stored, checksummed and merged
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        self.instance.sjekksum = digest.hexdigest()
        self.instance.storleik = upload.size
        return upload

    def clean(self):
        data = super().clean()
        upload = data.get("fil")
        if upload and not data.get("tittel"):
            name = upload.name.rsplit("/", 1)[-1]
            name = name[:-4] if name.lower().endswith(".pdf") else name
            data["tittel"] = portal_forms.as_one_line(name)[:300] or "Vedlegg"
        return data


class ReferatForm(editing.EditForm):
    class Meta:
        formfield_callback = portal_forms.formfield
        model = Referat
        fields = ["merknad", "godkjent_i"]
        widgets = {"merknad": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mote = self.instance.mote
        # Only a later meeting of the same utval that has been held can have approved it.
        later = Mote.objects.halde().filter(dato__gt=mote.dato, utval_id=mote.utval_id)
        field = self.fields["godkjent_i"]
        field.queryset = later.select_related("utval")
        field.error_messages["invalid_choice"] = GODKJENT_I_FEIL
        field.help_text = (
            "Det seinare møtet i same utval som godkjende referatet. Når det er valt, "
            "vert referatet og saklista låste."
        )


class OpneReferatForm(forms.Form):
    """Opening an approved referat again needs a reason, which history keeps."""

    grunn = portal_forms.OneLineField(
        label="Grunn til å opne referatet att",
        max_length=syklus.GRUNN_MAKS,
        help_text="Vert lagra i historikken og vist ved referatet.",
        error_messages={"required": "Skriv kvifor referatet skal opnast att."},
    )


class DeltakingForm(forms.Form):
    """Attendance for every seat of the utval on the meeting date, one row per person."""

    def __init__(self, *args, personar: list[Person], eksisterande: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.personar = personar
        choices = [("", "Ikkje registrert"), *Deltaking.Status.choices]
        vara_choices = [("", "–"), *[(p.pk, p.namn) for p in personar]]
        for person in personar:
            current = eksisterande.get(person.pk)
            self.fields[f"status_{person.pk}"] = forms.ChoiceField(
                label=f"Oppmøte: {person.namn}",
                choices=choices,
                required=False,
                initial=current.status if current else "",
            )
            self.fields[f"vara_for_{person.pk}"] = forms.TypedChoiceField(
                label=f"{person.namn} møtte som vara for",
                choices=vara_choices,
                coerce=int,
                empty_value=None,
                required=False,
                initial=current.vara_for_id if current else "",
            )

    def rader(self):
        for person in self.personar:
            yield person, self[f"status_{person.pk}"], self[f"vara_for_{person.pk}"]

    def clean(self):
        data = super().clean()
        for person in self.personar:
            status = data.get(f"status_{person.pk}")
            vara_for = data.get(f"vara_for_{person.pk}")
            if status == Deltaking.Status.VARA and not vara_for:
                self.add_error(f"vara_for_{person.pk}", "Vel kven vedkomande møtte som vara for.")
            elif status != Deltaking.Status.VARA and vara_for:
                self.add_error(
                    f"vara_for_{person.pk}", "Berre den som møtte som vara, er vara for nokon."
                )
            elif vara_for == person.pk:
                self.add_error(f"vara_for_{person.pk}", "Ingen kan vere vara for seg sjølv.")
        return data

    def save(self, referat: Referat) -> None:
        existing = {d.person_id: d for d in referat.deltaking.all()}
        for person in self.personar:
            status = self.cleaned_data.get(f"status_{person.pk}")
            vara_for = self.cleaned_data.get(f"vara_for_{person.pk}")
            row = existing.get(person.pk)
            if not status:
                if row:
                    row.delete()
                continue
            if row is None:
                Deltaking.objects.create(
                    referat=referat, person=person, status=status, vara_for_id=vara_for
                )
            elif row.status != status or row.vara_for_id != vara_for:
                row.status, row.vara_for_id = status, vara_for
                row.save()


class VedtakForm(forms.Form):
    """The vedtak of each sak, recorded with the minutes. Each sak's version goes with it:
    a vedtak someone changed on the agenda while the minutes were open is not written
    over (editing.Conflict, raised from ``save``)."""

    def __init__(self, *args, saker: list[Sak], **kwargs):
        super().__init__(*args, **kwargs)
        self.saker = saker
        for sak in saker:
            self.fields[f"vedtak_{sak.pk}"] = forms.CharField(
                label=f"Vedtak i sak {sak.saksnummer} {sak.tittel}",
                required=False,
                initial=sak.vedtak,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[self._version(sak.pk)] = forms.IntegerField(
                min_value=0,
                max_value=editing.MAX_SEEN,
                widget=forms.HiddenInput,
                initial=sak.edit_version,
            )

    @staticmethod
    def _version(pk: int) -> str:
        return f"{editing.VERSION_FIELD}_{pk}"

    def clean(self):
        data = super().clean()
        broken = [name for name in self.errors if name.startswith(editing.VERSION_FIELD)]
        for name in broken:
            del self.errors[name]
        if broken:
            self.add_error(None, editing.VERSION_MISSING)
        return data

    def save(self) -> None:
        """Call inside the minutes' save (editing.save): a conflict undoes all of it."""
        for sak in self.saker:
            text = self.cleaned_data.get(f"vedtak_{sak.pk}", "")
            if text != sak.vedtak:
                editing.claim(sak, self.cleaned_data[self._version(sak.pk)])
                sak.vedtak = text
                sak._change_reason = "Vedtaket er ført i referatet"
                sak.save()

    def second_try(self, conflict: editing.Conflict) -> None:
        """After a conflict on one of the saker: the user's text, with its current version."""
        if isinstance(conflict.record, Sak) and self._version(conflict.record.pk) in self.fields:
            current = Sak.objects.get(pk=conflict.record.pk)
            self.data = data = editing.editable_copy(self.data)
            data[self._version(current.pk)] = str(current.edit_version)
