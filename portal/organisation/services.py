"""Writes to the organisation: institutions, groups and staff memberships."""

from django.db import transaction
from django.utils import timezone

from portal.organisation.models import Group, Institution, StaffMembership


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
