"""Every form renders in the Danish design system's markup, with errors linked to their fields."""

from django.forms import widgets
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

_CLASSES = {
    widgets.Select: "form-select",
    widgets.CheckboxInput: "form-checkbox",
    widgets.RadioSelect: "form-radio",
    widgets.CheckboxSelectMultiple: "form-checkbox",
}


class DateInput(widgets.DateInput):
    """A native date picker. Its value is always ISO (yyyy-mm-dd), whatever the language: browsers read
    nothing else, and a localised value (26.11.2026) would show as an empty field."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PortalBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        css = next((c for w, c in _CLASSES.items() if isinstance(widget, w)), "form-input")
        attrs["class"] = " ".join(filter(None, [widget.attrs.get("class"), attrs.get("class"), css]))
        return attrs


class PortalFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = PortalBoundField


def add_service_errors(form, error) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
