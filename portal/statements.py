"""Reads whose SQL the ORM writes once per process, then runs with each request's values.

Building and compiling a queryset with subqueries costs the ORM 1–3 ms of CPU, more than PostgreSQL
takes to answer it; a home runs six such reads for its to-dos. A :class:`Statement` builds its
queryset from a *placeholder* person and placeholder values, compiles it once per shape and keeps the
SQL; later calls put the real values in their places and execute it through Django's cursor (so query
counts, wrappers and the test database see it as any other query).

What a build function may use, checked when it compiles:

* the placeholder user: its id, its roles (``portal.access.roles_of``), its staff scope and the
  children it is guardian of, as the policies read them. A shape is one set of roles and the pattern of
  the ids in the scope, so the policies' branches and list lengths are part of the key;
* the keyword values it declares (ints, dates, aware datetimes): it may not compute with them (a
  derived date or time in the SQL is refused), so callers pass what they derive;
* today's date (``Enrollment.objects.current()`` and the like): today is part of the key.

The build must return a ``values()`` queryset; rows come back as dicts, converted as Django converts
them for that backend.
"""

import re
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from threading import Lock

from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from portal.access import StaffScope, guardian_child_ids, roles_of, staff_scope

# Placeholder ids: inside every integer column's range, far above any real id.
ID_BASE = 2_000_000_000
ID_KIND = 10_000_000
VALUE_BASE = 2_100_000_000
# Placeholder days and times lie centuries before any real one, so a date computed from one is seen.
PLACEHOLDER_DAY = date(1500, 6, 1)
PLACEHOLDER_ERA = re.compile(r"^1[0-8]\d\d-")
A_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
CACHE_SIZE = 512
# A placeholder id or value (2,000,000,000 and up) in the SQL's text rather than among its parameters.
INLINED = re.compile(r"(?<![\w.])2[01]\d{8}(?![\w.])")


class StatementError(Exception):
    """The build function used something other than its placeholders."""


@dataclass(frozen=True)
class _Compiled:
    sql: str
    slots: tuple  # per SQL parameter: ("id", rank) / ("value", name) / ("const", value)
    names: tuple[str, ...]
    compiler: object
    converters: list
    empty: bool = False


class Statement:
    """A ``values()`` read compiled once per shape; see the module's docstring."""

    def __init__(self, build, **kinds):
        self.build = build
        self.kinds = kinds  # name -> int, date or datetime
        self._cache: OrderedDict = OrderedDict()
        self._lock = Lock()

    def rows(self, user, using: str = DEFAULT_DB_ALIAS, **values) -> list[dict]:
        """The rows for ``user`` (None for a read that depends on no person) and the values."""
        if set(values) != set(self.kinds):
            raise TypeError(f"Expected the values {sorted(self.kinds)}, got {sorted(values)}.")
        ids, shape = _shape_of(user) if user is not None else ({}, None)
        key = (using, timezone.localdate(), shape)
        compiled = self._cache.get(key)
        if compiled is None:
            compiled = self._compile(shape, using)
            with self._lock:
                self._cache[key] = compiled
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
        if compiled.empty:
            return []
        params = [_fill(slot, ids, values, self.kinds, using) for slot in compiled.slots]
        with connections[using].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        return [dict(zip(compiled.names, row, strict=True)) for row in rows]

    def first(self, user, model=None, using: str = DEFAULT_DB_ALIAS, **values):
        """The first row, or None; as an instance of ``model`` when given (read with ``columns``)."""
        found = self.rows(user, using=using, **values)
        if not found:
            return None
        return found[0] if model is None else instance(model, found[0], using=using)

    def objects(self, user, model, *related: str, using: str = DEFAULT_DB_ALIAS, **values) -> list:
        """The rows as instances of ``model`` with ``related`` rows cached (read with
        ``related_columns(model, *related)``)."""
        return instances(model, self.rows(user, using=using, **values), *related, using=using)

    def _compile(self, shape, using: str) -> _Compiled:
        person = _placeholder_user(shape, using) if shape is not None else None
        placeholders = {name: _placeholder(kind, i) for i, (name, kind) in enumerate(self.kinds.items())}
        queryset = self.build(person, **placeholders)
        query = queryset.query
        # As Django's ValuesIterable names the columns: in the order values() listed them.
        names = (
            tuple(query.selected)
            if query.selected
            else (*query.extra_select, *query.values_select, *query.annotation_select)
        )
        if not query.values_select and not query.annotation_select:
            raise StatementError("A statement's build must return a values() queryset.")
        compiler = query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return _Compiled("", (), names, None, [], empty=True)
        if INLINED.search(sql):
            # Django writes some numbers into the SQL's text (LIMIT and OFFSET): no later value reaches them.
            raise StatementError(f"A placeholder written into the SQL text: {INLINED.search(sql)[0]}.")
        connection = connections[using]
        by_form = {}
        for name, kind in self.kinds.items():
            by_form[_adapted(placeholders[name], kind, connection)] = ("value", name)
        slots = tuple(_slot(param, by_form, connection) for param in params)
        fields = [s[0] for s in compiler.select[: compiler.col_count]]
        return _Compiled(sql, slots, names, compiler, compiler.get_converters(fields))


