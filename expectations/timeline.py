"""The child's expectation agreements on the child's timeline (``children.timeline``), as the reader may
see them (``agreements_visible_to``): when each was agreed, or proposed, or started."""

from django.db.models import F
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from children.timeline import Entry, Reader, TimelineSource, register, timeline_rows
from expectations.models import ExpectationAgreement
from expectations.policies.agreements import agreements_visible_to


def _rows(reader: Reader):
    agreements = agreements_visible_to(reader.user).filter(child=reader.child)
    return timeline_rows(
        agreements, at=Coalesce(F("agreed_at"), F("proposed_at"), F("created_at")), key=F("status")
    )


def _entries(reader: Reader, ids) -> dict:
    entries = {}
    rows = ExpectationAgreement.objects.filter(pk__in=ids, child=reader.child).select_related("institution")
    for a in rows:
        place = a.institution.name
        entries[a.pk] = Entry(
            title=_("Expectation agreement with %(place)s") % {"place": place},
            lines=[a.get_status_display()],
            place=place,
            url=reverse("expectations:agreement_detail", args=[a.pk]),
        )
    return entries


def register_sources() -> None:
    register(TimelineSource("agreement", gettext_lazy("Expectation agreements"), _rows, _entries))
