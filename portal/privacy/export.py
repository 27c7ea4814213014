"""Everything the portal holds about one child and about the guardian who asks (GDPR art. 15 and 20).

Which tables hold it is found, not listed: every model that reaches ``Child`` through a chain of foreign
keys gives the child's rows, and every model with a link to a person gives the guardian's own rows. What
is left out is listed with its reason (``LEFT_OUT``, ``SECRET``): secrets and the keys of stored files,
never a child's or a person's data. One query per table, whatever the size of the family's history.
"""

import datetime
import re
from collections import deque
from functools import cache

from django.apps import apps
from django.db import models
from django.utils import timezone

from children.models import Child
from portal.accounts.models import User

# Tables left out of a family's copy, and why.
LEFT_OUT = {
    "sessions.Session": "login sessions: a signed secret, no data about the family",
    "usersessions.UserSession": "login sessions: the session's secret key",
    "mfa.Authenticator": "the second factor's secret",
    "socialaccount.SocialToken": "a login provider's token",
    "account.EmailConfirmation": "a one-time confirmation key",
    "admin.LogEntry": "the Django admin's own log; what staff saw or changed is in the access log",
    "api.ApiClient": "the municipality's systems' keys",
    "privacy.DataExport": "the copies themselves",
    "privacy.ErasureRecord": "counts of deletions, about no one",
    "privacy.RetentionSetting": "the municipality's settings",
    "roster.ImportRun": "the administrators' imports: counts and row outcomes, no names once applied",
}
# Links to a person that are not the person's own data: what they saw is in their child's access log.
NOT_THEIRS = {"audit.AccessEvent"}
# Columns that hold a secret or the address of a stored file: never in a copy.
SECRET = re.compile(r"password|token|secret|hash|(^|_)key$|^code$|session_key|^ip$")
# A person's rows through these links are about their work, not about them as a parent.
STAFF_LINKS = {"organisation.StaffMembership", "organisation.MunicipalAdministrator"}


def _concrete():
    return [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]


@cache
def child_paths() -> dict:
    """Model → the lookup from it to the child's id: a direct link to the child, or a chain of required
    links (an optional one would miss the rows that leave it empty: a note on a focus point, not a goal)."""
    paths = {Child: "pk"}
    queue = deque([(Child, "")])
    reverse: dict = {}
    for model in _concrete():
        for f in model._meta.concrete_fields:
            if (
                f.is_relation
                and f.related_model not in (None, User)
                and (not f.null or f.related_model is Child)
            ):
                reverse.setdefault(f.related_model, []).append((model, f.name))
    while queue:
        target, lookup = queue.popleft()
        for model, name in reverse.get(target, []):
            if model in paths or model._meta.label in LEFT_OUT:
                continue
            paths[model] = f"{name}__{lookup}" if lookup else f"{name}_id"
            queue.append((model, f"{name}__{lookup}" if lookup else name))
    return paths


@cache
def person_links() -> dict:
    """Model → the names of its links to a person (the person's own account apart)."""
    links = {}
    for model in _concrete():
        label = model._meta.label
        if model is User or label in LEFT_OUT or label in STAFF_LINKS or label in NOT_THEIRS:
            continue
        names = [f.name for f in model._meta.concrete_fields if f.is_relation and f.related_model is User]
        if names:
            links[model] = names
    return links


def _fields(model):
    return [f for f in model._meta.concrete_fields if not SECRET.search(f.name)]


def _value(field, row):
    value = row[field.attname]
    if value is None or value == "":
        return None
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return None
    return value


def _section(model, queryset) -> dict | None:
    fields = _fields(model)
    rows = [
        {str(f.verbose_name): v for f in fields if (v := _value(f, row)) is not None}
        for row in queryset.values(*(f.attname for f in fields))
    ]
    if not rows:
        return None
    title = str(model._meta.verbose_name_plural).capitalize()
    return {"table": model._meta.label, "title": title, "rows": rows}


def gather(*, child, user) -> dict:
    """The child's rows in every table that reaches the child, and the person's own rows elsewhere."""
    about_child = []
    for model, lookup in sorted(child_paths().items(), key=lambda item: item[0]._meta.label):
        queryset = model.objects.filter(**{lookup: child.pk}).order_by("pk")
        if section := _section(model, queryset):
            about_child.append(section)
    about_me = []
    for model, names in sorted(person_links().items(), key=lambda item: item[0]._meta.label):
        condition = models.Q()
        for name in names:
            condition |= models.Q(**{name: user.pk})
        if section := _section(model, model.objects.filter(condition).order_by("pk")):
            about_me.append(section)
    if section := _section(User, User.objects.filter(pk=user.pk)):
        about_me.insert(0, section)
    return {
        "made_at": timezone.now().isoformat(),
        "child": {"id": child.pk, "name": child.full_name},
        "person": {"id": user.pk, "name": user.get_full_name() or user.email},
        "about_the_child": about_child,
        "about_you": about_me,
    }
