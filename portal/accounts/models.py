import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def hash_token(token: str) -> str:
    """What is stored of a secret token in a link (invitations, calendar feeds): its SHA-256, in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in: parent, staff member or administrator. E-mail is the identity.

    No CPR number is ever stored; a MitID login links by the verified e-mail address.
    """

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        default="da",
        choices=settings.LANGUAGES,
    )
    # How the portal reaches this person about meetings; the portal's own inbox always gets a copy.
    notify_by_email = models.BooleanField(_("by e-mail"), default=True, db_default=True)
    notify_by_sms = models.BooleanField(_("by text message"), default=False, db_default=False)
    # The notification centre (portal/notices): when e-mails and texts may come. Empty: the portal's
    # defaults (NOTICE_QUIET_HOURS, NOTICE_DIGEST_HOUR); the same time twice: no quiet hours.
    quiet_from = models.TimeField(_("quiet from"), null=True, blank=True)
    quiet_until = models.TimeField(_("quiet until"), null=True, blank=True)
    digest_hour = models.PositiveSmallIntegerField(_("daily summary at"), null=True, blank=True)
    # Wrong two-step codes in a row at login (services.user_mfa_failure_record); a right code or a new
    # password sets it back to 0. In the database, so a cache restart never forgets it.
    mfa_failures = models.PositiveSmallIntegerField(
        _("wrong two-step codes in a row"), default=0, db_default=0, editable=False
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["first_name", "last_name"]

    def __str__(self):
        return self.get_full_name() or self.email

    # What meeting messages and nudges use to choose their channels, and what staff see on the child page.
    @property
    def reached_by_email(self) -> bool:
        """Whether meeting messages also go to this person by e-mail."""
        return self.notify_by_email and bool(self.email)

    @property
    def reached_by_sms(self) -> bool:
        """Whether meeting messages also go to this person by text message."""
        return self.notify_by_sms and bool(self.phone)


class InvitationQuerySet(models.QuerySet):
    def pending(self, *, now=None):
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class Invitation(models.Model):
    """An e-mailed invitation to join the portal in one role. Only the token's hash is stored."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff member")
        ADMINISTRATOR = "administrator", _("Municipal administrator")
        GUARDIAN = "guardian", _("Parent or guardian")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    email = models.EmailField(_("e-mail address"))
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    municipality = models.ForeignKey(
        "organisation.Municipality", on_delete=models.CASCADE, related_name="invitations"
    )
    institution = models.ForeignKey(
        "organisation.Institution",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
    )
    role = models.CharField(_("role"), max_length=30, blank=True)
    child = models.ForeignKey(
        "children.Child", on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    relation = models.CharField(_("relation to the child"), max_length=30, blank=True)
    has_custody = models.BooleanField(_("holds custody"), default=True)
    # NULL until sent: many unsent invitations, each token unique once it exists.
    token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)  # noqa: DJ001
    invited_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        related_name="invitations_sent",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations_accepted"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="staff") | (Q(institution__isnull=False) & ~Q(role="")),
                name="invitation_staff_has_institution_and_role",
            ),
            models.CheckConstraint(
                condition=~Q(kind="guardian") | Q(child__isnull=False),
                name="invitation_guardian_has_child",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_not_both_accepted_and_revoked",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "created_at"])]

    def __str__(self):
        return f"{self.email} ({self.get_kind_display()})"

    hash_token = staticmethod(hash_token)

    @property
    def status(self) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self):
        return self.Status(self.status).label

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()
