"""The rows of a group's children (``portal.rows``): same markup as the template had."""

from django import template
from django.utils.translation import gettext as _

from portal.formats import format_date
from portal.rows import one, rows, url_of

register = template.Library()


@register.simple_tag
def group_child_rows(children):
    """A group's children (``group_page``): name linking to the child, born (or expected), goals."""
    detail = url_of("children:child_detail")
    child_label, born_label, goals_label, expected = _("Child"), _("Born"), _("Learning goals"), _("Expected")

    def born(child):
        if child.birth_date:
            return format_date(child.birth_date, "ABBR_DATE_FORMAT")
        return one("{} {}", expected, format_date(child.expected_on, "ABBR_DATE_FORMAT"))

    return rows(
        '<tr>\n<td data-title="{}"><a href="{}">{}</a></td>\n<td data-title="{}">{}</td>\n'
        '<td class="text-align-right" data-title="{}">{}</td>\n</tr>',
        (
            (child_label, detail(c.pk), c.full_name, born_label, born(c), goals_label, c.goal_count)
            for c in children
        ),
    )
