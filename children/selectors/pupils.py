"""Reads for the pupil's own page and for the pupil's voice on the plan page, each in a fixed number
of queries whatever the number of focus points, reflections and messages."""

from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from children.models import LearningPlan, PlanVersion, PupilAccount, PupilCode, PupilMessage, PupilReflection
from children.selectors.plans import entries_from_snapshot


@dataclass
class PupilPage:
    plan: LearningPlan | None
    version: PlanVersion | None
    entries: list  # the focus points (and goals) of the published version, each with .reflections
    messages: list
    needs_reflection: bool  # a new version without a reflection of theirs since it was published


def pupil_page(account: PupilAccount, plan: LearningPlan | None) -> PupilPage:
    """The published pupil plan as the family reads it, with the pupil's own reflections and messages.
    Three queries (none without a published plan)."""
    if plan is None:
        return PupilPage(None, None, [], [], False)
    version = PlanVersion.objects.filter(plan=plan, number=plan.published_number).first()
    entries = entries_from_snapshot(version.snapshot) if version else []
    reflections = list(PupilReflection.objects.filter(plan=plan).order_by("-created_at", "-pk"))
    by_point = defaultdict(list)
    for reflection in reflections:
        by_point[reflection.focus_point_id].append(reflection)
    for entry in entries:
        entry.reflections = by_point.get(entry.pk, []) if entry.kind == "focus_point" else []
    messages = list(PupilMessage.objects.filter(plan=plan).order_by("-created_at", "-pk"))
    needs = version is not None and not any(r.created_at >= version.published_at for r in reflections)
    return PupilPage(plan, version, entries, messages, needs)


def pupil_voice(plan: LearningPlan, entries: list) -> list:
    """For the plan page: the pupil's reflections under each focus point (newest first), and the pupil's
    messages to the parents. Two queries, only for a pupil plan."""
    for entry in entries:
        entry.reflections = []
    if not plan.is_pupil_plan:
        return []
    by_point = defaultdict(list)
    for reflection in PupilReflection.objects.filter(plan=plan).order_by("-created_at", "-pk"):
        by_point[reflection.focus_point_id].append(reflection)
    for entry in entries:
        if entry.kind == "focus_point":
            entry.reflections = by_point.get(entry.pk, [])
    return list(PupilMessage.objects.filter(plan=plan).order_by("-created_at", "-pk"))


@dataclass
class PupilLogin:
    account: PupilAccount | None
    code_expires_at: object  # the unused code's expiry, or None


def pupil_login_status(child) -> PupilLogin:
    """Whether the pupil has a login now, and until when an unused code works. Two queries."""
    account = PupilAccount.objects.active().filter(child=child).first()
    code = PupilCode.objects.pending(now=timezone.now()).filter(child=child).order_by("-expires_at").first()
    return PupilLogin(account, code.expires_at if code else None)
