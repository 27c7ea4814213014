"""Writes of play dates, photos for the group and parent friends. Each family decides for itself; every
message goes through the portal's inbox, so no parent sees another's address or phone number unless they
write it themselves."""

from datetime import date, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from children.models import Enrollment, Guardianship
from children.services.evidence import evidence_prepare
from portal.accounts.models import User
from portal.audit.models import AccessEvent
from portal.audit.services import access_record
from portal.community.models import NameSharing, ParentFriend, PlayDate, PlayDateAnswer, Portrait, Welcome
from portal.formats import format_date
from portal.meetings.models import Notification
from portal.meetings.services.inbox import inbox_notify

# A play date is planned at most this far ahead.
PLAY_DATE_AHEAD = timedelta(days=90)


def _custody(user, child) -> None:
    if not Guardianship.objects.active().filter(child=child, user=user, has_custody=True).exists():
        raise ValidationError(_("Only a parent with custody can decide this."))


def _informed(user, child) -> None:
    if not Guardianship.objects.with_information().filter(child=child, user=user).exists():
        raise ValidationError(_("Only the child's parents can do this."))


def _in_group(child, group) -> bool:
    return Enrollment.objects.current().filter(child=child, group=group).exists()


def _day(day: date) -> str:
    return format_date(day, "WEEKDAY_MONTH_DAY_FORMAT")


# ---------------------------------------------------------------------------------------------------
# The photo beside the child's name
# ---------------------------------------------------------------------------------------------------
@transaction.atomic
def photo_choose(*, request, user, child, show_photo: bool, upload=None, now=None) -> None:
    """A custody holder's yes or no to the group's parents seeing the child's photo, with a new photo if
    given. The photo is made small and kept with nothing but its pixels; a no hides it at once."""
    _custody(user, child)
    now = now or timezone.now()
    image = None
    if upload is not None:
        prepared = evidence_prepare(upload)
        if prepared.thumbnail is None:
            raise ValidationError({"photo": _("Choose a photo: JPEG, PNG, WebP or HEIC.")})
        image = prepared.thumbnail
    elif show_photo and not Portrait.objects.filter(child=child).exists():
        raise ValidationError({"photo": _("Choose a photo to show, or answer no.")})
    if image is not None:
        Portrait.objects.update_or_create(
            child=child, defaults={"image": image, "uploaded_by": user, "uploaded_at": now}
        )
    updated = NameSharing.objects.filter(child=child, user=user).update(show_photo=show_photo, decided_at=now)
    if not updated:
        NameSharing.objects.create(
            child=child, user=user, show_name=False, show_photo=show_photo, decided_at=now
        )
    if request is not None:
        access_record(
            request=request,
            child=child,
            action=AccessEvent.Action.UPDATE,
            subject="group_photo",
            actor_role=_("Parent or guardian"),
        )


@transaction.atomic
def photo_remove(*, request, user, child) -> bool:
    """A custody holder deletes the child's photo for good (and answers no)."""
    _custody(user, child)
    NameSharing.objects.filter(child=child, user=user).update(show_photo=False)
    deleted, _rows = Portrait.objects.filter(child=child).delete()
    if request is not None and deleted:
        access_record(
            request=request,
            child=child,
            action=AccessEvent.Action.DELETE,
            subject="group_photo",
            actor_role=_("Parent or guardian"),
        )
    return bool(deleted)


# ---------------------------------------------------------------------------------------------------
# Play dates
# ---------------------------------------------------------------------------------------------------
def _shown_in_group(child_pk: int, group) -> bool:
    from portal.community.selectors import group_names_shown

    return child_pk in group_names_shown(group)


