"""Every write to a learning plan: its entries (with their history), notes, publishing and read receipts.

Each service runs in one transaction, records an access event, and queues notices after commit.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from children.models import (
    Child,
    Evidence,
    FocusPoint,
    Guardianship,
    LearningGoal,
    LearningPlan,
    PlanChange,
    PlanNote,
    PlanVersion,
)
from children.models.plans import PlanRead
from portal.audit.models import AccessEvent
from portal.audit.services import access_record
from portal.enqueue import enqueue
from portal.meetings.models import Notification
from portal.meetings.services.inbox import inbox_notify

FOCUS_POINT_FIELDS = ("area", "title", "school_effort", "agreed", "home_support", "status")
GOAL_SNAPSHOT_FIELDS = ("title", "theme", "description", "home_activity", "status")


def plan_kind_for(institution) -> str:
    return LearningPlan.Kind.PUPIL if institution.kind == "school" else LearningPlan.Kind.DAYCARE


def plan_for_place(*, child: Child, institution, created_by=None, school_year=None) -> LearningPlan:
    """The child's plan at the institution, made when missing (the unique constraint decides a race)."""
    defaults = {"kind": plan_kind_for(institution), "created_by": created_by, "school_year": school_year}
    try:
        with transaction.atomic():
            plan, _created = LearningPlan.objects.get_or_create(
                child=child, institution=institution, defaults=defaults
            )
    except IntegrityError:
        plan = LearningPlan.objects.get(child=child, institution=institution)
    return plan


def _name(user) -> str:
    return (user.get_full_name() or user.email)[:200]


def _touch(plan: LearningPlan, now) -> None:
    LearningPlan.objects.filter(pk=plan.pk).update(draft_changed_at=now)
    plan.draft_changed_at = now


def record_changes(*, plan, user, entry, before: dict, after: dict, created: bool = False) -> None:
    """The history of a goal or focus point: one row per changed field (a status change is its own
    action), or one "written" row for a new entry. Marks the plan's draft as changed."""
    now = timezone.now()
    target = {"goal": entry} if isinstance(entry, LearningGoal) else {"focus_point": entry}
    common = {"plan": plan, "actor": user, "actor_name": _name(user), "at": now, **target}
    if created:
        rows = [PlanChange(action=PlanChange.Kind.CREATED, after=str(entry), **common)]
    else:
        rows = [
            PlanChange(
                action=PlanChange.Kind.STATUS if name == "status" else PlanChange.Kind.EDITED,
                field=name,
                before=str(before[name]),
                after=str(after[name]),
                **common,
            )
            for name in after
            if before.get(name) != after[name]
        ]
    if rows:
        PlanChange.objects.bulk_create(rows)
        _touch(plan, now)


def check_competences(*, municipality_id: int, competences) -> None:
    """Goals and focus points build competences of their own municipality's framework only."""
    if any(c.municipality_id != municipality_id for c in competences):
        raise ValidationError({"competences": _("Choose competences from your municipality's framework.")})


def competence_names(competences) -> str:
    """How a set of linked competences reads in the plan's history (the framework's Danish names)."""
    return ", ".join(c.name_da for c in sorted(competences, key=lambda c: (c.position, c.pk)))


def links_set(*, plan, user, entry, competences) -> bool:
    """Link the goal or focus point to exactly these competences; a change is kept in the plan's
    history like an edit of a field ("competences", names before and after). Returns whether it
    changed."""
    competences = list(competences)
    current = list(entry.competences.all())
    if {c.pk for c in current} == {c.pk for c in competences}:
        return False
    entry.competences.set(competences)
    record_changes(
        plan=plan,
        user=user,
        entry=entry,
        before={"competences": competence_names(current)},
        after={"competences": competence_names(competences)},
    )
    return True


@transaction.atomic
def plan_start(*, request, child: Child, enrollment, actor_role: str) -> LearningPlan:
    """The child's plan at the enrollment's institution (made once; starting again returns it)."""
    school_year = enrollment.group.school_year if enrollment.group_id else None
    plan = plan_for_place(
        child=child, institution=enrollment.institution, created_by=request.user, school_year=school_year
    )
    if plan.school_year != school_year and school_year is not None:
        LearningPlan.objects.filter(pk=plan.pk).update(school_year=school_year)
        plan.school_year = school_year
    access_record(
        request=request,
        child=child,
        action=AccessEvent.Action.CREATE,
        subject="learning_plan",
        object_id=plan.pk,
        actor_role=actor_role,
    )
    return plan


