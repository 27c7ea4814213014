"""The rows of the staff's list of upcoming meetings (``portal.rows``): same markup as the template."""

from django import template
from django.utils.translation import gettext as _

from portal.formats import format_date
from portal.rows import one, rows, url_of

register = template.Library()


@register.simple_tag
def upcoming_meeting_rows(meetings):
    """When, which meeting (and its form), with whom (and the interpreter), where: one row each."""
    detail = url_of("meetings:staff_meeting_detail")
    labels = (_("When"), _("Meeting"), _("With"), _("Where"))
    kept = []
    for m in meetings:
        style = one('<br><span class="form-hint">{}</span>', m.style) if m.style else one("")
        with_whom = m.child_name if m.child else _("The families in %(group)s") % {"group": m.group_name}
        interpreter = one("")
        if m.interpreter_language:
            interpreter = one(
                '<br><span class="form-hint">{}</span>',
                _("Interpreter: %(language)s") % {"language": m.interpreter_language},
            )
        when = format_date(m.starts_at, "ABBR_WEEKDAY_DATETIME_FORMAT")
        kept.append(
            (
                labels[0], when, format_date(m.ends_at, "H:i"),
                labels[1], detail(m.pk), m.title, style,
                labels[2], with_whom, interpreter,
                labels[3], m.location or "–",
            )
        )  # fmt: skip
    return rows(
        '<tr><td data-title="{}">{}–{}</td>\n<td data-title="{}"><a href="{}">{}</a>{}</td>\n'
        '<td data-title="{}">{}{}</td>\n<td data-title="{}">{}</td></tr>',
        kept,
    )