def _shape_of(user) -> tuple[dict, tuple]:
    """The person's ids by placeholder, and a key that says everything their SQL may depend on: roles,
    memberships, and which ids repeat in what order (the policies sort and remove duplicates)."""
    roles = roles_of(user)
    memberships = staff_scope(user).memberships
    children = guardian_child_ids(user)
    ranks = [
        {value: n for n, value in enumerate(sorted(set(values)))}
        for values in (
            [user.pk],
            [i for i, _role, _groups in memberships],
            [g for _i, _role, groups in memberships for g in groups],
            children,
        )
    ]
    _me, institutions, groups, kids = ranks
    shape = (
        roles,
        tuple((institutions[i], role, tuple(sorted(groups[g] for g in gs))) for i, role, gs in memberships),
        tuple(kids[c] for c in children),
    )
    ids = {_id(kind, n): value for kind, rank in enumerate(ranks) for value, n in rank.items()}
    return ids, shape


def _id(kind: int, rank: int) -> int:
    """The placeholder of the rank-th smallest id of one kind (the user, institutions, groups, children)."""
    return ID_BASE + kind * ID_KIND + rank


def _placeholder_user(shape, using: str):
    roles, memberships, children = shape
    person = get_user_model()(pk=_id(0, 0), is_active=True)
    person._state.adding, person._state.db = False, using
    person._portal_roles = roles
    person._portal_staff_scope = StaffScope(
        tuple((_id(1, i), role, frozenset(_id(2, g) for g in gs)) for i, role, gs in memberships)
    )
    person._portal_guardian_children = [_id(3, c) for c in children]
    return person


def _placeholder(kind, n: int):
    if kind is int:
        return VALUE_BASE + n
    if kind is datetime:
        return datetime.combine(PLACEHOLDER_DAY, time(n + 1), tzinfo=UTC) + timedelta(days=n)
    if kind is date:
        return PLACEHOLDER_DAY + timedelta(days=n)
    raise TypeError(f"A statement takes ints, dates and datetimes, not {kind}.")


def _adapted(value, kind, connection):
    if kind is datetime:
        return connection.ops.adapt_datetimefield_value(value)
    if kind is date:
        return connection.ops.adapt_datefield_value(value)
    return value


def _slot(param, by_form: dict, connection):
    if isinstance(param, int) and not isinstance(param, bool) and ID_BASE <= param < VALUE_BASE:
        return ("id", param)
    found = by_form.get(param) if isinstance(param, (int, str, date)) else None
    if found:
        return found
    if isinstance(param, datetime) or (isinstance(param, str) and A_DATE.match(param) and " " in param):
        raise StatementError(f"A time in the SQL that is not a placeholder: {param!r}.")
    if (isinstance(param, date) and param.year < 1900) or (
        isinstance(param, str) and PLACEHOLDER_ERA.match(param)
    ):
        raise StatementError(f"A date computed from a placeholder: {param!r}; pass it as a value.")
    if isinstance(param, int) and VALUE_BASE <= param < VALUE_BASE + ID_KIND:
        raise StatementError(f"A number computed from a placeholder: {param!r}; pass it as a value.")
    return ("const", param)


def _fill(slot, ids: dict, values: dict, kinds: dict, using: str):
    what, key = slot
    if what == "id":
        return ids[key]
    if what == "value":
        return _adapted(values[key], kinds[key], connections[using])
    return key


def columns(model, prefix: str = "") -> tuple[str, ...]:
    """A model's own columns by attribute name, for ``values()``; under a relation with ``prefix``
    ("child__") for the related row of a join."""
    return tuple(f"{prefix}{f.attname}" for f in model._meta.concrete_fields)


def instance(model, row: dict, prefix: str = "", using: str = DEFAULT_DB_ALIAS):
    """The model instance of a row read with ``columns(model, prefix)``, as a queryset builds it."""
    names = [f.attname for f in model._meta.concrete_fields]
    return model.from_db(using, names, [row[f"{prefix}{name}"] for name in names])


def _related_model(model, path: str):
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


def related_columns(model, *related: str, prefix: str = "") -> tuple[str, ...]:
    """``columns(model)`` and the columns of each related row, by path ("institution", "plan__child"),
    as ``select_related`` would read them; all under ``prefix`` for a row reached by a join."""
    found = list(columns(model, prefix))
    for path in related:
        found += columns(_related_model(model, path), f"{prefix}{path}__")
    return tuple(found)


def instances(model, rows, *related: str, prefix: str = "", using: str = DEFAULT_DB_ALIAS) -> list:
    """The instances of rows read with ``related_columns(model, *related, prefix=prefix)``, each
    related row cached on its instance as ``select_related`` leaves it (None where the join found
    nothing)."""
    paths = sorted(related)  # a parent path before its children: "plan" before "plan__child"
    steps = [(path, _related_model(model, path)) for path in paths]
    found = []
    for row in rows:
        obj = instance(model, row, prefix, using=using)
        for path, related_model in steps:
            *head, name = path.split("__")
            parent = obj
            for step in head:
                parent = getattr(parent, step)
                if parent is None:
                    break
            else:
                pk = row[f"{prefix}{path}__{related_model._meta.pk.attname}"]
                value = None if pk is None else instance(related_model, row, f"{prefix}{path}__", using)
                parent._meta.get_field(name).set_cached_value(parent, value)
        found.append(obj)
    return found
