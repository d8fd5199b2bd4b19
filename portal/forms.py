from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    """Every form field renders through templates/forms/field.html: label, help, errors and
    aria attributes are defined once."""

    field_template_name = "forms/field.html"


def date_widget():
    from django import forms

    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
