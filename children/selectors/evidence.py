"""Reads about evidence for the homes."""

from django.db.models import Exists, OuterRef
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _

from children.models import Enrollment, Evidence
from portal.access import staff_enrollment_scope
from portal.statements import Statement
from portal.todos import CHILD_FIELDS, LIMIT, ChildRef, Todo


def _takedowns(user):
    writes_here = Enrollment.objects.current().filter(
        staff_enrollment_scope(user, writing=True),
        child_id=OuterRef("plan__child_id"),
        institution_id=OuterRef("plan__institution_id"),
    )
    return (
        Evidence.objects.filter(Exists(writes_here), takedown_requested_at__isnull=False)
        .order_by("takedown_requested_at", "pk")
        .values("pk", "plan_id", "takedown_requested_at", *(f"plan__{name}" for name in CHILD_FIELDS))[:LIMIT]
    )


_TAKEDOWNS = Statement(_takedowns)


def takedown_todos(user) -> list[Todo]:
    """Photos and files a guardian has asked to be taken down, in the plans this staff member writes,
    oldest request first (due the day it was asked). One query."""
    return [
        Todo(
            kind="evidence",
            title=_("A parent asked to take down a photo or file of %(name)s")
            % {"name": row["plan__child__first_name"]},
            url=format_lazy(
                "{}#evidence-{}", reverse_lazy("children:plan_detail", args=[row["plan_id"]]), row["pk"]
            ),
            action=_("Remove it"),
            deadline=timezone.localdate(row["takedown_requested_at"]),
            child=ChildRef.of(row, prefix="plan__child"),
        )
        for row in _TAKEDOWNS.rows(user)
    ]
