"""Who may see a group's names: the child's own guardians with the right to information (any other
person gets 404). Custody holders decide what is shown of their child."""

from django.http import Http404

from children.models import Child, Enrollment, Guardianship
from children.policies import (
    get_child_for_user_or_404,
    get_group_for_user_or_404,
    id_or_404,
    informed_guardianship,
)
from portal.community.models import ContactParent, Election, GroupMessage, ParentFriend, Welcome
from portal.organisation.models import Group


def get_family_child_or_404(user, pk) -> tuple[Child, Guardianship]:
    """The child and the user's guardianship of them, if the user is an informed guardian; else 404
    (staff too: they know the group's children already)."""
    child = get_child_for_user_or_404(user, pk)
    guardianship = informed_guardianship(user, child)
    if guardianship is None:
        raise Http404
    return child, guardianship


def get_family_group_or_404(user, child_pk, group_pk) -> tuple[Child, Guardianship, Group]:
    """The child's guardian, and one of the child's groups now where parents form a community."""
    from portal.community.selectors import COMMUNITY_KINDS

    child, guardianship = get_family_child_or_404(user, child_pk)
    group = (
        Group.objects.filter(
            pk=group_pk,
            institution__kind__in=COMMUNITY_KINDS,
            pk__in=Enrollment.objects.current().filter(child=child).values("group_id"),
        )
        .select_related("institution")
        .first()
    )
    if group is None:
        raise Http404
    return child, guardianship, group


def get_staff_group_or_404(user, pk) -> Group:
    """A group the staff member works with (their own, or any where they lead), of a kind with parents'
    community."""
    from portal.community.selectors import COMMUNITY_KINDS

    group = get_group_for_user_or_404(user, pk)
    if group.institution.kind not in COMMUNITY_KINDS:
        raise Http404
    return group


def _of_staff_group_or_404(rows, user, pk):
    """The row ``pk`` among ``rows`` if it belongs to a group the staff member works with; else 404."""
    row = rows.filter(pk=id_or_404(pk)).first()
    if row is None:
        raise Http404
    get_staff_group_or_404(user, row.group_id)
    return row


def get_contact_for_staff_or_404(user, pk) -> ContactParent:
    return _of_staff_group_or_404(ContactParent.objects.all(), user, pk)


def get_message_for_staff_or_404(user, pk) -> GroupMessage:
    return _of_staff_group_or_404(GroupMessage.objects.all(), user, pk)


def get_play_date_or_404(user, child_pk, pk):
    """A play date the child's family may see (in the child's group now, open, inviting the child or
    their own), with the child and the guardianship."""
    from portal.community.selectors import visible_play_dates

    child, guardianship = get_family_child_or_404(user, child_pk)
    play_date = (
        visible_play_dates(child, user)
        .filter(pk=id_or_404(pk))
        .select_related("group", "host_child", "invited")
        .first()
    )
    if play_date is None:
        raise Http404
    return child, guardianship, play_date


def get_friend_or_404(user, child_pk, pk):
    """A parent friend of one of the child's groups now, offering still."""
    child, _guardianship = get_family_child_or_404(user, child_pk)
    friend = (
        ParentFriend.objects.filter(
            pk=id_or_404(pk),
            ended_at__isnull=True,
            group_id__in=Enrollment.objects.current().filter(child=child).values("group_id"),
        )
        .select_related("group")
        .first()
    )
    if friend is None:
        raise Http404
    return child, friend


def get_welcome_for_friend_or_404(user, pk) -> Welcome:
    """A question to the user as parent friend."""
    welcome = (
        Welcome.objects.filter(pk=id_or_404(pk), friend__user_id=user.pk)
        .select_related("friend__group", "child")
        .first()
    )
    if welcome is None:
        raise Http404
    return welcome


def get_election_for_staff_or_404(user, pk) -> Election:
    return _of_staff_group_or_404(Election.objects.all(), user, pk)


def get_friend_for_staff_or_404(user, pk) -> ParentFriend:
    """A parent friend of a group the staff member works with, offering still."""
    return _of_staff_group_or_404(ParentFriend.objects.filter(ended_at__isnull=True), user, pk)