@transaction.atomic
def play_date_offer(
    *,
    user,
    child,
    group,
    day: date,
    starts_at: time,
    ends_at: time,
    place: str,
    note: str = "",
    invited_pk: int | None = None,
    now=None,
) -> PlayDate:
    """A family offers a play date to the group, or to one child whose family shows the name there. The
    invited family (or every family of the group) is told after commit."""
    now = now or timezone.now()
    _informed(user, child)
    if not _in_group(child, group):
        raise ValidationError(_("Your child is not in this group now."))
    errors = {}
    today = timezone.localdate(now)
    if not today <= day <= today + PLAY_DATE_AHEAD:
        errors["day"] = _("Choose a day from today and within three months.")
    if ends_at <= starts_at:
        errors["ends_at"] = _("The play date must end after it starts.")
    if not place.strip():
        errors["place"] = _("Write where you meet.")
    if invited_pk is not None and (invited_pk == child.pk or not _shown_in_group(invited_pk, group)):
        errors["invited"] = _("You can invite a child whose name is shown in the group.")
    if errors:
        raise ValidationError(errors)
    play_date = PlayDate.objects.create(
        group=group, host_child=child, host=user, host_name=user.get_full_name(), day=day,
        starts_at=starts_at, ends_at=ends_at, place=place.strip(), note=note.strip(), invited_id=invited_pk,
        created_at=now,
    )  # fmt: skip
    transaction.on_commit(lambda: _tell_invited(play_date))
    return play_date


def _tell_invited(play_date: PlayDate) -> int:
    children = (
        [play_date.invited_id]
        if play_date.invited_id
        else Enrollment.objects.current().filter(group=play_date.group_id).values("child_id")
    )
    people = User.objects.filter(
        pk__in=Guardianship.objects.with_information()
        .filter(child__in=children)
        .exclude(child=play_date.host_child_id)
        .values("user_id")
    ).exclude(pk=play_date.host_id)
    host = play_date.host_child.first_name
    invited = play_date.invited.first_name if play_date.invited_id else ""
    url = (
        reverse("community:play_date", args=[play_date.invited_id, play_date.pk])
        if play_date.invited_id
        else ""
    )
    return inbox_notify(
        people,
        kind=Notification.Kind.PLAY_DATE,
        key=f"play-date-{play_date.pk}",
        url=url,
        text=lambda user: (
            _("%(host)s invites %(name)s to play") % {"host": host, "name": invited}
            if invited
            else _("%(host)s invites the children in %(group)s to play")
            % {"host": host, "group": play_date.group.name},
            _("%(day)s from %(start)s to %(end)s, %(place)s. Answer on the group's page in the portal.")
            % {
                "day": _day(play_date.day),
                "start": play_date.starts_at.strftime("%H:%M"),
                "end": play_date.ends_at.strftime("%H:%M"),
                "place": play_date.place,
            },
        ),
    )


@transaction.atomic
def play_date_answer(
    *, user, child, play_date: PlayDate, coming: bool, message: str = "", now=None
) -> PlayDateAnswer:
    """A family says whether its child is coming; the host is told. Answering again changes the answer."""
    now = now or timezone.now()
    _informed(user, child)
    play_date = PlayDate.objects.select_for_update().get(pk=play_date.pk)
    if play_date.cancelled_at is not None:
        raise ValidationError(_("The play date has been cancelled."))
    if play_date.day < timezone.localdate(now):
        raise ValidationError(_("The play date is over."))
    if play_date.host_child_id == child.pk:
        raise ValidationError(_("This is your own play date."))
    answer, _created = PlayDateAnswer.objects.update_or_create(
        play_date=play_date,
        child=child,
        defaults={
            "user": user, "user_name": user.get_full_name(), "coming": coming, "message": message.strip(),
            "answered_at": now,
        },
    )  # fmt: skip
    name = child.first_name
    transaction.on_commit(
        lambda: inbox_notify(
            User.objects.filter(pk=play_date.host_id),
            kind=Notification.Kind.PLAY_DATE,
            key=f"play-date-answer-{answer.pk}-{int(now.timestamp() * 1_000_000)}",
            url=reverse("community:play_date", args=[play_date.host_child_id, play_date.pk]),
            text=lambda _user: (
                (_("%(name)s is coming to the play date on %(day)s") if coming
                 else _("%(name)s cannot come to the play date on %(day)s"))
                % {"name": name, "day": _day(play_date.day)},
                answer.message,
            ),
        )
    )  # fmt: skip
    return answer


