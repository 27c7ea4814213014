"""A family's data in every table that can hold it, with a marker in every text of every row.

Which tables can hold a family's data is found, not listed: every model that reaches ``Child`` through a
chain of foreign keys, and every model that points at a person (``User``) except those only staff and
administrators write (``STAFF_ONLY``). A row is made for each of them, tied to the family's child or
guardian; a new model is covered the day it is added, or this module fails and names it.
"""

import itertools
from datetime import time, timedelta

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from children.models import Child, Evidence, LearningGoal
from portal.accounts.models import User
from portal.organisation.models import Institution
from portal.privacy.models import DataExport
from transitions.models.education import PLAN_CLASS_LEVELS

# Models that point at a person only as staff or an administrator: a family's account never has rows there.
STAFF_ONLY = {
    "organisation.StaffMembership",  # a place of work
    "organisation.MunicipalAdministrator",
    "api.ApiClient",  # made by an administrator
    "privacy.RetentionSetting",
    "roster.ImportRun",  # uploaded by an administrator; its file is emptied once applied (retention)
    "children.CompetenceChange",
    "expectations.CharterVersion",
    "expectations.InstitutionPrinciples",
    "expectations.ReviewRound",
    "expectations.InstitutionReview",
    "transitions.CanonUse",
    "transitions.Network",  # a health visitor's network (its members are families: NetworkMember)
    "transitions.NetworkMeeting",
    "transitions.Visit",
    "meetings.BookingPeriod",
    "meetings.Slot",
    "community.Election",  # opened by staff; its result holds ids and counts, its votes are the family's
    "admin.LogEntry",  # the Django admin is for staff; lines about a child are planted apart
}
# Tables of libraries that hold no person's text: a token's hash is not data about the family.
SKIP = {"socialaccount.SocialToken", "account.EmailConfirmation"}

# What a row needs beyond the generic values, for the tables' check constraints.
OVERRIDES = {
    "children.Evidence": lambda f: {"goal": f.row(LearningGoal), "size": 1},
    "children.PlanChange": lambda f: {"goal": f.row(LearningGoal)},
    "children.Guardianship": lambda f: _ended(),
    "children.Enrollment": lambda f: _ended(),
    "children.PupilAccount": lambda f: {"revoked_at": timezone.now()},
    "accounts.Invitation": lambda f: {"kind": "guardian", "child": f.child},
    "meetings.MeetingResponse": lambda f: {"coming": True, "adults": 1},
    "children.PlanNote": lambda f: {"goal": f.row(LearningGoal), "observed_on": timezone.localdate()},
    "children.LanguageAssessment": lambda f: {"assessed_on": timezone.localdate()},
    "transitions.ReadinessAssessment": lambda f: {"status": "complete"},
    "transitions.ReadinessPart": lambda f: {"kind": "parents_view"},
    "transitions.ReadinessConfirmation": lambda f: {"disagrees": True},
    "community.PlayDate": lambda f: {"starts_at": time(15), "ends_at": time(17)},
    "privacy.DataExport": lambda f: {"status": "ready"},
    "transitions.EducationPlan": lambda f: {"class_level": PLAN_CLASS_LEVELS[0]},
    "transitions.Transition": lambda f: {
        "receiving_institution": Institution.objects.exclude(
            pk=f.neutral["organisation.Institution"].pk
        ).first()
    },
}


def _ended():
    """A past row beside the family's current one (one open row per child is allowed)."""
    today = timezone.localdate()
    return {"started_on": today - timedelta(days=30), "ended_on": today - timedelta(days=1)}


def _concrete():
    return [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]


def reaches_child(model, seen=()) -> bool:
    if model is Child:
        return True
    for f in model._meta.concrete_fields:
        if (
            f.is_relation
            and f.related_model not in (None, User)
            and f.related_model not in seen
            and reaches_child(f.related_model, (*seen, model))
        ):
            return True
    return False