@transaction.atomic
def focus_point_create(
    *, request, plan: LearningPlan, actor_role: str, competences=(), **fields
) -> FocusPoint:
    """A new focus point in the pupil plan's draft, with the competences of the municipality's framework
    it builds and its first history row."""
    if not plan.is_pupil_plan:
        raise ValidationError(_("Focus points belong to the pupil plan."))
    competences = list(competences)
    check_competences(municipality_id=plan.institution.municipality_id, competences=competences)
    point = FocusPoint(plan=plan, created_by=request.user, **fields)
    point.full_clean()
    point.save()
    if competences:
        point.competences.set(competences)
    record_changes(plan=plan, user=request.user, entry=point, before={}, after={}, created=True)
    access_record(
        request=request,
        child=plan.child,
        action=AccessEvent.Action.CREATE,
        subject="focus_point",
        object_id=point.pk,
        actor_role=actor_role,
    )
    return point


@transaction.atomic
def focus_point_update(
    *, request, point: FocusPoint, actor_role: str, competences=None, **fields
) -> FocusPoint:
    """Change a focus point and (unless ``competences`` is None) the competences it builds: locks the
    row, saves only changed fields, keeps each change, a change of links too, in the history."""
    point = (
        FocusPoint.objects.select_for_update(of=("self",))
        .select_related("plan__child", "plan__institution")
        .get(pk=point.pk)
    )
    if competences is not None:
        competences = list(competences)
        check_competences(municipality_id=point.plan.institution.municipality_id, competences=competences)
    before = {name: getattr(point, name) for name in FOCUS_POINT_FIELDS}
    changed = [name for name in FOCUS_POINT_FIELDS if name in fields and before[name] != fields[name]]
    for name in changed:
        setattr(point, name, fields[name])
    if changed:
        point.full_clean()
        point.save(update_fields=[*changed, "updated_at"])
        record_changes(
            plan=point.plan,
            user=request.user,
            entry=point,
            before=before,
            after={name: fields[name] for name in changed},
        )
    relinked = competences is not None and links_set(
        plan=point.plan, user=request.user, entry=point, competences=competences
    )
    if not changed and not relinked:
        return point
    if relinked and not changed:
        FocusPoint.objects.filter(pk=point.pk).update(updated_at=timezone.now())
    access_record(
        request=request,
        child=point.plan.child,
        action=AccessEvent.Action.UPDATE,
        subject="focus_point",
        object_id=point.pk,
        actor_role=actor_role,
    )
    return point


@transaction.atomic
def plan_note_add(
    *,
    request,
    plan: LearningPlan,
    kind: str,
    text: str,
    author_role: str,
    actor_role: str,
    goal: LearningGoal | None = None,
    focus_point: FocusPoint | None = None,
    observed_on=None,
) -> PlanNote:
    """A note on one goal or focus point of this plan. Who may write which kind is the policy's answer
    (``can_add_plan_note``); this checks the note itself."""
    if (goal is None) == (focus_point is None):
        raise ValidationError({"entry": _("Choose the goal or focus point the note is about.")})
    entry = goal or focus_point
    if entry.plan_id != plan.pk:
        raise ValidationError({"entry": _("Choose the goal or focus point the note is about.")})
    if kind == PlanNote.Kind.PROGRESS and observed_on is None:
        raise ValidationError({"observed_on": _("Give the date you saw it.")})
    if observed_on is not None and observed_on > timezone.localdate():
        raise ValidationError({"observed_on": _("The date cannot be in the future.")})
    note = PlanNote(
        plan=plan,
        goal=goal,
        focus_point=focus_point,
        kind=kind,
        text=text,
        observed_on=observed_on,
        author=request.user,
        author_name=_name(request.user),
        author_role=author_role,
        created_at=timezone.now(),
    )
    note.full_clean()
    note.save()
    access_record(
        request=request,
        child=plan.child,
        action=AccessEvent.Action.CREATE,
        subject="plan_note",
        object_id=note.pk,
        actor_role=actor_role,
    )
    return note


