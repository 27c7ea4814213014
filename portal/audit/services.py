"""Recording access to children's data. Every read of a child's record and every write goes here."""

from collections.abc import Iterable

from portal.audit.models import AccessEvent
from portal.client_address import client_ip


def _event(*, request, child, action, subject, object_id, actor_role) -> AccessEvent:
    user = request.user
    return AccessEvent(
        actor=user if user.is_authenticated else None,
        actor_name=(user.get_full_name() or user.email) if user.is_authenticated else "",
        actor_role=str(actor_role)[:100],
        child_id=child.pk,
        municipality_id=child.municipality_id,
        action=action,
        subject=subject,
        object_id=object_id,
        path=request.path[:300],
        ip=client_ip(request),
    )


def access_record(*, request, child, action, subject, object_id=None, actor_role="") -> AccessEvent:
    """Record one access to one child's data (one INSERT)."""
    event = _event(
        request=request,
        child=child,
        action=action,
        subject=subject,
        object_id=object_id,
        actor_role=actor_role,
    )
    event.save()
    return event


def _record_all(*, request, pairs: Iterable, action, object_id, actor_role) -> None:
    """One INSERT for every (child, subject) shown together."""
    AccessEvent.objects.bulk_create(
        [
            _event(
                request=request,
                child=child,
                action=action,
                subject=subject,
                object_id=object_id,
                actor_role=actor_role,
            )
            for child, subject in pairs
        ]
    )


def access_record_many(*, request, children: Iterable, action, subject, actor_role="") -> None:
    """Record that a list showed these children (one INSERT for the whole list)."""
    _record_all(
        request=request,
        pairs=((child, subject) for child in children),
        action=action,
        object_id=None,
        actor_role=actor_role,
    )


def access_record_parts(
    *, request, child, action, subjects: Iterable[str], object_id=None, actor_role=""
) -> None:
    """Record one access to several parts of one child's data shown together, e.g. an agreement with
    its comments (one INSERT)."""
    _record_all(
        request=request,
        pairs=((child, subject) for subject in subjects),
        action=action,
        object_id=object_id,
        actor_role=actor_role,
    )
