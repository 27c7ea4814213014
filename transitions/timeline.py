"""The child's transitions and handovers, school readiness assessments, education plans and parent
networks on the child's timeline (``children.timeline``), as the reader may see them (each by its own
policy: the receiving place sees a handover only once it is sent); cancelled moves are left out. A move
shows when its handover was sent, else on its planned date; an assessment when it was last decided,
completed, started or asked for; an education plan when it was ready, else when it was begun; a network
when the family joined it (for the guardians and the network's own health visitor)."""

from django.db.models import DateTimeField, F
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from children.timeline import Entry, Reader, TimelineSource, key, register, timeline_rows
from transitions.models import EducationPlan, NetworkMember, ReadinessAssessment, Transition
from transitions.policies import transitions_visible_to
from transitions.policies.education import plans_visible_to
from transitions.policies.readiness import readiness_visible_to


def _rows(reader: Reader):
    transitions = (
        transitions_visible_to(reader.user)
        .filter(child=reader.child)
        .exclude(status=Transition.Status.CANCELLED)
    )
    happened = Coalesce(F("handover__sent_at"), Cast("planned_on", DateTimeField()))
    return timeline_rows(transitions, at=happened, key=F("status"))


def _entries(reader: Reader, ids) -> dict:
    entries = {}
    rows = Transition.objects.filter(pk__in=ids, child=reader.child).select_related(
        "sending_institution", "receiving_institution", "handover"
    )
    for t in rows:
        names = {"from": t.sending_institution.name, "to": t.receiving_institution.name}
        lines = [t.get_kind_display(), t.get_status_display()]
        handover = getattr(t, "handover", None)
        if handover is not None and handover.received_at:
            lines.append(_("Received by %(name)s") % {"name": handover.received_by_name})
        entries[t.pk] = Entry(
            title=_("Move from %(from)s to %(to)s") % names,
            lines=lines,
            place=t.sending_institution.name,
            url=reverse("transitions:handover_detail", args=[handover.pk]) if handover else "",
            on=handover.sent_at if handover and handover.sent_at else t.planned_on,
        )
    return entries


def _readiness_rows(reader: Reader):
    assessments = readiness_visible_to(reader.user).filter(transition__child=reader.child)
    happened = Coalesce("outcome_at", "completed_at", "started_at", "requested_at")
    return timeline_rows(assessments, at=happened, key=F("status"))


def _readiness_entries(reader: Reader, ids) -> dict:
    entries = {}
    rows = ReadinessAssessment.objects.filter(pk__in=ids, transition__child=reader.child).select_related(
        "transition__sending_institution", "transition__receiving_institution"
    )
    for a in rows:
        lines = [a.get_status_display()]
        if a.outcome:
            lines.append(a.get_outcome_display())
        entries[a.pk] = Entry(
            title=_("School readiness assessment before %(school)s")
            % {"school": a.transition.receiving_institution.name},
            lines=lines,
            place=a.transition.sending_institution.name,
            url=reverse("transitions:readiness_detail", args=[a.pk]),
        )
    return entries


def _education_rows(reader: Reader):
    plans = plans_visible_to(reader.user).filter(child=reader.child)
    return timeline_rows(plans, at=Coalesce("ready_at", "created_at"), key=F("class_level"))


def _education_entries(reader: Reader, ids) -> dict:
    entries = {}
    for plan in EducationPlan.objects.filter(pk__in=ids, child=reader.child).select_related("institution"):
        names = {"level": plan.class_level, "year": plan.school_year_label}
        lines = [_("Ready") if plan.ready_at else _("Being prepared")]
        if plan.is_locked():
            lines.append(_("Locked after the application deadline"))
        entries[plan.pk] = Entry(
            title=_("Education plan, %(level)s. klasse %(year)s") % names,
            lines=lines,
            place=plan.institution.name,
            url=reverse("transitions:education_plan_detail", args=[plan.pk]),
        )
    return entries


def _network_rows(reader: Reader):
    """The child's parent networks, when the family joined: for the guardians and the network's own
    health visitor."""
    members = NetworkMember.objects.filter(child=reader.child)
    if not reader.is_guardian:
        members = members.filter(network__health_visitor_id=reader.user.pk)
    return timeline_rows(members, at=F("added_at"), key=key("network"))


def _network_entries(reader: Reader, ids) -> dict:
    entries = {}
    rows = NetworkMember.objects.filter(pk__in=ids, child=reader.child).select_related("network__institution")
    for m in rows:
        network = m.network
        lines = [_("Left the network") if m.left_at else _("Until the children are 1½")]
        if reader.is_guardian:
            url = "" if m.left_at else reverse("transitions:network_family", args=[reader.child.pk])
        else:
            url = reverse("transitions:network_detail", args=[network.pk])
        entries[m.pk] = Entry(
            title=_("Joined the parent network “%(name)s”") % {"name": network.name},
            lines=lines,
            place=network.institution.name,
            url=url,
        )
    return entries


def register_sources() -> None:
    register(TimelineSource("handover", gettext_lazy("Transitions and handovers"), _rows, _entries))
    register(
        TimelineSource("readiness", gettext_lazy("School readiness"), _readiness_rows, _readiness_entries)
    )
    register(
        TimelineSource("education", gettext_lazy("Education plans"), _education_rows, _education_entries)
    )
    register(TimelineSource("network", gettext_lazy("Parent networks"), _network_rows, _network_entries))
