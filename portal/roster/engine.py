"""Checking a roster against the database, and applying it.

``plan()`` reads what exists in a fixed number of queries (whatever the file's size), checks every row
and decides, row by row, what would be created, changed, left unchanged, ended or refused, with its
reason. A family (a child with its guardians and places) is taken whole or not at all: one refused row
refuses the rest of the family. ``apply()`` writes the plan set-based (bulk inserts and updates) in
chunks of families, each chunk in its own transaction, and invites the new people once.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from children.models import Child, Enrollment, Guardianship
from portal.accounts.models import Invitation, User
from portal.audit.models import AccessEvent
from portal.organisation.models import Group, Institution, StaffMembership

CHUNK = 2000  # families per transaction
CPR_VALUE = re.compile(r"(?<!\d)[0-3]\d[01]\d\d\d-?\d{4}(?!\d)")

CREATED, CHANGED, UNCHANGED, ENDED, REFUSED = "created", "changed", "unchanged", "ended", "refused"
OUTCOMES = (CREATED, CHANGED, UNCHANGED, ENDED, REFUSED)
OUTCOME_LABELS = {
    CREATED: _("New"),
    CHANGED: _("Changed"),
    UNCHANGED: _("Unchanged"),
    ENDED: _("Ended"),
    REFUSED: _("Refused"),
}

REASONS = {
    "cpr": _("A value looks like a CPR number. CPR numbers are never read: remove it from the file."),
    "missing": _("A required value is empty: %(column)s."),
    "date": _("%(column)s is not a date (write it as 2026-08-14)."),
    "end_before_start": _("The place ends before it starts."),
    "duplicate": _("The same %(column)s is on more than one row."),
    "unknown_institution": _("No institution has the number %(value)s, in the file or in the portal."),
    "unknown_group": _("The institution has no group called %(value)s."),
    "unknown_child": _(
        "No child has the id %(value)s, in the file or in the portal: a guardian or place needs one."
    ),
    "email": _("%(value)s is not an e-mail address."),
    "choice": _("%(column)s cannot be %(value)s."),
    "school_year": _("The school year must be a number from 0 to 10."),
    "family": _("Another row of this family was refused, so nothing of the family is written."),
}

KINDS = {
    **{k: k for k in Institution.Kind.values},
    "sundhedspleje": "health_visiting",
    "dagpleje": "childminding",
    "vuggestue": "nursery",
    "boernehave": "kindergarten",
    "børnehave": "kindergarten",
    "integreret": "integrated",
    "integreret institution": "integrated",
    "skole": "school",
    "sfo": "after_school",
    "fritidsordning": "after_school",
    "uu": "youth_guidance",
    "ppr": "ppr",
}
ROLES = {
    **{r: r for r in StaffMembership.Role.values},
    "pædagog": "pedagogue",
    "paedagog": "pedagogue",
    "lærer": "teacher",
    "laerer": "teacher",
    "dagplejer": "childminder",
    "sundhedsplejerske": "health_visitor",
    "uu-vejleder": "uu_counsellor",
    "ppr-psykolog": "ppr_consultant",
    "leder": "leader",
}
RELATIONS = {
    **{r: r for r in Guardianship.Relation.values},
    "mor": "mother",
    "far": "father",
    "forælder": "parent",
    "foraelder": "parent",
    "plejeforælder": "foster_parent",
    "plejeforaelder": "foster_parent",
    "værge": "guardian",
    "vaerge": "guardian",
    "anden": "other",
}
YES = {"ja", "yes", "1", "true", "x", "j", "y"}
NO = {"nej", "no", "0", "false", "n", ""}


def _date(value: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


class Refused(Exception):
    def __init__(self, code, **params):
        self.code, self.params = code, params


def _need(row, *columns):
    for column in columns:
        if not row.get(column):
            raise Refused("missing", column=column)


def _no_cpr(row):
    for column, value in row.items():
        if CPR_VALUE.search(value):
            raise Refused("cpr", column=column)


def _choice(row, column, choices, default=None):
    value = row.get(column, "").strip().lower()
    if not value and default is not None:
        return default
    if value not in choices:
        raise Refused("choice", column=column, value=row.get(column, ""))
    return choices[value]


def _yes(row, column, default):
    value = row.get(column, "").strip().lower()
    if not value:
        return default
    if value in YES:
        return True
    if value in NO:
        return False
    raise Refused("choice", column=column, value=row.get(column, ""))


def _email(value):
    try:
        validate_email(value)
    except ValidationError:
        raise Refused("email", value=value) from None
    return value.strip().lower()


@dataclass
class Plan:
    report: list = field(default_factory=list)  # [sheet, line, key, outcome, code, params]
    institutions: list = field(default_factory=list)  # (pk or None, number, name, kind)
    groups: list = field(default_factory=list)  # (pk or None, institution key, name, school_year)
    families: list = field(default_factory=list)  # dicts, see _families
    staff: list = field(default_factory=list)
    ended: list = field(default_factory=list)  # enrollment pks to end

    def add(self, sheet, line, key, outcome, code="", **params):
        self.report.append([sheet, line, key, outcome, code, {k: str(v) for k, v in params.items()}])

    def counts(self) -> dict:
        counts = dict.fromkeys(OUTCOMES, 0)
        for row in self.report:
            counts[row[3]] += 1
        return counts

    @property
    def changes(self) -> int:
        c = self.counts()
        return c[CREATED] + c[CHANGED] + c[ENDED]


def plan(municipality, sheets: dict) -> Plan:
    p = Plan()
    institutions = _institutions(p, municipality, sheets.get("institutions", []))
    groups = _groups(p, institutions, sheets.get("groups", []))
    _families(p, municipality, institutions, groups, sheets)
    _staff(p, institutions, groups, sheets.get("staff", []))
    return p


def _institutions(p, municipality, rows) -> dict:
    """Institution number → [pk or None]; an existing institution without a number is matched by name."""
    rows_in_portal = list(Institution.objects.filter(municipality=municipality))
    existing = {i.institution_number: i for i in rows_in_portal if i.institution_number}
    by_name = {i.name.lower(): i for i in rows_in_portal if not i.institution_number}
    known = {number: i.pk for number, i in existing.items() if number}
    seen = defaultdict(int)
    for row in rows:
        seen[row.get("institution_number", "")] += 1
    for line, row in enumerate(rows, start=2):
        number = row.get("institution_number", "")
        try:
            _no_cpr(row)
            _need(row, "institution_number", "name", "kind")
            if seen[number] > 1:
                raise Refused("duplicate", column="institution_number")
            kind = _choice(row, "kind", KINDS)
        except Refused as r:
            p.add("institutions", line, number, REFUSED, r.code, **r.params)
            continue
        current = existing.get(number) or by_name.get(row["name"].lower())
        wanted = (row["name"][:150], kind)
        if current is None:
            p.institutions.append((None, number, *wanted))
            known[number] = None
            p.add("institutions", line, number, CREATED)
        elif (current.name, current.kind, current.institution_number) != (*wanted, number):
            p.institutions.append((current.pk, number, *wanted))
            known[number] = current.pk
            p.add("institutions", line, number, CHANGED)
        else:
            known[number] = current.pk
            p.add("institutions", line, number, UNCHANGED)
    return known


def _groups(p, institutions, rows) -> dict:
    """(institution number, group name lower) → pk or None."""
    pks = [pk for pk in institutions.values() if pk]
    existing = {(g.institution_id, g.name.lower()): g for g in Group.objects.filter(institution_id__in=pks)}
    number_of = {pk: number for number, pk in institutions.items() if pk}
    known = {(number_of[i], name): g.pk for (i, name), g in existing.items()}
    seen = defaultdict(int)
    for row in rows:
        seen[(row.get("institution_number", ""), row.get("name", "").lower())] += 1
    for line, row in enumerate(rows, start=2):
        number, name = row.get("institution_number", ""), row.get("name", "")
        try:
            _no_cpr(row)
            _need(row, "institution_number", "name")
            if number not in institutions:
                raise Refused("unknown_institution", value=number)
            if seen[(number, name.lower())] > 1:
                raise Refused("duplicate", column="name")
            year = row.get("school_year", "")
            if year and not (year.isascii() and year.isdigit() and 0 <= int(year) <= 10):
                raise Refused("school_year")
        except Refused as r:
            p.add("groups", line, f"{number}/{name}", REFUSED, r.code, **r.params)
            continue
        year = int(year) if year else None
        current = existing.get((institutions[number], name.lower())) if institutions[number] else None
        if current is None:
            p.groups.append((None, number, name[:100], year))
            known[(number, name.lower())] = None
            p.add("groups", line, f"{number}/{name}", CREATED)
        elif current.school_year != year:
            p.groups.append((current.pk, number, current.name, year))
            p.add("groups", line, f"{number}/{name}", CHANGED)
        else:
            p.add("groups", line, f"{number}/{name}", UNCHANGED)
    return known


def _families(p, municipality, institutions, groups, sheets) -> None:
    children_rows = sheets.get("children", [])
    guardian_rows = sheets.get("guardians", [])
    place_rows = sheets.get("places", [])
    ids = {r.get("child_id", "") for r in children_rows} | {r.get("child_id", "") for r in guardian_rows}
    ids |= {r.get("child_id", "") for r in place_rows}
    ids.discard("")
    existing = {
        c.external_id: c
        for c in Child.objects.filter(municipality=municipality, external_id__in=list(ids)).only(
            "pk", "external_id", "first_name", "last_name", "birth_date"
        )
    }
    child_pks = [c.pk for c in existing.values()]
    emails = {r.get("email", "").strip().lower() for r in guardian_rows} - {""}
    users = dict(User.objects.filter(email__in=list(emails)).values_list("email", "pk"))
    guardianships = {
        (g.child_id, g.user_id): g
        for g in Guardianship.objects.filter(child_id__in=child_pks, ended_on__isnull=True).only(
            "pk", "child_id", "user_id", "relation", "has_custody", "information_withdrawn"
        )
    }
    places = defaultdict(list)  # every place, current or ended: a place is matched by where and when it began
    for e in Enrollment.objects.filter(child_id__in=child_pks).only(
        "pk", "child_id", "institution_id", "group_id", "started_on", "ended_on"
    ):
        places[e.child_id].append(e)

    family: dict[str, dict] = defaultdict(lambda: {"child": None, "guardians": [], "places": [], "lines": []})
    refused: dict[str, tuple] = {}
    seen = defaultdict(int)
    for row in children_rows:
        seen[row.get("child_id", "")] += 1

    for line, row in enumerate(children_rows, start=2):
        key = row.get("child_id", "")
        try:
            _no_cpr(row)
            _need(row, "child_id", "first_name", "last_name", "birth_date")
            if seen[key] > 1:
                raise Refused("duplicate", column="child_id")
            born = _date(row["birth_date"])
            if born is None:
                raise Refused("date", column="birth_date")
        except Refused as r:
            refused.setdefault(key, ("children", line, r))
            family[key]["lines"].append(("children", line))
            continue
        family[key]["child"] = (line, row["first_name"][:100], row["last_name"][:100], born)
        family[key]["lines"].append(("children", line))

    guardian_seen = defaultdict(int)
    for row in guardian_rows:
        guardian_seen[(row.get("child_id", ""), row.get("email", "").strip().lower())] += 1
    for line, row in enumerate(guardian_rows, start=2):
        key = row.get("child_id", "")
        family[key]["lines"].append(("guardians", line))
        try:
            _no_cpr(row)
            _need(row, "child_id", "email", "first_name", "last_name")
            if key not in existing and family[key]["child"] is None and key not in refused:
                raise Refused("unknown_child", value=key)
            email = _email(row["email"])
            if guardian_seen[(key, email)] > 1:
                raise Refused("duplicate", column="email")
            relation = _choice(row, "relation", RELATIONS, default="parent")
            custody = _yes(row, "custody", True)
            information = _yes(row, "information", True)
            language = row.get("language", "").strip().lower()
            if language and language not in dict(settings.LANGUAGES):
                raise Refused("choice", column="language", value=row["language"])
        except Refused as r:
            refused.setdefault(key, ("guardians", line, r))
            continue
        family[key]["guardians"].append(
            (
                line,
                email,
                row["first_name"][:150],
                row["last_name"][:150],
                relation,
                custody,
                information,
                language,
            )
        )

    for line, row in enumerate(place_rows, start=2):
        key = row.get("child_id", "")
        family[key]["lines"].append(("places", line))
        try:
            _no_cpr(row)
            _need(row, "child_id", "institution_number", "start_date")
            if key not in existing and family[key]["child"] is None and key not in refused:
                raise Refused("unknown_child", value=key)
            number = row["institution_number"]
            if number not in institutions:
                raise Refused("unknown_institution", value=number)
            group = row.get("group", "")
            if group and (number, group.lower()) not in groups:
                raise Refused("unknown_group", value=group)
            start = _date(row["start_date"])
            if start is None:
                raise Refused("date", column="start_date")
            end = _date(row["end_date"]) if row.get("end_date") else None
            if row.get("end_date") and end is None:
                raise Refused("date", column="end_date")
            if end and end < start:
                raise Refused("end_before_start")
        except Refused as r:
            refused.setdefault(key, ("places", line, r))
            continue
        family[key]["places"].append((line, number, group.lower(), start, end))

    imported_institutions = {pk for pk in institutions.values() if pk}
    for key, f in family.items():
        if key in refused or not key:
            sheet, line, r = refused.get(
                key, (f["lines"][0][0], f["lines"][0][1], Refused("missing", column="child_id"))
            )
            for where, at in f["lines"]:
                if (where, at) == (sheet, line):
                    p.add(where, at, key, REFUSED, r.code, **r.params)
                else:
                    p.add(where, at, key, REFUSED, "family")
            continue
        current = existing.get(key)
        plan_family = {
            "key": key,
            "child": None,
            "pk": current.pk if current else None,
            "guardians": [],
            "places": [],
        }
        if f["child"]:
            line, first, last, born = f["child"]
            wanted = (first, last, born)
            if current is None:
                plan_family["child"] = wanted
                p.add("children", line, key, CREATED)
            elif (current.first_name, current.last_name, current.birth_date) != wanted:
                plan_family["child"] = wanted
                p.add("children", line, key, CHANGED)
            else:
                p.add("children", line, key, UNCHANGED)
        for line, email, first, last, relation, custody, information, language in f["guardians"]:
            user_pk = users.get(email)
            g = guardianships.get((current.pk, user_pk)) if current and user_pk else None
            wanted = (relation, custody, not information)
            plan_family["guardians"].append((g.pk if g else None, email, first, last, language, *wanted))
            if g is None:
                p.add("guardians", line, key, CREATED)
            elif (g.relation, g.has_custody, g.information_withdrawn) != wanted:
                p.add("guardians", line, key, CHANGED)
            else:
                plan_family["guardians"][-1] = None
                p.add("guardians", line, key, UNCHANGED)
        plan_family["guardians"] = [g for g in plan_family["guardians"] if g]
        in_file = set()
        for line, number, group, start, end in f["places"]:
            inst = institutions[number]
            match = None
            for e in places.get(current.pk if current else None, []):
                if e.institution_id == inst and e.started_on == start:
                    match = e
            group_pk = groups.get((number, group)) if group else None
            in_file.add((inst, start))
            if match is None:
                plan_family["places"].append((None, number, group, start, end))
                p.add("places", line, key, CREATED)
            elif match.group_id != group_pk or match.ended_on != end:
                plan_family["places"].append((match.pk, number, group, start, end))
                p.add("places", line, key, CHANGED)
            else:
                p.add("places", line, key, UNCHANGED)
        if current is not None:
            for e in places.get(current.pk, []):
                if (
                    e.ended_on is None
                    and e.institution_id in imported_institutions
                    and (e.institution_id, e.started_on) not in in_file
                ):
                    p.ended.append(e.pk)
                    p.add("places", 0, key, ENDED)
        if plan_family["child"] or plan_family["guardians"] or plan_family["places"]:
            p.families.append(plan_family)


def _staff(p, institutions, groups, rows) -> None:
    emails = {r.get("email", "").strip().lower() for r in rows} - {""}
    users = dict(User.objects.filter(email__in=list(emails)).values_list("email", "pk"))
    memberships = {
        (m.user_id, m.institution_id, m.role): m.pk
        for m in StaffMembership.objects.filter(user_id__in=list(users.values()), ended_on__isnull=True)
    }
    seen = defaultdict(int)
    for row in rows:
        seen[
            (row.get("email", "").strip().lower(), row.get("institution_number", ""), row.get("role", ""))
        ] += 1
    for line, row in enumerate(rows, start=2):
        try:
            _no_cpr(row)
            _need(row, "email", "first_name", "last_name", "institution_number", "role")
            email = _email(row["email"])
            number = row["institution_number"]
            if number not in institutions:
                raise Refused("unknown_institution", value=number)
            role = _choice(row, "role", ROLES)
            if seen[(email, number, row["role"])] > 1:
                raise Refused("duplicate", column="email")
            names = [g.strip() for g in row.get("groups", "").split(",") if g.strip()]
            for name in names:
                if (number, name.lower()) not in groups:
                    raise Refused("unknown_group", value=name)
        except Refused as r:
            p.add("staff", line, line, REFUSED, r.code, **r.params)
            continue
        user_pk = users.get(email)
        inst = institutions[number]
        if user_pk and inst and (user_pk, inst, role) in memberships:
            p.add("staff", line, line, UNCHANGED)
            continue
        p.staff.append(
            (email, row["first_name"][:150], row["last_name"][:150], number, role, [n.lower() for n in names])
        )
        p.add("staff", line, line, CREATED)


# ---------------------------------------------------------------------------------------------------
# Applying
# ---------------------------------------------------------------------------------------------------
def _new_users(people, by_email) -> list[User]:
    """Accounts for people new to the portal (no password: they set one from their invitation)."""
    unusable = make_password(None)
    fresh = {}
    for email, first, last, language in people:
        if email not in by_email and email not in fresh:
            fresh[email] = User(
                email=email,
                first_name=first,
                last_name=last,
                language=language or settings.LANGUAGE_CODE,
                password=unusable,
            )
    created = User.objects.bulk_create(list(fresh.values()))
    by_email.update({u.email: u.pk for u in created})
    return created


def apply(p: Plan, *, municipality, by, progress=None) -> list[int]:
    """Write the plan; returns the ids of the invitations made (to send after commit)."""
    invitations: list[int] = []
    with transaction.atomic():
        numbers = {}
        new = [
            Institution(municipality=municipality, institution_number=n, name=name, kind=kind)
            for pk, n, name, kind in p.institutions
            if pk is None
        ]
        for i in Institution.objects.bulk_create(new):
            numbers[i.institution_number] = i.pk
        changed = [
            Institution(pk=pk, institution_number=n, name=name, kind=kind)
            for pk, n, name, kind in p.institutions
            if pk
        ]
        Institution.objects.bulk_update(changed, ["institution_number", "name", "kind"])
        numbers.update(
            Institution.objects.filter(municipality=municipality)
            .exclude(institution_number="")
            .values_list("institution_number", "pk")
        )
        Group.objects.bulk_create(
            [
                Group(institution_id=numbers[n], name=name, school_year=year)
                for pk, n, name, year in p.groups
                if pk is None
            ]
        )
        Group.objects.bulk_update(
            [Group(pk=pk, school_year=year) for pk, n, name, year in p.groups if pk], ["school_year"]
        )
    groups = {
        (number, name.lower()): pk
        for number, name, pk in Group.objects.filter(institution__municipality=municipality).values_list(
            "institution__institution_number", "name", "pk"
        )
    }
    today = timezone.localdate()
    for start in range(0, len(p.families), CHUNK):
        chunk = p.families[start : start + CHUNK]
        with transaction.atomic():
            invitations += _apply_families(chunk, municipality, by, numbers, groups)
        if progress:
            progress(min(start + CHUNK, len(p.families)))
    with transaction.atomic():
        Enrollment.objects.filter(pk__in=p.ended, ended_on__isnull=True).update(ended_on=today)
        invitations += _apply_staff(p.staff, municipality, by, numbers, groups)
    return invitations


def _apply_families(chunk, municipality, by, numbers, groups) -> list[int]:
    emails = {g[1] for f in chunk for g in f["guardians"]}
    by_email = dict(User.objects.filter(email__in=list(emails)).values_list("email", "pk"))
    new_users = _new_users([(g[1], g[2], g[3], g[4]) for f in chunk for g in f["guardians"]], by_email)
    created = Child.objects.bulk_create(
        [
            Child(
                municipality=municipality,
                external_id=f["key"],
                first_name=c[0],
                last_name=c[1],
                birth_date=c[2],
            )
            for f in chunk
            if f["pk"] is None and (c := f["child"])
        ]
    )
    pks = {c.external_id: c.pk for c in created}
    Child.objects.bulk_update(
        [
            Child(pk=f["pk"], first_name=c[0], last_name=c[1], birth_date=c[2])
            for f in chunk
            if f["pk"] is not None and (c := f["child"])
        ],
        ["first_name", "last_name", "birth_date"],
    )
    for f in chunk:
        f["pk"] = f["pk"] or pks.get(f["key"])
    new_guardianships, changed_guardianships = [], []
    for f in chunk:
        for pk, email, _first, _last, _language, relation, custody, withdrawn in f["guardians"]:
            row = Guardianship(
                pk=pk,
                child_id=f["pk"],
                user_id=by_email[email],
                relation=relation,
                has_custody=custody,
                information_withdrawn=withdrawn,
            )
            (changed_guardianships if pk else new_guardianships).append(row)
    Guardianship.objects.bulk_create(new_guardianships)
    Guardianship.objects.bulk_update(
        changed_guardianships, ["relation", "has_custody", "information_withdrawn"]
    )
    new_places, changed_places = [], []
    for f in chunk:
        for pk, number, group, start, end in f["places"]:
            row = Enrollment(
                pk=pk,
                child_id=f["pk"],
                institution_id=numbers[number],
                group_id=groups.get((number, group)) if group else None,
                started_on=start,
                ended_on=end,
            )
            (changed_places if pk else new_places).append(row)
    Enrollment.objects.bulk_create(new_places)
    Enrollment.objects.bulk_update(changed_places, ["group_id", "ended_on"])
    # The portal's own record that these children's data was written, in one INSERT.
    AccessEvent.objects.bulk_create(
        [
            AccessEvent(
                actor=by,
                actor_name=by.get_full_name() or by.email,
                actor_role=str(_("roster import")),
                child_id=f["pk"],
                municipality=municipality,
                action=AccessEvent.Action.UPDATE,
                subject="roster_import",
            )
            for f in chunk
        ]
    )
    fresh = {u.email for u in new_users}
    expires = timezone.now() + settings.INVITATION_TTL
    invitations = Invitation.objects.bulk_create(
        [
            Invitation(
                email=g[1],
                first_name=g[2],
                last_name=g[3],
                kind=Invitation.Kind.GUARDIAN,
                municipality=municipality,
                child_id=f["pk"],
                relation=g[5],
                has_custody=g[6],
                invited_by=by,
                expires_at=expires,
            )
            for f in chunk
            for g in f["guardians"]
            if g[0] is None and g[1] in fresh and not fresh.discard(g[1])
        ]
    )
    return [i.pk for i in invitations]


def _apply_staff(rows, municipality, by, numbers, groups) -> list[int]:
    emails = {r[0] for r in rows}
    by_email = dict(User.objects.filter(email__in=list(emails)).values_list("email", "pk"))
    new_users = _new_users([(r[0], r[1], r[2], "") for r in rows], by_email)
    fresh = {u.email for u in new_users}
    memberships = StaffMembership.objects.bulk_create(
        [StaffMembership(user_id=by_email[r[0]], institution_id=numbers[r[3]], role=r[4]) for r in rows]
    )
    through = StaffMembership.groups.through
    links = [
        through(staffmembership_id=m.pk, group_id=groups[(r[3], name)])
        for m, r in zip(memberships, rows, strict=True)
        for name in r[5]
    ]
    through.objects.bulk_create(links, ignore_conflicts=True)
    expires = timezone.now() + settings.INVITATION_TTL
    invitations = Invitation.objects.bulk_create(
        [
            Invitation(
                email=r[0],
                first_name=r[1],
                last_name=r[2],
                kind=Invitation.Kind.STAFF,
                municipality=municipality,
                institution_id=numbers[r[3]],
                role=r[4],
                invited_by=by,
                expires_at=expires,
            )
            for r in rows
            if r[0] in fresh and not fresh.discard(r[0])
        ]
    )
    return [i.pk for i in invitations]
