import html
import re
from typing import ClassVar, TypeVar

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe


class PortalFormRenderer(TemplatesSetting):
    """Every form field renders through templates/forms/field.html: label, help, errors and
    aria attributes are defined once.

    Selects are written here in Python, exactly as Django's select.html and
    select_option.html write them: those include one template per option, and a choice of
    people or tiltak has hundreds of options (at scale 10, the secretariat's utval page spent
    most of its time there)."""

    field_template_name = "forms/field.html"
    SELECT = "django/forms/widgets/select.html"

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if template_name == self.SELECT else None
        if widget is None or any(
            option["template_name"] != "django/forms/widgets/select_option.html"
            for _group, options, _index in widget["optgroups"]
            for option in options
        ):
            return super().render(template_name, context, request)
        parts = [f'<select name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(f'\n  <optgroup label="{_escape(group)}">')
            for option in options:
                value, label = _escape(option["value"]), _escape(option["label"])
                attrs = _attrs(option["attrs"])
                # The included option template ends with a line break of its own.
                parts.append(f'\n  <option value="{value}"{attrs}>{label}</option>\n')
            if group:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))


def _escape(value) -> str:
    """What {{ value }} writes: escaped, unless it is marked safe already."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html in Python: False leaves an attribute out, True
    writes its name alone."""
    return "".join(
        f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def dom_ids(record: models.Model, new_under: str = "") -> str:
    """The ``auto_id`` of a form for ``record``: ``id_<model>_<pk>_<field>``, or
    ``id_<model>_ny_<field>`` for a record not saved yet (``id_<model>_ny_<parent><pk>_<field>``
    when ``new_under`` names the key that places it, for pages with one new-form per parent).
    Two editors on one page never share an id."""
    name = record._meta.model_name
    if record.pk is not None:
        return f"id_{name}_{record.pk}_%s"
    if new_under:
        return f"id_{name}_ny_{new_under}{getattr(record, f'{new_under}_id')}_%s"
    return f"id_{name}_ny_%s"


class ModelForm(forms.ModelForm):
    """The base of the portal's model forms: field ids come from the record (``dom_ids``),
    never chosen by hand. ``new_under`` names the foreign key of a new record when a page
    can show a new-form for each of several parents (an upload form per sak)."""

    new_under: ClassVar[str] = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.auto_id = dom_ids(self.instance, self.new_under)


FieldT = TypeVar("FieldT", bound=forms.Field)


def field_of(form: forms.BaseForm, name: str, kind: type[FieldT]) -> FieldT:
    """``form.fields[name]`` as the kind of field the model made it, to narrow its choices
    or its queryset; a TypeError if it is not that kind."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}")
    return field


def date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# Primary keys are 64-bit; a larger number in a choice field must be a wrong choice, not a
# database error (SQLite cannot even bind it).
_MAX_KEY = 2**63 - 1


def _fits(value) -> bool:
    try:
        return abs(int(str(value).strip())) <= _MAX_KEY
    except (TypeError, ValueError):
        return True  # not a number at all: Django's own check says so


class ModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not _fits(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for item in value:
            if not _fits(item):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(item)[:20]},
                )
        return super()._check_values(value)


# Line breaks, tabs and other control characters (C0, DEL, C1, and the Unicode line and
# paragraph separators): a title, place or name with one breaks e-mail headers, calendar
# entries and PDF bookmarks, and shows as something else than was meant.
_NOT_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
ONE_LINE_MESSAGE = "Skriv dette på éi linje, utan linjeskift, tabulator eller andre kontrollteikn."


def one_line(value) -> None:
    """Validator for one-line text: refuses line breaks and control characters."""
    if isinstance(value, str) and _NOT_ONE_LINE.search(value):
        raise ValidationError(ONE_LINE_MESSAGE, code="one_line")


def as_one_line(text: str) -> str:
    """Text that has to be one line (an e-mail subject, a title taken from a file name),
    with every run of whitespace and control characters made one space."""
    return " ".join(_NOT_ONE_LINE.sub(" ", text).split())


class OneLineField(forms.CharField):
    """A form's own one-line text field (the model forms get theirs from ``formfield``)."""

    default_validators = [one_line]


def _edits_one_line(formfield) -> bool:
    return (
        isinstance(formfield, forms.CharField)
        and not isinstance(formfield, forms.ChoiceField)
        and not isinstance(formfield.widget, forms.Textarea | forms.HiddenInput)
    )


def formfield(field, **kwargs):
    """Meta.formfield_callback for the portal's model forms: choice fields that refuse
    out-of-range keys at the field, and one-line text fields that refuse line breaks."""
    from django.db import models

    if isinstance(field, models.ManyToManyField):
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
    elif isinstance(field, models.ForeignKey):
        kwargs.setdefault("form_class", ModelChoiceField)
    result = field.formfield(**kwargs)
    if _edits_one_line(result) and one_line not in result.validators:
        result.validators.append(one_line)
    if result is not None:
        name_empty_choice(result, field)
    return result


def empty_choice(field) -> str:
    """What a select offers for "nothing chosen", instead of Django's "---------": "Ingen"
    where nothing is a valid answer, "Vel …" where something must be chosen."""
    return "Ingen" if field.blank else f"Vel {field.verbose_name}"


def name_empty_choice(formfield, field) -> None:
    if isinstance(formfield, forms.ModelChoiceField):
        if formfield.empty_label == "---------":
            formfield.empty_label = empty_choice(field)
    elif isinstance(formfield, forms.ChoiceField):
        choices: list[tuple[object, object]] = list(formfield.choices)  # type: ignore[arg-type]
        formfield.choices = [
            (key, empty_choice(field) if key == "" and label == "---------" else label)
            for key, label in choices
        ]


class LoginForm(AuthenticationForm):
    """The log-in form: a wrong user name or password marks both fields invalid and ties
    them to the one message that says so (id ``LOGIN_ERROR``); which of the two was wrong is
    not told."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            for name in ("username", "password"):
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": LOGIN_ERROR}
                )
            raise


LOGIN_ERROR = "innlogging-feil"


def check_pdf(upload):
    """The upload as a PdfReader if it is a readable, unencrypted PDF with pages within the
    size limit, judged by its content, not its name; a nynorsk ValidationError otherwise."""
    from django.conf import settings
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if upload.size > settings.MAX_UPLOAD_MB * 1024 * 1024:
        raise forms.ValidationError(
            f"Fila er for stor. Største tillatne storleik er {settings.MAX_UPLOAD_MB} MB."
        )
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise forms.ValidationError("Fila er ikkje ein PDF. Last opp dokumentet som PDF.")
    try:
        reader = PdfReader(upload)
        if reader.is_encrypted:
            raise forms.ValidationError(
                "PDF-fila er kryptert eller passordverna. Last opp ein PDF utan passord."
            )
        for page in reader.pages:
            page.mediabox  # noqa: B018  (a broken page tree fails here)
    except forms.ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError):
        raise forms.ValidationError(
            "PDF-fila er skadd og kan ikkje lesast. Prøv å lagre ho på nytt som PDF."
        ) from None
    finally:
        upload.seek(0)
    if len(reader.pages) == 0:
        raise forms.ValidationError("PDF-fila har ingen sider.")
    return reader


def without_scripts(upload):
    """The uploaded PDF with scripts and running actions removed (portal.pdfclean): the
    same upload when it had none, otherwise a new one with the cleaned bytes. Call it after
    ``check_pdf``."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.pdfclean import UnreadablePdf, strip_active_content

    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        clean = strip_active_content(data)
    except UnreadablePdf:
        raise forms.ValidationError(
            "PDF-fila er skadd og kan ikkje lesast. Prøv å lagre ho på nytt som PDF."
        ) from None
    if clean is data:
        return upload
    return SimpleUploadedFile(upload.name, clean, content_type="application/pdf")
