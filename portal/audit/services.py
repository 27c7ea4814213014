"""Recording access to children's data. Every read of a child's record and every write goes here."""

from collections.abc import Iterable

from django.db import connections, router
from django.utils import timezone

from portal.audit.models import AccessEvent
from portal.client_address import client_ip


def _event(*, request, child, action, subject, object_id, actor_role) -> AccessEvent:
    user = request.user
    return AccessEvent(
        actor=user if user.is_authenticated else None,
        actor_name=(user.get_full_name() or user.email) if user.is_authenticated else "",
        actor_role=str(actor_role)[:100],
        child_id=child.pk if child else None,
        municipality_id=child.municipality_id if child else None,
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


_COLUMNS = ("at", "actor_id", "actor_name", "actor_role", "child_id", "municipality_id", "action", "subject",
            "object_id", "path", "ip")  # fmt: skip


def _insert_sql(connection) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in _COLUMNS)
    places = ", ".join(["%s"] * len(_COLUMNS))
    return f"INSERT INTO {quote(AccessEvent._meta.db_table)} ({columns}) VALUES ({places})"  # noqa: S608


def _record_all(*, request, pairs: Iterable, action, object_id, actor_role) -> None:
    """Every (child, subject) shown together, in one statement: what is the same for all of them (who,
    when, from where) is worked out once, not per row as model instances would."""
    first = _event(
        request=request, child=None, action=action, subject="", object_id=object_id, actor_role=actor_role
    )
    connection = connections[router.db_for_write(AccessEvent)]
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    ip = connection.ops.adapt_ipaddressfield_value(first.ip)
    who, name, role = first.actor_id, first.actor_name, first.actor_role
    rows = [
        (at, who, name, role, child.pk, child.municipality_id, action, subject, object_id, first.path, ip)
        for child, subject in pairs
    ]
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(_insert_sql(connection), rows)


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