@transaction.atomic
def play_date_cancel(*, user, play_date: PlayDate, now=None) -> bool:
    """The host family cancels; the families who said they were coming are told."""
    now = now or timezone.now()
    _informed(user, play_date.host_child)
    if not PlayDate.objects.filter(pk=play_date.pk, cancelled_at__isnull=True).update(cancelled_at=now):
        return False
    coming = PlayDateAnswer.objects.filter(play_date=play_date, coming=True).values("user_id")
    host, day = play_date.host_child.first_name, play_date.day
    transaction.on_commit(
        lambda: inbox_notify(
            User.objects.filter(pk__in=coming),
            kind=Notification.Kind.PLAY_DATE,
            key=f"play-date-cancelled-{play_date.pk}",
            url="",
            text=lambda _user: (
                _("The play date with %(host)s on %(day)s is cancelled") % {"host": host, "day": _day(day)},
                _("The family that invited has cancelled it."),
            ),
        )
    )
    return True


# ---------------------------------------------------------------------------------------------------
# Parent friends (forældrevenner)
# ---------------------------------------------------------------------------------------------------
@transaction.atomic
def parent_friend_volunteer(*, user, child, group, about: str, now=None) -> ParentFriend:
    """A parent offers to welcome new families in their child's group. Offering again updates the
    words."""
    _informed(user, child)
    if not _in_group(child, group):
        raise ValidationError(_("Your child is not in this group now."))
    about = about.strip()
    if not about:
        raise ValidationError({"about": _("Write a few words about yourself.")})
    friend = (
        ParentFriend.objects.select_for_update().filter(group=group, user=user, ended_at__isnull=True).first()
    )
    if friend is not None:
        friend.about = about
        friend.save(update_fields=["about"])
        return friend
    return ParentFriend.objects.create(
        group=group, user=user, user_name=user.get_full_name(), child=child, about=about,
        volunteered_at=now or timezone.now(),
    )  # fmt: skip


def parent_friend_end(*, friend: ParentFriend, now=None) -> bool:
    """The parent (or the group's staff) ends the offer; questions not yet answered stay unanswered."""
    return bool(
        ParentFriend.objects.filter(pk=friend.pk, ended_at__isnull=True).update(
            ended_at=now or timezone.now()
        )
    )


@transaction.atomic
def welcome_ask(*, user, child, friend: ParentFriend, message: str = "", now=None) -> Welcome:
    """A family asks a parent friend of their child's group to welcome them; the friend is told. Asking
    twice keeps the first question."""
    _informed(user, child)
    if friend.ended_at is not None or not _in_group(child, friend.group_id):
        raise ValidationError(_("This parent friend is not available now."))
    if friend.user_id == user.pk:
        raise ValidationError(_("You are this parent friend yourself."))
    welcome, created = Welcome.objects.get_or_create(
        friend=friend,
        user=user,
        defaults={
            "user_name": user.get_full_name(), "child": child, "message": message.strip(),
            "asked_at": now or timezone.now(),
        },
    )  # fmt: skip
    if created:
        names = {"parent": welcome.user_name, "name": child.first_name, "group": friend.group.name}
        transaction.on_commit(
            lambda: inbox_notify(
                User.objects.filter(pk=friend.user_id),
                kind=Notification.Kind.PARENT_FRIEND,
                key=f"welcome-{welcome.pk}",
                url=reverse("community:welcome_answer", args=[welcome.pk]),
                text=lambda _user: (
                    _("%(parent)s, %(name)s's parent in %(group)s, would like you to welcome them") % names,
                    welcome.message,
                ),
            )
        )
    return welcome


@transaction.atomic
def welcome_answer(*, user, welcome: Welcome, reply: str, now=None) -> Welcome:
    """The parent friend answers the new family in a few words; the family is told."""
    welcome = Welcome.objects.select_for_update().select_related("friend").get(pk=welcome.pk)
    if welcome.friend.user_id != user.pk:
        raise ValidationError(_("Only the parent friend can answer."))
    if welcome.answered_at is not None:
        raise ValidationError(_("You have already answered."))
    reply = reply.strip()
    if not reply:
        raise ValidationError({"reply": _("Write your answer.")})
    welcome.reply, welcome.answered_at = reply, now or timezone.now()
    welcome.save(update_fields=["reply", "answered_at"])
    friend_name = welcome.friend.user_name
    transaction.on_commit(
        lambda: inbox_notify(
            User.objects.filter(pk=welcome.user_id),
            kind=Notification.Kind.PARENT_FRIEND,
            key=f"welcome-answer-{welcome.pk}",
            url="",
            text=lambda _user: (
                _("%(friend)s, parent friend, has answered you") % {"friend": friend_name},
                welcome.reply,
            ),
        )
    )
    return welcome
