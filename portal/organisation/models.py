from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Municipality(models.Model):
    """A Danish municipality (kommune): the owner of every institution and the data controller."""

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("municipality code"), max_length=3, unique=True, help_text=_("Three digits."))

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Institution(models.Model):
    class Kind(models.TextChoices):
        HEALTH_VISITING = "health_visiting", _("Health visiting")
        CHILDMINDING = "childminding", _("Childminding")
        NURSERY = "nursery", _("Nursery")
        KINDERGARTEN = "kindergarten", _("Kindergarten")
        INTEGRATED = "integrated", _("Integrated daycare")
        SCHOOL = "school", _("School")
        AFTER_SCHOOL = "after_school", _("After-school care")
        YOUTH_GUIDANCE = "youth_guidance", _("Youth education guidance")
        PPR = "ppr", _("Educational psychology services")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="institutions", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=150)
    # The national number (Institutionsregisteret for schools, Dagtilbudsregisteret for daycare): the
    # roster import's key.
    institution_number = models.CharField(_("institution number"), max_length=20, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="institution_unique_name"),
            models.UniqueConstraint(
                fields=["municipality", "institution_number"],
                condition=~models.Q(institution_number=""),
                name="institution_unique_number",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_daycare(self):
        return self.kind in {
            self.Kind.CHILDMINDING,
            self.Kind.NURSERY,
            self.Kind.KINDERGARTEN,
            self.Kind.INTEGRATED,
        }


class Group(models.Model):
    """A room, class or caseload within an institution."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="groups", verbose_name=_("institution")
    )
    name = models.CharField(_("name"), max_length=100)
    school_year = models.PositiveSmallIntegerField(
        _("school year"), null=True, blank=True, help_text=_("0 for reception class (0. klasse) up to 10.")
    )

    class Meta:
        verbose_name = pgettext_lazy("a room or class", "group")
        verbose_name_plural = pgettext_lazy("rooms or classes", "groups")
        ordering = ["institution", "school_year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="group_unique_name"),
            models.CheckConstraint(
                condition=Q(school_year__isnull=True) | Q(school_year__lte=10), name="group_school_year_range"
            ),
        ]

    def __str__(self):
        return self.name


class StaffMembershipQuerySet(models.QuerySet):
    def active(self, *, on=None):
        """Memberships in force on the day; ``ended_on`` is the first day without access."""
        on = on or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on), started_on__lte=on)


class StaffMembership(models.Model):
    """A person working at an institution in one role, optionally tied to some of its groups."""

    class Role(models.TextChoices):
        PEDAGOGUE = "pedagogue", _("Pedagogue")
        TEACHER = "teacher", _("Teacher")
        CHILDMINDER = "childminder", _("Childminder")
        HEALTH_VISITOR = "health_visitor", _("Health visitor")
        UU_COUNSELLOR = "uu_counsellor", _("Youth education counsellor")
        PPR_CONSULTANT = "ppr_consultant", _("Educational psychologist")
        LEADER = "leader", _("Leader")

    # Roles that only see their own caseload (their groups), not the whole institution.
    CASELOAD_ROLES = frozenset({Role.HEALTH_VISITOR, Role.UU_COUNSELLOR, Role.PPR_CONSULTANT})
    # Roles that may only write for children in their own groups.
    GROUP_WRITE_ROLES = frozenset({Role.PEDAGOGUE, Role.TEACHER, Role.CHILDMINDER})

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_memberships",
        verbose_name=_("person"),
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("institution")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    groups = models.ManyToManyField(Group, blank=True, related_name="staff", verbose_name=_("groups"))
    is_contact = models.BooleanField(
        _("contact person for parents"), default=True, help_text=_("Shown to parents on their child's card.")
    )
    started_on = models.DateField(_("started"), default=timezone.localdate)
    ended_on = models.DateField(
        _("ended"), null=True, blank=True, help_text=_("The first day without access.")
    )

    objects = StaffMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        ordering = ["institution", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "institution", "role"],
                condition=Q(ended_on__isnull=True),
                name="staffmembership_one_open_per_role",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="staffmembership_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}, {self.institution}"


class MunicipalAdministrator(models.Model):
    """A person in the municipal administration (forvaltning). Sees their own municipality only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="administrator_of",
        verbose_name=_("person"),
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="administrators", verbose_name=_("municipality")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("municipal administrator")
        verbose_name_plural = _("municipal administrators")
        constraints = [models.UniqueConstraint(fields=["user", "municipality"], name="administrator_unique")]

    def __str__(self):
        return f"{self.user} – {self.municipality}"


class MunicipalityFigures(models.Model):
    """The administrator's figures of the whole municipality as last counted (by a Celery task, every
    hour): children and places now, and staff with access. The home renders from them instead of
    counting every enrollment of the municipality on each view."""

    municipality = models.OneToOneField(Municipality, on_delete=models.CASCADE, related_name="figures")
    children = models.PositiveIntegerField(_("children with a place"), default=0)
    places = models.PositiveIntegerField(_("places"), default=0)
    staff = models.PositiveIntegerField(_("staff with access"), default=0)
    computed_at = models.DateTimeField(_("counted at"))

    class Meta:
        verbose_name = _("figures of a municipality")
        verbose_name_plural = _("figures of municipalities")

    def __str__(self):
        return f"Figures of municipality {self.municipality_id} at {self.computed_at}"
