"""The child's meetings on the child's timeline (``children.timeline``): those about the child that the
reader may see (``meetings_visible_to``; staff only those of the place where they serve the child now
and those they held), cancelled ones left out. Meetings with the health visitor
are the family's first contacts, from pregnancy on."""

from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from children.models import Enrollment
from children.timeline import Entry, Reader, TimelineSource, register, timeline_rows
from portal.access import staff_enrollment_scope
from portal.meetings.models import Meeting
from portal.meetings.policies import meetings_visible_to
from portal.organisation.models import Institution


def _served_here(user) -> Exists:
    return Exists(
        Enrollment.objects.current().filter(
            staff_enrollment_scope(user), child=OuterRef("child_id"), institution=OuterRef("institution_id")
        )
    )


def _held_by(user):
    return Meeting.hosts.through.objects.filter(user=user).values("meeting_id")


def _rows(reader: Reader):
    visible = meetings_visible_to(reader.user).filter(child=reader.child).values("pk")
    meetings = Meeting.objects.filter(pk__in=visible).exclude(status=Meeting.Status.CANCELLED)
    if not reader.is_guardian:
        # Staff: the meetings of the place where they serve the child now, and those they held; not
        # those of the child's earlier places (as for plans and agreements).
        meetings = meetings.filter(_served_here(reader.user) | Q(pk__in=_held_by(reader.user)))
    return timeline_rows(meetings, at=F("starts_at"), key=F("kind"))


def _entries(reader: Reader, ids) -> dict:
    entries = {}
    for m in Meeting.objects.filter(pk__in=ids, child=reader.child).select_related("institution"):
        place = m.institution.name
        if m.institution.kind == Institution.Kind.HEALTH_VISITING:
            title = _("Visit from the health visitor, %(place)s") % {"place": place}
        else:
            title = m.title or m.get_kind_display()
        lines = [m.get_kind_display()] if m.title else []
        if m.status == Meeting.Status.HELD:
            lines.append(_("Held"))
        url_name = "meetings:meeting_detail" if reader.is_guardian else "meetings:staff_meeting_detail"
        entries[m.pk] = Entry(title=title, lines=lines, place=place, url=reverse(url_name, args=[m.pk]))
    return entries


def register_sources() -> None:
    register(TimelineSource("meeting", gettext_lazy("Meetings"), _rows, _entries))
