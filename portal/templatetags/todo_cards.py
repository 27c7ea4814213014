"""The cards of the homes' to-do lists (``portal.todos``), written in Python (``portal.rows``): every
home shows up to twelve, on every visit."""

from django import template
from django.utils.translation import gettext as _

from portal.formats import format_date
from portal.rows import one, rows

register = template.Library()


def _when(todo) -> str:
    day = format_date(todo.deadline, "l j. F")
    if todo.kind == "meeting":
        return _("%(date)s at %(time)s") % {"date": day, "time": format_date(todo.deadline, "H:i")}
    if todo.has_time:
        return _("By %(date)s at %(time)s") % {"date": day, "time": format_date(todo.deadline, "H:i")}
    return _("By %(date)s") % {"date": day}


@register.simple_tag
def todo_cards(todos, level):
    """One card per to-do: its title as a heading of ``level``, what it is about, its deadline (and
    whether it is overdue), and one button to act, described by the heading."""
    overdue = one('<span class="badge badge-warning">{}</span> ', _("Overdue"))
    nothing = one("")
    return rows(
        '<li class="card portal-todo" data-kind="{}">\n<div class="card-content">\n'
        '<h{} class="card-heading h4" id="todo-{}">{}</h{}>\n{}{}'
        '<p class="portal-actions">'
        '<a class="button button-primary" href="{}" aria-describedby="todo-{}">{}</a></p>\n'
        "</div>\n</li>",
        (
            (
                todo.kind,
                level, n, todo.title, level,
                one('<p class="card-subheading">{}</p>\n', todo.note) if todo.note else nothing,
                one("<p>{}{}</p>\n", overdue if todo.overdue else nothing, _when(todo))
                if todo.deadline
                else nothing,
                todo.url, n, todo.action,
            )
            for n, todo in enumerate(todos, start=1)
        ),
    )  # fmt: skip
