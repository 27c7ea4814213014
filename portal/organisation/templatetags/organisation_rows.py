"""The rows of the institution pages' long tables (``portal.rows``): same markup as the templates."""

from django import template
from django.middleware.csrf import get_token
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from portal.organisation.models import Institution, StaffMembership
from portal.rows import url_of

register = template.Library()


@register.simple_tag
def group_rows(institution, groups):
    """The institution page's groups: name, children now, a link to edit."""
    edit = url_of("organisation:group_edit", institution.pk)
    name, children, edit_label = _("Name"), _("Children now"), _("Edit")
    return format_html_join(
        "\n",
        '<tr><td data-title="{}">{}</td><td class="text-align-right" data-title="{}">{}</td>'
        '<td data-title=""><a href="{}">{}<span class="sr-only"> {}</span></a></td></tr>',
        ((name, g.name, children, g.child_count, edit(g.pk), edit_label, g.name) for g in groups),
    )


@register.simple_tag(takes_context=True)
def staff_rows(context, institution, memberships):
    """The institution page's staff: name and address, role, groups, links to edit and to end access
    (not for oneself), each end a form of its own with the page's CSRF token."""
    request = context["request"]
    edit = url_of("organisation:membership_edit", institution.pk)
    end = url_of("organisation:membership_end", institution.pk)
    roles = dict(StaffMembership.Role.choices)
    labels = {
        "name": _("Name"),
        "role": _("Role"),
        "groups": _("Groups"),
        "edit": _("Edit"),
        "end": _("End access"),
        "confirm": _("End this access now?"),
    }
    token = get_token(request)
    rows = []
    for m in memberships:
        name = m.user.get_full_name()
        groups = ", ".join(g.name for g in m.groups.all()) or "–"
        end_form = ""
        if m.user_id != request.user.pk:
            end_form = format_html(
                '<form method="post" action="{}" data-confirm="{}">'
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
                '<button class="button button-tertiary" type="submit">{}<span class="sr-only"> {}</span>'
                "</button></form>",
                end(m.pk),
                labels["confirm"],
                token,
                labels["end"],
                name,
            )
        rows.append(
            format_html(
                '<tr><td data-title="{}">{}<br><span class="form-hint">{}</span></td>'
                '<td data-title="{}">{}</td>\n'
                '<td data-title="{}">{}</td>\n'
                '<td data-title=""><a href="{}">{}<span class="sr-only"> {}</span></a>\n{}</td></tr>',
                labels["name"],
                name,
                m.user.email,
                labels["role"],
                roles.get(m.role, m.role),
                labels["groups"],
                groups,
                edit(m.pk),
                labels["edit"],
                name,
                end_form,
            )
        )
    return format_html_join("\n", "{}", ((row,) for row in rows))


@register.simple_tag
def institution_rows(institutions):
    """The municipality's institutions: name (and closed), kind, groups, children and staff now."""
    detail = url_of("organisation:institution_detail")
    kinds = dict(Institution.Kind.choices)
    labels = (_("Name"), _("Kind"), _("Groups"), _("Children"), _("Staff"))
    closed = format_html(' <span class="badge">{}</span>', _("closed"))
    return format_html_join(
        "\n",
        '<tr><td data-title="{}"><a href="{}">{}</a>{}</td><td data-title="{}">{}</td>\n'
        '<td class="text-align-right" data-title="{}">{}</td>'
        '<td class="text-align-right" data-title="{}">{}</td>'
        '<td class="text-align-right" data-title="{}">{}</td></tr>',
        (
            (
                labels[0], detail(i.pk), i.name, "" if i.is_active else closed,
                labels[1], kinds.get(i.kind, i.kind),
                labels[2], i.group_count, labels[3], i.child_count, labels[4], i.staff_count,
            )
            for i in institutions
        ),
    )  # fmt: skip