def family_models() -> list:
    found = []
    for model in _concrete():
        label = model._meta.label
        if label in SKIP or label in STAFF_ONLY:
            continue
        points_at_person = any(f.is_relation and f.related_model is User for f in model._meta.concrete_fields)
        if model in (Child, User) or reaches_child(model) or points_at_person:
            found.append(model)
    return found


class Family:
    """Rows of one family (a child, a guardian) with ``marker`` in every text they have."""

    def __init__(self, *, marker: str, child, guardian, neutral: dict, staff=None):
        self.marker, self.child, self.guardian = marker, child, guardian
        self.rows = {"children.Child": child, "accounts.User": guardian}
        self.neutral = neutral  # rows of other tables to point at (an institution, a group...)
        self.counter = itertools.count(1)
        self.failed = {}
        self.files = []
        self.making = set()
        # Rows of other tables that must exist (a review round, a booking period) carry no marker.
        self.others = (
            None if staff is None else Family(marker="NEUTRAL", child=None, guardian=staff, neutral=neutral)
        )

    def text(self, field) -> str:
        n = next(self.counter)
        value = f"{self.marker}{n}"
        if isinstance(field, models.EmailField):
            return f"{value.lower()}@example.test"
        return value[: field.max_length] if field.max_length else value

    def value(self, model, field):
        if field.is_relation:
            return self.relation(model, field)
        if field.null and not isinstance(field, (models.CharField, models.TextField, models.JSONField)):
            return None
        if field.choices:
            return field.choices[0][0]
        if isinstance(field, models.JSONField):
            return {"note": self.marker}
        if isinstance(field, models.BinaryField):
            return self.marker.encode()
        if isinstance(field, (models.CharField, models.TextField)):
            return self.text(field)
        if isinstance(field, models.GenericIPAddressField):
            return "127.0.0.1"
        if isinstance(field, models.BooleanField):
            return field.get_default() if field.has_default() else False
        if isinstance(field, models.DateTimeField):
            return timezone.now()
        if isinstance(field, models.DateField):
            return timezone.localdate()
        if isinstance(field, models.DurationField):
            return timedelta(minutes=30)
        if isinstance(field, (models.IntegerField, models.DecimalField, models.FloatField)):
            return 1
        if field.has_default():
            return field.get_default()
        return None

    def relation(self, model, field):
        target = field.related_model
        if target is Child:
            return self.child
        if target is User:
            return self.guardian
        label = target._meta.label
        if field.null or label in self.making:  # optional, or a link back to a row being made
            return None
        if reaches_child(target):
            return self.row(target)
        if label in self.neutral:
            return self.neutral[label]
        existing = target.objects.order_by("pk").first()
        if existing is None and self.others is not None:
            return self.others.row(target)
        return existing

    def row(self, model):
        """The family's row of this table, made the first time it is asked for."""
        label = model._meta.label
        if label in self.rows:
            return self.rows[label]
        values = {}
        self.making.add(label)
        for field in model._meta.concrete_fields:
            if (
                field.primary_key
                or getattr(field, "auto_now", False)
                or getattr(field, "auto_now_add", False)
            ):
                continue
            values[field.name] = self.value(model, field)
        if label in OVERRIDES:
            values.update(OVERRIDES[label](self))
        if model is Evidence:
            values["storage_key"] = self.file("evidence")
            values["thumbnail_key"] = self.file("evidence")
        if model is DataExport:
            values["json_key"], values["pdf_key"] = self.file("exports"), self.file("exports")
        self.making.discard(label)
        try:
            with transaction.atomic():
                obj = model.objects.create(**values)
        except (IntegrityError, ValueError, TypeError) as error:
            self.failed[label] = str(error).splitlines()[0]
            return None
        self.rows[label] = obj
        return obj

    def file(self, alias) -> str:
        key = storages[alias].save(f"{self.marker.lower()}.bin", ContentFile(self.marker.encode()))
        self.files.append((alias, key))
        return key

    def fill(self):
        for model in family_models():
            self.row(model)
        return self
