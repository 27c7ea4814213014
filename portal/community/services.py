"""Writes of the children's community."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from children.models import Guardianship
from portal.audit.models import AccessEvent
from portal.audit.services import access_record
from portal.community.models import NameSharing


@transaction.atomic
def name_sharing_choose(*, request, user, child, show_name: bool, now=None) -> NameSharing:
    """A custody holder's yes or no to the group's other parents seeing the child's first name. A no (or
    a yes taken back) hides the name from the next page the others open."""
    if not Guardianship.objects.active().filter(child=child, user=user, has_custody=True).exists():
        raise ValidationError(_("Only a parent with custody can decide this."))
    choice, _created = NameSharing.objects.update_or_create(
        child=child, user=user, defaults={"show_name": show_name, "decided_at": now or timezone.now()}
    )
    if request is not None:
        access_record(
            request=request,
            child=child,
            action=AccessEvent.Action.UPDATE,
            subject="group_names",
            actor_role=_("Parent or guardian"),
        )
    return choice
