"""Writes to the organisation: institutions, groups and staff memberships, and the municipality's
stored figures."""

import logging

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.organisation.models import Group, Institution, Municipality, MunicipalityFigures, StaffMembership
from portal.organisation.selectors import municipality_counts

logger = logging.getLogger(__name__)


@transaction.atomic
def institution_save(*, municipality, instance: Institution | None = None, **fields) -> Institution:
    """Create or update an institution within the municipality."""
    institution = instance or Institution(municipality=municipality)
    for name, value in fields.items():
        setattr(institution, name, value)
    institution.full_clean()
    institution.save()
    return institution


@transaction.atomic
def group_save(*, institution, instance: Group | None = None, **fields) -> Group:
    """Create or update a group of the institution."""
    group = instance or Group(institution=institution)
    for name, value in fields.items():
        setattr(group, name, value)
    group.full_clean()
    group.save()
    return group


def membership_end(*, membership: StaffMembership, on=None) -> bool:
    """End a staff membership now (conditional UPDATE: ending twice is a no-op). Access stops at once."""
    on = on or timezone.localdate()
    return bool(StaffMembership.objects.filter(pk=membership.pk, ended_on__isnull=True).update(ended_on=on))


@transaction.atomic
def membership_update(*, membership: StaffMembership, role: str, groups, is_contact: bool) -> StaffMembership:
    """Change a staff member's role, groups and contact flag; groups must belong to the same institution."""
    membership = StaffMembership.objects.select_for_update().get(pk=membership.pk)
    if any(g.institution_id != membership.institution_id for g in groups):
        raise ValidationError({"groups": _("Choose groups of this institution.")})
    membership.role = role
    membership.is_contact = is_contact
    membership.full_clean()
    membership.save(update_fields=["role", "is_contact"])
    membership.groups.set(groups)
    return membership


def municipality_figures_store(*, municipality_id: int) -> MunicipalityFigures | None:
    """Count the municipality's children and places now and its staff with access, and store the
    figures (one row per municipality, replaced). None if the municipality is gone."""
    if not Municipality.objects.filter(pk=municipality_id).exists():
        return None
    figures, _created = MunicipalityFigures.objects.update_or_create(
        municipality_id=municipality_id,
        defaults={**municipality_counts(municipality_id), "computed_at": timezone.now()},
    )
    return figures


def municipality_figures_refresh() -> int:
    """New figures for every municipality; one failing costs only itself. The number stored."""
    stored = 0
    for municipality_id in Municipality.objects.order_by("pk").values_list("pk", flat=True):
        try:
            stored += municipality_figures_store(municipality_id=municipality_id) is not None
        except DatabaseError:
            logger.exception("Figures of municipality %s could not be counted", municipality_id)
    return stored
