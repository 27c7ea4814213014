"""Recording access to children's data. Every read of a child's record and every write goes here."""

import functools
from collections.abc import Iterable

from django.db import connections, router
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit.models import AccessEvent
from portal.client_address import client_ip


def _event(*, request, child, action, subject, object_id, actor_role) -> AccessEvent:
    user = request.user
    if getattr(user, "is_api_client", False):
        # A municipal system reading through the API (portal/api): named by its client's name.
        return AccessEvent(
            actor=None,
            actor_name=user.client.name[:200],
            actor_role=str(_("API client")),
            child_id=child.pk if child else None,
            municipality_id=child.municipality_id if child else None,
            action=action,
            subject=subject,
            object_id=object_id,
            path=request.path[:300],
            ip=client_ip(request),
        )
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


# Per row: the child, their municipality and the part shown; the rest is the same for every row.
_PER_ROW = ("child_id", "municipality_id", "subject")


def _insert_sql(connection) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in _COLUMNS)
    places = ", ".join(["%s"] * len(_COLUMNS))
    return f"INSERT INTO {quote(AccessEvent._meta.db_table)} ({columns}) VALUES ({places})"  # noqa: S608


@functools.cache
def _insert_arrays_sql(connection) -> str:
    """PostgreSQL: every row in one statement with a fixed number of parameters, the per-row values
    as arrays (``unnest``), so that a list of 50 children costs about what one does."""
    quote = connection.ops.quote_name

    fields = {f.attname: f for f in AccessEvent._meta.concrete_fields}

    def db_type(column):
        return fields[column].db_type(connection)

    arrays = ", ".join(f"%s::{db_type(c)}[]" for c in _PER_ROW)
    select = ", ".join(f"u.{quote(c)}" if c in _PER_ROW else f"%s::{db_type(c)}" for c in _COLUMNS)
    columns = ", ".join(quote(c) for c in _COLUMNS)
    names = ", ".join(quote(c) for c in _PER_ROW)
    return (
        f"INSERT INTO {quote(AccessEvent._meta.db_table)} ({columns}) "  # noqa: S608
        f"SELECT {select} FROM unnest({arrays}) AS u({names})"
    )


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
    rows = [(child.pk, child.municipality_id, subject) for child, subject in pairs]
    if not rows:
        return
    same = {"at": at, "actor_id": who, "actor_name": name, "actor_role": role, "action": action,
            "object_id": object_id, "path": first.path, "ip": ip}  # fmt: skip
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            columns = dict(zip(_PER_ROW, (list(c) for c in zip(*rows, strict=True)), strict=True))
            cursor.execute(
                _insert_arrays_sql(connection),
                [same[c] for c in _COLUMNS if c not in _PER_ROW] + [columns[c] for c in _PER_ROW],
            )
        else:
            cursor.executemany(
                _insert_sql(connection),
                [[{**same, **dict(zip(_PER_ROW, row, strict=True))}[c] for c in _COLUMNS] for row in rows],
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
