"""Reads for the education plan pages and to-dos: each a fixed number of queries, however many wishes,
remarks, confirmations, meetings or pupils there are."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _

from children.models import Enrollment, Guardianship
from portal.access import children_served_by, staff_scope
from portal.meetings.models import Meeting
from portal.organisation.models import StaffMembership
from portal.statements import Statement, columns
from portal.todos import LIMIT, ChildRef, Todo
from transitions.models import (
    EducationPlan,
    EducationPlanConfirmation,
    EducationPlanRemark,
    EducationWish,
    YouthEducation,
)
from transitions.models.education import COPENHAGEN, school_year_of
from transitions.policies.education import class_enrollment_filter

OPTAGELSE_URL = "https://www.optagelse.dk/"


@dataclass(frozen=True)
class HolderStatus:
    """One custody holder and their confirmation: of this version, or only of an earlier one."""

    user_id: int
    name: str
    confirmed_at: datetime | None
    earlier: bool


@dataclass
class PlanPage:
    plan: EducationPlan
    wishes: list
    remarks: list
    holders: list[HolderStatus]
    meetings: list
    locked: bool
    mine: HolderStatus | None = None
    my_remark: EducationPlanRemark | None = None
    optagelse_url: str = OPTAGELSE_URL

    @property
    def all_confirmed(self) -> bool:
        return bool(self.holders) and all(h.confirmed_at for h in self.holders)


def today_in_denmark(now=None):
    return (now or timezone.now()).astimezone(COPENHAGEN).date()


def current_school_year(now=None) -> int:
    return school_year_of(today_in_denmark(now))


def plan_page(plan: EducationPlan, user, *, now=None) -> PlanPage:
    """The plan with its wishes, remarks, custody holders' confirmations and the upcoming café meetings
    for its school and class level (five queries)."""
    wishes = list(EducationWish.objects.filter(plan=plan).select_related("education").order_by("rank"))
    remarks = list(EducationPlanRemark.objects.filter(plan=plan).order_by("pk"))
    holders = list(
        Guardianship.objects.active()
        .filter(child_id=plan.child_id, has_custody=True)
        .select_related("user")
        .order_by("pk")
    )
    confirmations: dict[int, list] = {}
    for user_id, version, at in EducationPlanConfirmation.objects.filter(plan=plan).values_list(
        "user_id", "version", "confirmed_at"
    ):
        confirmations.setdefault(user_id, []).append((version, at))
    statuses = []
    for g in holders:
        mine = confirmations.get(g.user_id, [])
        current = next((at for version, at in mine if version == plan.version), None)
        statuses.append(
            HolderStatus(
                g.user_id, g.user.get_full_name() or g.user.email, current, bool(mine) and not current
            )
        )
    in_class = Enrollment.objects.current().filter(child_id=plan.child_id, group_id=OuterRef("group_id"))
    meetings = list(
        Meeting.objects.upcoming(now=now)
        .filter(
            style=Meeting.Style.CAFE,
            institution_id=plan.institution_id,
            group__school_year=plan.class_level,
        )
        .annotate(own_class=Exists(in_class))
        .select_related("group")
        .order_by("starts_at", "pk")[:10]
    )
    page = PlanPage(
        plan=plan,
        wishes=wishes,
        remarks=remarks,
        holders=statuses,
        meetings=meetings,
        locked=plan.is_locked(now=now),
    )
    page.mine = next((h for h in statuses if h.user_id == user.pk), None)
    page.my_remark = next((r for r in remarks if r.author_id == user.pk), None)
    return page


def pupil_plan_of(child_id: int, *, now=None) -> EducationPlan | None:
    """The pupil's plan of this school year (one query)."""
    return (
        EducationPlan.objects.filter(child_id=child_id, school_year=current_school_year(now))
        .select_related("child", "institution")
        .first()
    )


_CHILD_PLANS = Statement(
    lambda user, *, child: (
        EducationPlan.objects.filter(child_id=child)
        .order_by("-school_year", "pk")
        .values(*columns(EducationPlan))
    ),
    child=int,
)


def child_education_plans(child) -> list[EducationPlan]:
    """The child's education plans, newest first, for a viewer who may see the child (one query, its
    SQL compiled once: every child page asks)."""
    return _CHILD_PLANS.objects(None, EducationPlan, child=child.pk)


def pupil_home_plan(child_id: int, *, now=None) -> EducationPlan | None:
    """This school year's plan for the pupil's home, with ``has_wishes`` (one query)."""
    return (
        EducationPlan.objects.filter(child_id=child_id, school_year=current_school_year(now))
        .annotate(has_wishes=Exists(EducationWish.objects.filter(plan=OuterRef("pk"))))
        .first()
    )


def offered_educations(municipality_id: int, *, keep=()) -> list[YouthEducation]:
    """The municipality's youth educations to choose from: those offered, and those already chosen."""
    return list(
        YouthEducation.objects.filter(
            Q(is_offered=True) | Q(pk__in=list(keep)), municipality_id=municipality_id
        )
    )


