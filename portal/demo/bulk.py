"""Rows written in bulk for the demo and the benchmarks: ids given out in memory, PostgreSQL ``COPY``
(psycopg 3) there and ``bulk_create`` elsewhere, then the id sequences moved past them."""

import itertools
import json

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection
from django.db.models import JSONField, Max

from children.models import Child, Enrollment, Guardianship
from portal.organisation.models import Group, Institution, MunicipalAdministrator, StaffMembership

# The columns of the organisation and families, in the order the municipality's rows are built.
USER = (
    "id",
    "password",
    "last_login",
    "is_superuser",
    "first_name",
    "last_name",
    "is_staff",
    "is_active",
    "date_joined",
    "email",
    "phone",
    "language",
)
CHILD = (
    "id",
    "municipality_id",
    "first_name",
    "last_name",
    "birth_date",
    "expected_on",
    "created_at",
    "updated_at",
)
GUARDIANSHIP = (
    "id",
    "child_id",
    "user_id",
    "relation",
    "has_custody",
    "information_withdrawn",
    "preferred_language",
    "interpreter_wanted",
    "started_on",
    "ended_on",
)
ENROLLMENT = ("id", "child_id", "institution_id", "group_id", "started_on", "ended_on")
INSTITUTION = ("id", "municipality_id", "name", "kind", "address", "phone", "email", "is_active")
GROUP = ("id", "institution_id", "name", "school_year")
MEMBERSHIP = ("id", "user_id", "institution_id", "role", "is_contact", "started_on", "ended_on")
MEMBERSHIP_GROUP = ("id", "staffmembership_id", "group_id")
ADMINISTRATOR = ("id", "user_id", "municipality_id", "created_at")


class BulkWriter:
    """Rows per model with ids given out here; written with COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self, tables=None):
        """``tables``: (model, field names) in foreign-key order; by default the organisation and families."""
        User = get_user_model()
        self.tables = {}  # model -> (field names, rows)
        for model, fields in tables or (
            (Institution, INSTITUTION),
            (Group, GROUP),
            (User, USER),
            (StaffMembership, MEMBERSHIP),
            (StaffMembership.groups.through, MEMBERSHIP_GROUP),
            (MunicipalAdministrator, ADMINISTRATOR),
            (Child, CHILD),
            (Guardianship, GUARDIANSHIP),
            (Enrollment, ENROLLMENT),
        ):
            self.tables[model] = (fields, [])
        self._ids = {}

    def rows(self, model) -> list:
        return self.tables[model][1]

    def ids(self, model):
        """An iterator of fresh primary keys for ``model``, after the largest one in the table."""
        if model not in self._ids:
            start = (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1
            self._ids[model] = itertools.count(start)
        return self._ids[model]

    def flush(self):
        for model, (fields, rows) in self.tables.items():
            if not rows:
                continue
            if connection.vendor == "postgresql":
                self._copy(model, fields, rows)
            else:
                objects = (model(**dict(zip(fields, row, strict=True))) for row in rows)
                while batch := list(itertools.islice(objects, 500)):
                    model._default_manager.bulk_create(batch)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), list(self.tables)):
                    cursor.execute(sql)

    @staticmethod
    def _copy(model, fields, rows):
        meta, qn = model._meta, connection.ops.quote_name
        given = [meta.get_field(name) for name in fields]
        # Columns a newer model has and this module does not know get the field's default.
        missing = [f for f in meta.concrete_fields if f not in given]
        defaults = tuple(f.get_default() for f in missing)
        columns = ", ".join(qn(f.column) for f in given + missing)
        # Rows hold JSON fields' values as Python (bulk_create elsewhere takes them so); COPY takes text.
        json_at = {i for i, f in enumerate(given + missing) if isinstance(f, JSONField)}
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {qn(meta.db_table)} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                row = row + defaults if defaults else row
                if json_at:
                    row = tuple(
                        json.dumps(v, ensure_ascii=False) if i in json_at else v for i, v in enumerate(row)
                    )
                copy.write_row(row)

    def analyze(self):
        """Fresh planner statistics, so benchmarks see the plans production would."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in self.tables:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")

    def counts(self) -> dict[str, int]:
        return {model._meta.db_table: len(rows) for model, (_, rows) in self.tables.items()}
