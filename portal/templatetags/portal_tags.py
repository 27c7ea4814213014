"""Template helpers for DKFDS markup: icons from the vendored sprite and form widgets with DKFDS classes.

Django already gives every widget ``aria-invalid`` and an ``aria-describedby`` pointing at
``<auto_id>_helptext`` and ``<auto_id>_error``; ``includes/_form_field.html`` renders those ids,
and these tags only add the DKFDS classes Django cannot know about.
"""

from django import template
from django.forms.utils import flatatt
from django.templatetags.static import static
from django.utils.html import format_html

from portal import menu
from portal.formats import format_date

register = template.Library()

_SPRITE = "dkfds/img/all-svg-icons.svg"

# Widget type (BoundField.widget_type) -> DKFDS class on the control.
_WIDGET_CLASSES = {
    "select": "form-select",
    "selectmultiple": "form-select",
    "nullbooleanselect": "form-select",
    "checkbox": "form-checkbox",
    "radioselect": "form-radio",
    "checkboxselectmultiple": "form-checkbox",
    "clearablefile": "",
    "file": "",
}

CHOICE_WIDGETS = frozenset({"radioselect", "checkboxselectmultiple"})


@register.simple_tag
def icon(name, label="", classes=""):
    """An icon from the DKFDS sprite; decorative unless a ``label`` is given."""
    css = f"icon-svg {classes}".strip()
    href = f"{static(_SPRITE)}#{name}"
    if label:
        return format_html(
            '<svg class="{}" focusable="false" role="img" aria-label="{}"><use href="{}"></use></svg>',
            css,
            label,
            href,
        )
    return format_html(
        '<svg class="{}" focusable="false" aria-hidden="true"><use href="{}"></use></svg>', css, href
    )


def _control_class(field, classes):
    # The project's form renderer (portal.forms.PortalBoundField) may already add the DKFDS class
    # and the widget's own class; then only the extra classes are ours to add.
    if field.build_widget_attrs({}).get("class"):
        return classes
    base = _WIDGET_CLASSES.get(field.widget_type, "form-input")
    own = field.field.widget.attrs.get("class", "")
    return " ".join(c for c in (base, own, classes) if c)


@register.simple_tag
def form_widget(field, classes=""):
    """Render a bound field's widget with its DKFDS class (``form-input``, ``form-select`` …)."""
    return field.as_widget(attrs={"class": _control_class(field, classes)})


@register.simple_tag
def choice_input(field, option, classes=""):
    """One radio button or checkbox of a RadioSelect/CheckboxSelectMultiple, without its label.

    DKFDS styles ``input.form-radio + label``, so the input and its label must be siblings, not
    nested as Django's default widget template does.
    """
    data = option.data
    base = _WIDGET_CLASSES.get(field.widget_type, "")
    attrs = {
        "type": data["type"],
        "name": data["name"],
        "value": "" if data["value"] is None else str(data["value"]),
        "id": option.id_for_label,
        "class": " ".join(c for c in (base, classes) if c),
    }
    for key, value in data["attrs"].items():
        if key not in attrs and key != "id":
            attrs[key] = value
    if data["selected"]:
        attrs["checked"] = True
    return format_html("<input{}>", flatatt(attrs))


@register.filter
def is_choice_list(field):
    """True for radio groups and checkbox lists, which DKFDS renders as a fieldset."""
    return field.widget_type in CHOICE_WIDGETS


@register.filter
def error_anchor(field):
    """The element id an error summary should link to: the control, or a group's first option."""
    if field.widget_type in CHOICE_WIDGETS:
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The main menu's items for the signed-in person (``portal.menu``)."""
    return menu.main_menu(context["request"].path, context["roles"])


@register.filter
def is_under(path, prefix):
    """True when ``path`` is ``prefix`` or below it, for marking the current menu item."""
    return menu.is_under(path, prefix)


@register.filter(expects_localtime=True)
def datefmt(value, name):
    """A date or datetime in a named format of the active language: Django's (``DATE_FORMAT``) or the
    portal's own (``WEEKDAY_DATE_FORMAT``, ``ABBR_DATE_FORMAT`` …), see ``portal/formats/``."""
    return format_date(value, name)