def staff_plan_rows(user, *, now=None) -> list[Enrollment]:
    """The pupils in 8.–9. klasse this staff member serves, each with this school year's plan: its id,
    whether wishes and guidance are there, and how many custody holders have confirmed its current
    version out of how many. One query."""
    year = current_school_year(now)
    plans = EducationPlan.objects.filter(child_id=OuterRef("child_id"), school_year=year)
    confirmed = (
        EducationPlanConfirmation.objects.filter(
            plan__child_id=OuterRef("child_id"), plan__school_year=year, version=F("plan__version")
        )
        .order_by()
        .values("plan")
        .annotate(n=Count("pk"))
        .values("n")
    )
    holders = (
        Guardianship.objects.active()
        .filter(child_id=OuterRef("child_id"), has_custody=True)
        .order_by()
        .values("child")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Enrollment.objects.current()
        .filter(class_enrollment_filter(), child__in=children_served_by(user))
        .select_related("child", "group", "institution")
        .annotate(
            plan_id=Subquery(plans.values("pk")[:1]),
            plan_ready=Exists(plans.filter(ready_at__isnull=False)),
            has_wishes=Exists(
                EducationWish.objects.filter(plan__child_id=OuterRef("child_id"), plan__school_year=year)
            ),
            has_guidance=Exists(plans.exclude(guidance="")),
            confirmed=Coalesce(Subquery(confirmed, output_field=IntegerField()), Value(0)),
            holders=Coalesce(Subquery(holders, output_field=IntegerField()), Value(0)),
        )
        .order_by("group__school_year", "group__name", "child__first_name", "child__last_name", "pk")
    )


def starts_plans_in(user) -> tuple[set[int], set[int], set[int]]:
    """(counsellor groups, teacher groups, led schools): where this staff member may start a plan."""
    scope = staff_scope(user)
    role = StaffMembership.Role
    return (
        set(scope.groups(lambda r: r == role.UU_COUNSELLOR)),
        set(scope.groups(lambda r: r == role.TEACHER)),
        set(scope.institutions(lambda r: r == role.LEADER)),
    )


# --- to-dos -------------------------------------------------------------------------------------------
def _open_plans(now=None):
    return EducationPlan.objects.filter(
        school_year=current_school_year(now), deadline__gte=today_in_denmark(now)
    )


def guidance_todos(user, *, now=None) -> list[Todo]:
    """Plans of pupils in this UU counsellor's caseload still without guidance, due on the deadline."""
    groups, _teacher, _leads = starts_plans_in(user)
    if not groups:
        return []
    caseload = Enrollment.objects.current().filter(group_id__in=groups, child=OuterRef("child_id"))
    rows = (
        _open_plans(now)
        .filter(Exists(caseload), guidance="")
        .order_by("deadline", "pk")
        .values("pk", "deadline", "child_id", "child__first_name", "child__municipality_id")[:LIMIT]
    )
    return [
        Todo(
            kind="education_plan",
            title=_("Write your guidance in %(name)s's education plan") % {"name": row["child__first_name"]},
            url=reverse_lazy("transitions:education_plan_detail", args=[row["pk"]]),
            action=_("Open the education plan"),
            deadline=row["deadline"],
            child=ChildRef.of(row),
        )
        for row in rows
    ]


def confirm_todos(user, *, now=None) -> list[Todo]:
    """Ready plans of this custody holder's children whose current version they have not confirmed."""
    custody = Guardianship.objects.active().filter(user_id=user.pk, has_custody=True).values("child_id")
    done = EducationPlanConfirmation.objects.filter(
        plan=OuterRef("pk"), user_id=user.pk, version=OuterRef("version")
    )
    rows = (
        _open_plans(now)
        .filter(child_id__in=custody, ready_at__isnull=False)
        .exclude(Exists(done))
        .order_by("deadline", "pk")
        .values("pk", "deadline", "child_id", "child__first_name", "child__municipality_id")[:LIMIT]
    )
    return [
        Todo(
            kind="education_plan",
            title=_("Read and confirm %(name)s's education plan") % {"name": row["child__first_name"]},
            url=reverse_lazy("transitions:education_plan_detail", args=[row["pk"]]),
            action=_("Read and confirm"),
            deadline=row["deadline"],
            child=ChildRef.of(row),
        )
        for row in rows
    ]


def pupil_todos(plan: EducationPlan | None, *, now=None) -> list[Todo]:
    """The pupil writes their goals and wishes until the deadline (``pupil_home_plan``; no query)."""
    if plan is None or plan.has_wishes or plan.is_locked(now=now):
        return []
    return [
        Todo(
            kind="education_wishes",
            title=_("Write your goals and wishes for education after school"),
            url=reverse_lazy("transitions:education_plan_pupil"),
            action=_("Write your wishes"),
            deadline=plan.deadline,
        )
    ]
