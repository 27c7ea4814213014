"""The children's community: what the parents of a group know of each other's children, by each family's
own choice."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NameSharing(models.Model):
    """A custody holder's answer: may the other parents in the child's group see the child's first name?
    The name is shown only while every custody holder of the child says yes; a no hides it at once."""

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="name_sharing")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    show_name = models.BooleanField(_("the group's parents may see our child's first name"))
    # The photo is a second, separate yes: shown only beside a shown name, while every custody holder
    # says yes to it too.
    show_photo = models.BooleanField(
        _("the group's parents may see our child's photo"), default=False, db_default=False
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("choice on showing the child's name in the group")
        verbose_name_plural = _("choices on showing the child's name in the group")
        constraints = [
            models.UniqueConstraint(fields=["child", "user"], name="name_sharing_one_per_person"),
        ]

    def __str__(self):
        return f"{self.child_id} {self.user_id} {self.show_name}"


class ContactParent(models.Model):
    """A contact parent (kontaktforælder) of a group: a parent offers to help, staff appoint them. Their
    messages to the group's parents go through the portal, so no parent sees another's address."""

    class Status(models.TextChoices):
        VOLUNTEERED = "volunteered", _("Offered to be a contact parent")
        APPOINTED = "appointed", _("Contact parent")

    group = models.ForeignKey(
        "organisation.Group",
        on_delete=models.CASCADE,
        related_name="contact_parents",
        verbose_name=_("group"),
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The child through whom the parent belongs to the group.
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    volunteered_at = models.DateTimeField(default=timezone.now)
    appointed_at = models.DateTimeField(null=True, blank=True)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("contact parent")
        verbose_name_plural = _("contact parents")
        ordering = ["group", "volunteered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=models.Q(ended_at__isnull=True),
                name="contact_parent_once_per_group",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="appointed") | models.Q(appointed_at__isnull=False),
                name="contact_parent_appointed_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.group_id} {self.user_id} {self.status}"


class GroupMessage(models.Model):
    """A message to the group's parents: a contact parent's, which staff read first and send or decline
    with a reason, or the staff's own, sent at once or at a time they chose (``send_at``). Sent, it
    reaches every parent of the group in the portal's inbox (and by their choices, by e-mail or text)."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for staff")
        SCHEDULED = "scheduled", _("Goes out later")
        SENT = "sent", _("Sent")
        DECLINED = "declined", _("Not sent")

    group = models.ForeignKey("organisation.Group", on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_name = models.CharField(max_length=200)
    body = models.TextField(_("message"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("why it is not sent"), max_length=300, blank=True)
    from_staff = models.BooleanField(default=False, db_default=False)
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message to the group's parents")
        verbose_name_plural = _("messages to the group's parents")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["group", "created_at"],
                name="groupmessage_waiting",
                condition=models.Q(status="waiting"),
            ),
            models.Index(
                fields=["send_at"], name="groupmessage_scheduled", condition=models.Q(status="scheduled")
            ),
        ]

    def __str__(self):
        return f"{self.group_id} {self.status}"


class Portrait(models.Model):
    """The photo a family chose for the group's list of names: a small JPEG with nothing but the pixels
    (no place, camera or time), kept in the database beside the choice that shows it."""

    child = models.OneToOneField("children.Child", on_delete=models.CASCADE, related_name="portrait")
    image = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("photo for the group")
        verbose_name_plural = _("photos for the group")

    def __str__(self):
        return str(self.child_id)


