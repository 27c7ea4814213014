"""The children app's timeline sources: pregnancy and birth, places, published plan versions, goals and
language assessments. Each reads through the policy of its kind; the page itself is only for those who
may see the child (``get_child_for_user_or_404``)."""

from django.db.models import DateTimeField, F
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from children.models import Child, Enrollment, LanguageAssessment, LearningGoal, PlanVersion
from children.models.activities import LanguageResult
from children.policies.plans import plans_visible_to
from children.timeline import Entry, Reader, TimelineSource, key, register, timeline_rows
from portal.organisation.models import Institution


def _child_rows(column: str):
    def rows(reader: Reader):
        return timeline_rows(
            Child.objects.filter(pk=reader.child.pk, **{f"{column}__isnull": False}),
            at=F(column),
            key=key(column),
        )

    return rows


def _expected_entries(reader: Reader, ids) -> dict:
    child = reader.child
    return {child.pk: Entry(title=_("Expected date"), on=child.expected_on)}


def _born_entries(reader: Reader, ids) -> dict:
    child = reader.child
    return {child.pk: Entry(title=_("%(name)s was born") % {"name": child.first_name}, on=child.birth_date)}


def _place_rows(reader: Reader):
    # The child page shows every place of the child to whoever may see the child.
    return timeline_rows(
        Enrollment.objects.filter(child=reader.child), at=F("started_on"), key=F("institution__kind")
    )


def _place_entries(reader: Reader, ids) -> dict:
    entries = {}
    for e in Enrollment.objects.filter(pk__in=ids, child=reader.child).select_related("institution", "group"):
        place = e.institution.name
        if e.institution.kind == Institution.Kind.HEALTH_VISITING:
            title = _("Health visiting from %(place)s began") % {"place": place}
        else:
            title = _("Started at %(place)s") % {"place": place}
        lines = [e.institution.get_kind_display()]
        if e.group_id:
            lines.append(_("Group: %(group)s") % {"group": e.group.name})
        if e.ended_on:
            lines.append(_("Until %(date)s") % {"date": _date(e.ended_on)})
        entries[e.pk] = Entry(title=title, lines=lines, place=place, on=e.started_on)
    return entries


def _date(value) -> str:
    from django.utils.formats import date_format

    return date_format(value, "DATE_FORMAT")


def _plan_rows(reader: Reader):
    return timeline_rows(
        PlanVersion.objects.filter(plan__in=plans_visible_to(reader.user).filter(child=reader.child)),
        at=F("published_at"),
        key=F("plan__kind"),
    )


def _plan_entries(reader: Reader, ids) -> dict:
    entries = {}
    for v in PlanVersion.objects.filter(pk__in=ids, plan__child=reader.child).select_related(
        "plan__institution"
    ):
        plan = v.plan
        title = _("%(plan)s at %(place)s: version %(number)s published") % {
            "plan": plan.get_kind_display(),
            "place": plan.institution.name,
            "number": v.number,
        }
        lines = [v.note] if v.note else []
        url = reverse("children:plan_version", args=[plan.pk, v.number])
        entries[v.pk] = Entry(title=title, lines=lines, place=plan.institution.name, url=url)
    return entries


def _goal_rows(reader: Reader):
    goals = LearningGoal.objects.filter(child=reader.child, plan__in=plans_visible_to(reader.user))
    if reader.is_guardian:  # families read goals once a version with them is published, never drafts
        goals = goals.filter(plan__published_number__gt=0, created_at__lte=F("plan__published_at"))
    return timeline_rows(goals, at=F("created_at"), key=F("theme"))


def _goal_entries(reader: Reader, ids) -> dict:
    goals = list(
        LearningGoal.objects.filter(pk__in=ids, child=reader.child).select_related("plan", "institution")
    )
    published = {}
    if reader.is_guardian:  # the words as published, not as the draft has them now
        versions = PlanVersion.objects.filter(
            plan_id__in={g.plan_id for g in goals}, number=F("plan__published_number")
        )
        for version in versions:
            for item in version.snapshot.get("goals", []):
                published[item.get("id")] = item
    entries = {}
    for g in goals:
        if reader.is_guardian:
            shown = published.get(g.pk)
            if shown is None:
                continue  # not in the latest version: taken out of the plan
            title, theme, status = shown.get("title", ""), shown.get("theme", ""), shown.get("status", "")
        else:
            title, theme, status = g.title, g.theme, g.status
        lines = [
            LearningGoal.Theme(theme).label if theme in LearningGoal.Theme.values else theme,
            LearningGoal.Status(status).label if status in LearningGoal.Status.values else status,
        ]
        url = reverse("children:plan_detail", args=[g.plan_id]) + f"#goal-{g.pk}"
        entries[g.pk] = Entry(
            title=_("Goal: %(title)s") % {"title": title}, lines=lines, place=g.institution.name, url=url
        )
    return entries


def _language_rows(reader: Reader):
    # Whoever may see the child sees its assessments (children/policies/language.py).
    happened = Coalesce(
        Cast("assessed_on", DateTimeField()), Cast("planned_on", DateTimeField()), F("created_at")
    )
    return timeline_rows(LanguageAssessment.objects.filter(child=reader.child), at=happened, key=F("stage"))


def _language_entries(reader: Reader, ids) -> dict:
    entries = {}
    for a in LanguageAssessment.objects.filter(pk__in=ids, child=reader.child).select_related("institution"):
        lines = [a.get_stage_display()]
        if a.result and (not reader.is_guardian or a.shared_at):
            lines.append(_("Result: %(result)s") % {"result": LanguageResult(a.result).label})
        elif not a.result:
            lines.append(_("Planned"))
        entries[a.pk] = Entry(
            title=_("Language assessment at %(place)s") % {"place": a.institution.name},
            lines=lines,
            place=a.institution.name,
            url=reverse("children:language_assessment_detail", args=[a.pk]),
            on=a.assessed_on or a.planned_on or a.created_at,
        )
    return entries


def register_sources() -> None:
    register(
        TimelineSource("expected", gettext_lazy("Pregnancy"), _child_rows("expected_on"), _expected_entries)
    )
    register(TimelineSource("born", gettext_lazy("Birth"), _child_rows("birth_date"), _born_entries))
    register(TimelineSource("place", gettext_lazy("Places"), _place_rows, _place_entries))
    register(TimelineSource("plan", gettext_lazy("Learning plans"), _plan_rows, _plan_entries))
    register(TimelineSource("goal", gettext_lazy("Learning goals"), _goal_rows, _goal_entries))
    register(
        TimelineSource("language", gettext_lazy("Language assessments"), _language_rows, _language_entries)
    )
