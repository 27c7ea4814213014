"""The rows of the institution pages' long tables (``portal.rows``): same markup as the templates."""

from django import template
from django.middleware.csrf import get_token
from django.utils.translation import gettext as _

from portal.organisation.models import Institution, StaffMembership
from portal.rows import one, rows, url_of

register = template.Library()


@register.simple_tag
def group_rows(institution, groups):
    """The institution page's groups (dicts: pk, name, child_count): name, children now, edit."""
    edit = url_of("organisation:group_edit", institution.pk)
    name, children, edit_label = _("Name"), _("Children now"), _("Edit")
    return rows(
        '<tr><td data-title="{}">{}</td><td class="text-align-right" data-title="{}">{}</td>'
        '<td data-title=""><a href="{}">{}<span class="sr-only"> {}</span></a></td></tr>',
        ((name, g["name"], children, g["child_count"], edit(g["pk"]), edit_label, g["name"]) for g in groups),
    )


@register.simple_tag(takes_context=True)
def staff_rows(context, institution, memberships):
    """The institution page's staff (``institution_page``'s rows): name and address, role, groups,
    links to edit and to end access (not for oneself), each end a form with the page's CSRF token."""
    request = context["request"]
    edit = url_of("organisation:membership_edit", institution.pk)
    end = url_of("organisation:membership_end", institution.pk)
    roles = {value: str(label) for value, label in StaffMembership.Role.choices}
    name_label, role_label, groups_label = _("Name"), _("Role"), _("Groups")
    edit_label, end_label, confirm = _("Edit"), _("End access"), _("End this access now?")
    token = get_token(request)
    return rows(
        '<tr><td data-title="{}">{}<br><span class="form-hint">{}</span></td>'
        '<td data-title="{}">{}</td>\n'
        '<td data-title="{}">{}</td>\n'
        '<td data-title=""><a href="{}">{}<span class="sr-only"> {}</span></a>\n{}</td></tr>',
        (
            (
                name_label, m["name"], m["email"],
                role_label, roles.get(m["role"], m["role"]),
                groups_label, ", ".join(m["groups"]) or "–",
                edit(m["pk"]), edit_label, m["name"],
                ""
                if m["user_id"] == request.user.pk
                else one(
                    '<form method="post" action="{}" data-confirm="{}">'
                    '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
                    '<button class="button button-tertiary" type="submit">{}<span class="sr-only"> {}</span>'
                    "</button></form>",
                    end(m["pk"]), confirm, token, end_label, m["name"],
                ),
            )
            for m in memberships
        ),
    )  # fmt: skip


@register.simple_tag
def institution_rows(institutions):
    """The municipality's institutions: name (and closed), kind, groups, children and staff now."""
    detail = url_of("organisation:institution_detail")
    kinds = {value: str(label) for value, label in Institution.Kind.choices}
    labels = (_("Name"), _("Kind"), _("Groups"), _("Children"), _("Staff"))
    closed = one(' <span class="badge">{}</span>', _("closed"))
    return rows(
        '<tr><td data-title="{}"><a href="{}">{}</a>{}</td><td data-title="{}">{}</td>\n'
        '<td class="text-align-right" data-title="{}">{}</td>'
        '<td class="text-align-right" data-title="{}">{}</td>'
        '<td class="text-align-right" data-title="{}">{}</td></tr>',
        (
            (
                labels[0], detail(i.pk), i.name, one("") if i.is_active else closed,
                labels[1], kinds.get(i.kind, i.kind),
                labels[2], i.group_count, labels[3], i.child_count, labels[4], i.staff_count,
            )
            for i in institutions
        ),
    )  # fmt: skip