def plan_snapshot(plan: LearningPlan) -> dict:
    """What the family reads: the plan's entries now, by code (labels are looked up when shown)."""
    goals = (
        LearningGoal.objects.filter(plan=plan).prefetch_related("competences").order_by("created_at", "pk")
    )
    points = FocusPoint.objects.filter(plan=plan).prefetch_related("competences").order_by("created_at", "pk")

    def linked(entry) -> list[int]:
        return sorted(c.pk for c in entry.competences.all())

    return {
        "kind": plan.kind,
        "school_year": plan.school_year,
        "institution": plan.institution.name,
        "goals": [
            {
                "id": g.pk,
                **{name: getattr(g, name) for name in GOAL_SNAPSHOT_FIELDS},
                "competences": linked(g),
            }
            for g in goals
        ],
        "focus_points": [
            {"id": p.pk, **{name: getattr(p, name) for name in FOCUS_POINT_FIELDS}, "competences": linked(p)}
            for p in points
        ],
    }


@transaction.atomic
def plan_publish(*, request, plan: LearningPlan, actor_role: str, note: str = "") -> PlanVersion:
    """Freeze the draft as the next numbered version, tell the guardians after commit. Locks the plan so
    two publishers get two versions in order; refuses when nothing changed since the last version."""
    plan = LearningPlan.objects.select_for_update().select_related("child", "institution").get(pk=plan.pk)
    snapshot = plan_snapshot(plan)
    if not snapshot["goals"] and not snapshot["focus_points"]:
        raise ValidationError(_("Write at least one goal or focus point before you publish the plan."))
    if plan.published_number and not plan.has_unpublished_changes:
        raise ValidationError(_("Nothing has changed since the last version was published."))
    now = timezone.now()
    version = PlanVersion.objects.create(
        plan=plan,
        number=plan.published_number + 1,
        published_by=request.user,
        published_by_name=_name(request.user),
        published_at=now,
        note=note,
        snapshot=snapshot,
    )
    LearningPlan.objects.filter(pk=plan.pk).update(published_number=version.number, published_at=now)
    plan.published_number, plan.published_at = version.number, now
    evidence_publish(plan=plan, number=version.number)
    access_record(
        request=request,
        child=plan.child,
        action=AccessEvent.Action.UPDATE,
        subject="plan_publish",
        object_id=version.pk,
        actor_role=actor_role,
    )
    enqueue("children.notify_plan_published", version.pk)
    return version


def evidence_publish(*, plan: LearningPlan, number: int) -> int:
    """Staff's photos and files not yet shown to the family join version ``number``."""
    return Evidence.objects.filter(
        plan=plan, published_in__isnull=True, uploader_role=PlanNote.Role.STAFF
    ).update(published_in=number)


def plan_read_record(*, user, version: PlanVersion) -> None:
    """The guardian has opened this version: the first time counts (a unique row; repeats add nothing)."""
    PlanRead.objects.bulk_create(
        [PlanRead(version=version, user=user, read_at=timezone.now())], ignore_conflicts=True
    )


def plan_notice_text(version: PlanVersion) -> tuple[str, str]:
    """The notice's title and line, in the active language, for this plan's kind and version."""
    plan = version.plan
    names = {"name": plan.child.first_name, "place": plan.institution.name}
    if plan.kind == LearningPlan.Kind.PUPIL:
        if version.number == 1:
            title = _("%(name)s's pupil plan is ready to read") % names
            line = _(
                "%(place)s has written %(name)s's pupil plan: focus points and how you can support them."
            )
        else:
            title = _("A new version of %(name)s's pupil plan") % names
            line = _(
                "%(place)s has updated %(name)s's pupil plan. Read what is new and how you can support it."
            )
    elif version.number == 1:
        title = _("%(name)s's learning plan is ready to read") % names
        line = _("%(place)s has written %(name)s's learning plan: goals and what you can do at home.")
    else:
        title = _("A new version of %(name)s's learning plan") % names
        line = _(
            "%(place)s has updated %(name)s's learning plan. Read what is new and what you can do at home."
        )
    return title, line % names


def plan_published_notices_send(*, version_id: int) -> int:
    """Put a notice in the inbox of each guardian with the right to information, in their language; one
    per person and version (its key), so running it again adds nothing. Inbox only (a digest by e-mail
    comes later). Returns how many guardians it concerns."""
    version = (
        PlanVersion.objects.filter(pk=version_id).select_related("plan__child", "plan__institution").first()
    )
    if version is None:
        return 0
    guardians = [
        g.user
        for g in Guardianship.objects.with_information()
        .filter(child_id=version.plan.child_id)
        .select_related("user")
        .order_by("user_id")
    ]
    return inbox_notify(
        guardians,
        kind=Notification.Kind.PLAN_PUBLISHED,
        key=f"plan-published-{version.pk}",
        url=reverse("children:plan_detail", args=[version.plan_id]),
        text=lambda user: plan_notice_text(version),
    )