class PlayDate(models.Model):
    """A family offers a play date: to the whole group, or to one child whose family showed the name.
    The other families see the host child's first name and the parent's name, never an address they
    did not write themselves."""

    group = models.ForeignKey("organisation.Group", on_delete=models.CASCADE, related_name="play_dates")
    host_child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="+")
    host = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    host_name = models.CharField(max_length=200)
    day = models.DateField(_("day"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    place = models.CharField(_("where"), max_length=200)
    note = models.TextField(_("a few words to the other parents"), max_length=500, blank=True)
    # None: open to every child in the group.
    invited = models.ForeignKey(
        "children.Child", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("play date")
        verbose_name_plural = _("play dates")
        ordering = ["day", "starts_at", "pk"]
        indexes = [
            models.Index(fields=["group", "day"], name="playdate_group_day"),
            models.Index(fields=["invited", "day"], name="playdate_invited_day"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="playdate_ends"
            ),
        ]

    def __str__(self):
        return f"{self.group_id} {self.day}"


class PlayDateAnswer(models.Model):
    """A family's answer to a play date, for one of its children in the group."""

    play_date = models.ForeignKey(PlayDate, on_delete=models.CASCADE, related_name="answers")
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    user_name = models.CharField(max_length=200)
    coming = models.BooleanField(_("coming"))
    message = models.CharField(_("a message to the family"), max_length=300, blank=True)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("answer to a play date")
        verbose_name_plural = _("answers to play dates")
        constraints = [
            models.UniqueConstraint(fields=["play_date", "child"], name="playdate_answer_once_per_child"),
        ]
        indexes = [models.Index(fields=["child", "coming"], name="playdate_answer_child")]

    def __str__(self):
        return f"{self.play_date_id} {self.child_id} {self.coming}"


class ParentFriend(models.Model):
    """A parent friend (forældreven): an experienced parent in the group who offers to welcome new
    families, say hello at pick-up and answer their questions. Offered by the parent, ended by them or by
    staff."""

    group = models.ForeignKey("organisation.Group", on_delete=models.CASCADE, related_name="parent_friends")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    user_name = models.CharField(max_length=200)
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="+")
    about = models.CharField(
        _("a few words about you"),
        max_length=300,
        help_text=_("For example which languages you speak and how long your child has been in the group."),
    )
    volunteered_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("parent friend")
        verbose_name_plural = _("parent friends")
        ordering = ["volunteered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=models.Q(ended_at__isnull=True),
                name="parent_friend_once_per_group",
            ),
        ]

    def __str__(self):
        return f"{self.group_id} {self.user_id}"


class Welcome(models.Model):
    """A new family asks a parent friend to welcome them; the friend answers in a few words (their own
    choice what to share, e.g. a phone number)."""

    friend = models.ForeignKey(ParentFriend, on_delete=models.CASCADE, related_name="welcomes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    user_name = models.CharField(max_length=200)
    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="+")
    message = models.CharField(_("a few words to the parent friend"), max_length=500, blank=True)
    asked_at = models.DateTimeField(default=timezone.now)
    reply = models.CharField(_("your answer"), max_length=500, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("welcome by a parent friend")
        verbose_name_plural = _("welcomes by parent friends")
        constraints = [
            models.UniqueConstraint(fields=["friend", "user"], name="welcome_once_per_friend"),
        ]
        indexes = [
            models.Index(
                fields=["friend"], name="welcome_waiting", condition=models.Q(answered_at__isnull=True)
            )
        ]

    def __str__(self):
        return f"{self.friend_id} {self.user_id}"


class Election(models.Model):
    """The group's parents choose their contact parents: staff open a vote for a number of places until a
    moment; every parent of the group gives up to that many votes to the parents who offered and may
    change them until the close. Then the most voted are appointed (a tie for the last place is left to
    the staff), the counts are kept in ``result`` and the votes themselves are deleted: no one can
    learn who voted for whom."""

    group = models.ForeignKey(
        "organisation.Group", on_delete=models.CASCADE, related_name="elections", verbose_name=_("group")
    )
    places = models.PositiveSmallIntegerField(_("contact parents to choose"), default=2)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField(_("voting closes"))
    closed_at = models.DateTimeField(null=True, blank=True)
    voters = models.PositiveIntegerField(default=0, db_default=0)
    # After the close: [[contact parent id, votes], ...], most votes first.
    result = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("vote on contact parents")
        verbose_name_plural = _("votes on contact parents")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group"],
                condition=models.Q(closed_at__isnull=True),
                name="election_one_open_per_group",
            ),
            models.CheckConstraint(
                condition=models.Q(places__gte=1, places__lte=5), name="election_places_1_to_5"
            ),
        ]
        indexes = [
            models.Index(
                fields=["closes_at"], name="election_open", condition=models.Q(closed_at__isnull=True)
            )
        ]

    def __str__(self):
        return f"{self.group_id} {self.closes_at:%Y-%m-%d}"


class Vote(models.Model):
    """One parent's vote for one candidate while the election is open; deleted at the close."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(ContactParent, on_delete=models.CASCADE, related_name="votes")
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["election", "voter", "candidate"], name="vote_once_per_candidate"
            ),
        ]
        indexes = [models.Index(fields=["election", "voter"], name="vote_by_voter")]

    def __str__(self):
        return f"{self.election_id} {self.candidate_id}"
