"""The group's parents choose their contact parents: staff open a vote, parents vote for those who
offered, and at the close the most voted are appointed. Votes are secret and short-lived: at the close
only the counts are kept."""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from children.models import Enrollment, Guardianship
from portal.accounts.models import User
from portal.community.models import ContactParent, Election, Vote
from portal.community.services import contact_parent_appoint
from portal.formats import format_date
from portal.meetings.models import Notification
from portal.meetings.services.inbox import inbox_notify
from portal.organisation.models import StaffMembership

# A vote runs for at least a day and at most a month, and closes at the end of its last day.
LONGEST = timedelta(days=31)
CLOSES_AT = time(23, 59)


def no_longer_standing():
    return _("One of the parents you chose no longer stands. Choose again.")


def group_parents(group_id: int):
    """The parents (with the right to information) of the children in the group now."""
    return User.objects.filter(
        pk__in=Guardianship.objects.with_information()
        .filter(child__in=Enrollment.objects.current().filter(group=group_id).values("child_id"))
        .values("user_id")
    )


@transaction.atomic
def election_open(*, by, group, places: int, last_day: date, now: datetime | None = None) -> Election:
    """Staff let the group's parents choose ``places`` contact parents until the end of ``last_day``;
    every parent of the group is told."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not 1 <= places <= 5:
        raise ValidationError({"places": _("Choose between 1 and 5 contact parents.")})
    if last_day <= today:
        raise ValidationError({"last_day": _("Choose a day after today.")})
    if last_day > today + LONGEST:
        raise ValidationError({"last_day": _("A vote can run for at most a month.")})
    if Election.objects.select_for_update().filter(group=group, closed_at__isnull=True).exists():
        raise ValidationError(_("The parents are already voting in this group."))
    closes_at = timezone.make_aware(datetime.combine(last_day, CLOSES_AT))
    election = Election.objects.create(
        group=group, places=places, opened_by=by, opened_at=now, closes_at=closes_at
    )
    names = {"group": group.name}
    transaction.on_commit(
        lambda: inbox_notify(
            group_parents(group.pk),
            kind=Notification.Kind.CONTACT_PARENT,
            key=f"election-{election.pk}",
            url=reverse("home"),
            text=lambda user: (
                _("Choose the contact parents of %(group)s") % names,
                _(
                    "Vote by %(day)s for up to %(places)d of the parents who have offered to help. You can "
                    "offer yourself too. No one sees who you voted for."
                )
                % {"day": format_date(last_day, "WEEKDAY_MONTH_DAY_FORMAT"), "places": places},
            ),
        )
    )
    return election


@transaction.atomic
def vote_cast(*, user, child, election: Election, candidates: list[int], now: datetime | None = None) -> int:
    """A parent of a child in the group gives their votes (at most ``places``, to parents who offered in
    the group), replacing any they gave before; no candidates takes them back. Returns how many count."""
    now = now or timezone.now()
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.closed_at is not None or election.closes_at <= now:
        raise ValidationError(_("The vote has closed."))
    informed = Guardianship.objects.with_information().filter(user=user, child=child).exists()
    in_group = Enrollment.objects.current().filter(child=child, group=election.group_id).exists()
    if not (informed and in_group):
        raise ValidationError(_("Your child is not in this group now."))
    chosen = set(candidates)
    if len(chosen) > election.places:
        message = ngettext(
            "Choose at most %(places)d parent.", "Choose at most %(places)d parents.", election.places
        )
        raise ValidationError({"candidates": message % {"places": election.places}})
    offers = set(
        ContactParent.objects.filter(
            pk__in=chosen,
            group=election.group_id,
            status=ContactParent.Status.VOLUNTEERED,
            ended_at__isnull=True,
        ).values_list("pk", flat=True)
    )
    if offers != chosen:
        raise ValidationError(
            {"candidates": _("One of the parents you chose no longer stands. Choose again.")}
        )
    had_voted = Vote.objects.filter(election=election, voter=user).exists()
    Vote.objects.filter(election=election, voter=user).delete()
    Vote.objects.bulk_create(
        [Vote(election=election, voter=user, candidate_id=pk, cast_at=now) for pk in sorted(chosen)]
    )
    if chosen and not had_voted:
        Election.objects.filter(pk=election.pk).update(voters=election.voters + 1)
    elif had_voted and not chosen:
        Election.objects.filter(pk=election.pk).update(voters=max(election.voters - 1, 0))
    return len(chosen)


@transaction.atomic
def election_close(*, election: Election, now: datetime | None = None) -> list[int]:
    """Count the votes, appoint the most voted (a tie for the last place is left to the staff), keep the
    counts and delete the votes; the group's staff are told. Returns the ids of those appointed.
    Closing twice does nothing."""
    now = now or timezone.now()
    election = Election.objects.select_for_update().select_related("group").get(pk=election.pk)
    if election.closed_at is not None:
        return []
    standing = ContactParent.objects.filter(
        group=election.group_id, status=ContactParent.Status.VOLUNTEERED, ended_at__isnull=True
    )
    counts = dict(
        Vote.objects.filter(election=election, candidate__in=standing)
        .values("candidate")
        .annotate(n=Count("pk"))
        .values_list("candidate", "n")
    )
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    chosen = [pk for pk, _n in ranked[: election.places]]
    if len(ranked) > election.places:
        # Those level with the first one left out are not chosen by lot: the staff decide.
        boundary = ranked[election.places][1]
        chosen = [pk for pk in chosen if counts[pk] > boundary]
    election.closed_at, election.result = now, [[pk, n] for pk, n in ranked]
    election.save(update_fields=["closed_at", "result"])
    Vote.objects.filter(election=election).delete()
    for contact in ContactParent.objects.filter(pk__in=chosen):
        contact_parent_appoint(by=None, contact=contact, now=now)
    tied = len(chosen) < min(election.places, len(ranked))
    names = {"group": election.group.name}
    staff = User.objects.filter(
        pk__in=StaffMembership.objects.active().filter(groups=election.group_id).values("user_id")
    )
    transaction.on_commit(
        lambda: inbox_notify(
            staff,
            kind=Notification.Kind.CONTACT_PARENT,
            key=f"election-closed-{election.pk}",
            url=reverse("community:group_contact", args=[election.group_id]),
            text=lambda user: (
                _("The parents of %(group)s have chosen their contact parents") % names,
                _("Parents are level for the last place: you decide who is appointed.")
                if tied
                else _("Those with the most votes are appointed and have been told."),
            ),
        )
    )
    return chosen


def elections_close_due(*, now: datetime | None = None) -> int:
    """Close every vote whose time has run out (beat); safe to run in several processes at once."""
    now = now or timezone.now()
    closed = 0
    for election in Election.objects.filter(closed_at__isnull=True, closes_at__lte=now).order_by("pk"):
        election_close(election=election, now=now)
        closed += 1
    return closed
