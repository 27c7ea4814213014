"""The small demo data the quick start loads: the named personas in Aarhus, and neighbouring Skanderborg.

Aarhus has a health visiting service, a childminding scheme, an integrated daycare (Børnehuset
Solsikken, where Emil is in Mariehønen), a kindergarten, a school (Skovvangskolen, where Freja is
in 1.A), its after-school care and youth education guidance; about fifty children with enrollment
histories, one expected child in Sofie's caseload and learning goals with "what you can do at home".
Skanderborg has a daycare and a school of its own, so leaks between municipalities show.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from children.models import Child, Enrollment, Guardianship, LearningGoal
from portal.demo.common import (
    AFTER_SCHOOL,
    EXPECTED_FIRST_NAME,
    HEALTH_VISITING,
    KINDERGARTEN,
    NURSERY,
    SCHOOL,
    NamePool,
    add_months,
    grade_of,
    life_course,
    next_workday,
    random_date,
    school_year_start,
    slug,
)
from portal.demo.personas import DEMO_PASSWORD, PERSONAS
from portal.demo.small_data import (
    AARHUS,
    ADMINISTRATORS,
    GOALS,
    INSTITUTIONS,
    MUNICIPALITIES,
    OTHER_LANGUAGES,
    PLACEMENTS,
    SIBLINGS,
    SKOVVANG,
    SOLSIKKEN,
    STAFF,
)
from portal.organisation.models import (
    Group,
    Institution,
    MunicipalAdministrator,
    Municipality,
    StaffMembership,
)

R = StaffMembership.Role


@dataclass
class _Family:
    last_name: str
    guardians: list = field(default_factory=list)  # (user, relation, has_custody, preferred language)


@dataclass
class _Child:
    group: Group
    stage: str
    birth_date: date | None
    expected_on: date | None = None
    first_name: str = ""
    family: _Family | None = None
    history: dict = field(default_factory=dict)  # stage -> group, for the named children's stories
    obj: Child | None = None


def seed(*, seed: int, today: date | None = None) -> bool:
    """Load the small demo in one transaction, as if it were ``today`` (default: the real today);
    False (and nothing written) if it is already there."""
    if Municipality.objects.filter(code=AARHUS).exists():
        if get_user_model().objects.filter(email=PERSONAS["anna"].email).exists():
            return False
        raise CommandError("Aarhus Kommune (751) exists without the demo personas; use an empty database.")
    with transaction.atomic():
        _SmallDemo(seed, today=today).build()
    return True


def logins_table() -> str:
    rows = [("E-mail", "Name", "Role", "Password")]
    rows += [
        (p.email, p.full_name, p.role + (" (MFA)" if p.totp_secret else ""), p.password)
        for p in PERSONAS.values()
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    lines.append("MFA code for the (MFA) logins: python manage.py demo_totp [e-mail]")
    return "\n".join(lines)


class _SmallDemo:
    def __init__(self, seed: int, today: date | None = None):
        self.rng = random.Random(seed)
        self.names = NamePool(seed, size=300)
        self.today = today or timezone.localdate()
        self.password = make_password(DEMO_PASSWORD)  # hashed once: the personas share the password
        self.emails: set[str] = set()
        self.users = {}  # persona key -> User
        self.institutions = {}  # name -> Institution
        self.groups = {}  # (institution name, group name) -> Group
        self.stage_of = {}  # Group -> the stage of a child's path it serves
        self.stage_groups = {}  # (municipality code, stage) -> [Group]
        self.group_staff = {}  # Group -> first staff member in it

    def build(self):
        self.municipalities = {
            code: Municipality.objects.create(name=name, code=code) for code, name in MUNICIPALITIES.items()
        }
        self._institutions()
        for key, persona in PERSONAS.items():
            self.users[key] = self._user(
                persona.first_name, persona.last_name, email=persona.email, password=self.password
            )
            if persona.totp_secret:
                TOTP.activate(self.users[key], persona.totp_secret)
                RecoveryCodes.activate(self.users[key])
        self._staff()
        for key, code in ADMINISTRATORS:
            MunicipalAdministrator.objects.create(
                user=self.users[key], municipality=self.municipalities[code]
            )
        children = self._children()
        self._families(children)
        self._save_children(children)
        self._goals(children)
        self._meetings(children)
        self._support(children)
        self._canon()
        self._networks(children)
        self._community(children)

    def _institutions(self):
        for code, name, kind, address, groups in INSTITUTIONS:
            institution = Institution.objects.create(
                municipality=self.municipalities[code],
                name=name,
                kind=kind,
                address=address,
                email=f"{slug(name)}@demo.test",
            )
            self.institutions[name] = institution
            for group_name, stage in groups:
                school_year = int(group_name.split(".")[0]) if stage == SCHOOL else None
                group = Group.objects.create(
                    institution=institution, name=group_name, school_year=school_year
                )
                self.groups[name, group_name] = group
                self.stage_of[group] = stage
                self.stage_groups.setdefault((code, stage), []).append(group)

    def _user(self, first_name, last_name, *, email=None, password=UNUSABLE_PASSWORD_PREFIX, language="da"):
        """A user; only the personas get a usable password, the generated people exist to be seen."""
        if email is None:
            base = f"{slug(first_name)}.{slug(last_name)}"
            email, n = f"{base}@demo.test", 1
            while email in self.emails:
                n += 1
                email = f"{base}{n}@demo.test"
        self.emails.add(email)
        user = get_user_model().objects.create(
            email=email, first_name=first_name, last_name=last_name, language=language, password=password
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    def _staff(self):
        for key, institution_name, role, group_names in STAFF:
            if key is None:
                female = self.rng.random() < 0.8
                user = self._user(self.names.adult(self.rng, female=female), self.names.last_name(self.rng))
            else:
                user = self.users[key]
            groups = [self.groups[institution_name, name] for name in group_names]
            membership = StaffMembership.objects.create(
                user=user,
                institution=self.institutions[institution_name],
                role=role,
                is_contact=role != R.LEADER,
                started_on=date(self.today.year - self.rng.randint(1, 15), 8, 1),
            )
            membership.groups.set(groups)
            for group in groups:
                self.group_staff.setdefault(group, user)

    def _birth_date(self, stage, group):
        today, year = self.today, school_year_start(self.today)
        if stage == HEALTH_VISITING:
            return random_date(self.rng, today - timedelta(days=280), today - timedelta(days=20))
        if stage == NURSERY:
            return random_date(self.rng, add_months(today, -33), add_months(today, -15))
        if stage == KINDERGARTEN:
            return random_date(self.rng, date(year - 5, 1, 1), add_months(today, -36))
        born_in = year - 6 - group.school_year
        return random_date(self.rng, date(born_in, 1, 1), min(date(born_in, 12, 31), today))

    def _children(self):
        g = self.groups
        emil = _Child(
            g[SOLSIKKEN, "Mariehønen"],
            KINDERGARTEN,
            add_months(self.today, -54),
            first_name="Emil",
            history={
                HEALTH_VISITING: g["Sundhedsplejen Aarhus", "Sundhedspleje Vest"],
                NURSERY: g[SOLSIKKEN, "Sommerfuglen"],
            },
        )
        freja = _Child(
            g[SKOVVANG, "1.A"],
            SCHOOL,
            date(school_year_start(self.today) - 7, 3, 14),
            first_name="Freja",
            history={
                HEALTH_VISITING: g["Sundhedsplejen Aarhus", "Sundhedspleje Øst"],
                NURSERY: g["Dagplejen Aarhus Vest", "Legestuen Bækken"],
                KINDERGARTEN: g["Børnehaven Troldehøjen", "Troldene"],
                AFTER_SCHOOL: g["SFO Skovvangen", "Indskolingen"],
            },
        )
        expected = _Child(
            g["Sundhedsplejen Aarhus", "Sundhedspleje Vest"],
            HEALTH_VISITING,
            None,
            expected_on=self.today + timedelta(days=70),
            first_name=EXPECTED_FIRST_NAME,
        )
        children = {"emil": emil, "freja": freja, "expected": expected}
        for institution_name, group_name, count in PLACEMENTS:
            group = g[institution_name, group_name]
            stage = self.stage_of[group]
            for i in range(count):
                first_name = self.names.child(self.rng)
                while first_name in {"Emil", "Freja"}:
                    first_name = self.names.child(self.rng)
                child = _Child(group, stage, self._birth_date(stage, group), first_name=first_name)
                children[institution_name, group_name, i] = child
        return children

    def _families(self, children):
        anna, mikkel, bo = self.users["anna"], self.users["mikkel"], self.users["bo"]
        children["emil"].family = _Family(
            "Jensen", [(anna, "mother", True, "da"), (mikkel, "father", False, "da")]
        )
        mother = self._user(self.names.adult(self.rng, female=True), "Nielsen")
        children["freja"].family = _Family(
            "Nielsen", [(bo, "father", True, "da"), (mother, "mother", True, "da")]
        )
        for younger, older in SIBLINGS:
            children[(*younger, 0)].family = children[(*older, 0)].family = self._family()
        for child in children.values():
            if child.family is None:
                child.family = self._family()

    def _family(self):
        rng, names = self.rng, self.names
        last_name = names.last_name(rng)
        language = "da" if rng.random() < 0.85 else rng.choice(OTHER_LANGUAGES)
        user_language = "en" if language == "en" else "da"
        family = _Family(last_name)
        two_parents = rng.random() < 0.85
        if two_parents or rng.random() < 0.7:
            mother_name = last_name if rng.random() < 0.7 else names.last_name(rng)
            mother = self._user(names.adult(rng, female=True), mother_name, language=user_language)
            family.guardians.append((mother, "mother", True, language))
        if two_parents or not family.guardians:
            father = self._user(names.adult(rng, female=False), last_name, language=user_language)
            family.guardians.append((father, "father", True, language))
        return family

    def _save_children(self, children):
        municipality_of = {group: group.institution.municipality for group in self.groups.values()}
        for child in children.values():
            municipality = municipality_of[child.group]
            child.obj = Child.objects.create(
                municipality=municipality,
                first_name=child.first_name,
                last_name=child.family.last_name,
                birth_date=child.birth_date,
                expected_on=child.expected_on,
            )
            for user, relation, has_custody, language in child.family.guardians:
                Guardianship.objects.create(
                    child=child.obj,
                    user=user,
                    relation=relation,
                    has_custody=has_custody,
                    preferred_language=language,
                    interpreter_wanted=language not in {"da", "en"},
                    started_on=child.birth_date or self.today - timedelta(days=60),
                )
            # One in ten children is cared for at home until kindergarten.
            home_care = child.stage != NURSERY and NURSERY not in child.history and self.rng.random() < 0.1
            after_school = AFTER_SCHOOL in child.history or self.rng.random() < 0.85
            phases = life_course(
                self.rng,
                birth_date=child.birth_date,
                today=self.today,
                daycare=not home_care,
                after_school=after_school,
            )
            for phase in phases:
                group = self._group_for(child, phase, municipality.code)
                if group is not None:
                    Enrollment.objects.create(
                        child=child.obj,
                        institution=group.institution,
                        group=group,
                        started_on=phase.started_on,
                        ended_on=phase.ended_on,
                    )

    def _group_for(self, child, phase, code):
        if phase.stage == child.stage and phase.ended_on is None:
            return child.group
        if phase.stage in child.history:
            return child.history[phase.stage]
        candidates = self.stage_groups.get((code, phase.stage), [])
        if not candidates:
            return None
        if phase.stage == AFTER_SCHOOL:  # 0.-1. klasse in Indskolingen, older children in Mellemgruppen
            current_small = phase.ended_on is None and grade_of(child.birth_date, self.today) <= 1
            return candidates[0] if current_small else candidates[-1]
        same_house = [g for g in candidates if g.institution_id == child.group.institution_id]
        if same_house and self.rng.random() < 0.8:  # most children stay in their integrated daycare
            return same_house[0]
        return self.rng.choice(candidates)

    def _goals(self, children):
        """The goals, each in its child's plan at the place, and every plan published once (as version 1)."""
        from children.models import LearningPlan, PlanVersion
        from children.services.plans import plan_for_place, plan_snapshot

        plans = {}
        for key, title, theme, status, description, home_activity in GOALS:
            child = children[key if isinstance(key, str) else (*key, 0)]
            plan = plan_for_place(child=child.obj, institution=child.group.institution)
            plans[plan.pk] = (plan, self.group_staff[child.group])
            LearningGoal.objects.create(
                child=child.obj,
                institution=child.group.institution,
                plan=plan,
                title=title,
                description=description,
                theme=theme,
                status=status,
                home_activity=home_activity,
                created_by=self.group_staff[child.group],
            )
        now = timezone.now()
        for plan, author in plans.values():
            if plan.published_number:
                continue
            PlanVersion.objects.create(
                plan=plan,
                number=1,
                published_by=author,
                published_by_name=author.get_full_name(),
                published_at=now,
                snapshot=plan_snapshot(plan),
            )
            LearningPlan.objects.filter(pk=plan.pk).update(published_number=1, published_at=now)

    def _support(self, children):
        from children.demo import seed_support

        mariehonen = self.groups[SOLSIKKEN, "Mariehønen"]
        seed_support(
            municipalities=self.municipalities.values(),
            emil=children["emil"].obj,
            institution=mariehonen.institution,
            author=self.group_staff[mariehonen],
            today=self.today,
        )

    def _canon(self):
        """The local canon in both municipalities; Emil's groups sing and read the classics."""
        from transitions.demo.canon import canon_seed, canon_uses_seed
        from transitions.models import CanonUse

        municipalities = list(self.municipalities.values())
        items = {(i.municipality_id, i.title): i for i in canon_seed(municipalities=municipalities)}
        aarhus = self.municipalities[AARHUS].pk
        chosen = {
            "Mariehønen": ("Mester Jakob", "Se min kjole", "Prinsessen på ærten", "Bro, bro, brille"),
            "Sommerfuglen": ("Mester Jakob", "Lille Peter Edderkop", "Ride, ride ranke"),
        }
        CanonUse.objects.bulk_create(
            CanonUse(
                group=self.groups[SOLSIKKEN, group],
                item=items[aarhus, title],
                since=date(self.today.year - 3, 8, 1),
                marked_by=self.group_staff.get(self.groups[SOLSIKKEN, group]),
            )
            for group, titles in chosen.items()
            for title in titles
        )
        canon_uses_seed(municipalities=municipalities, today=self.today)

    def _meetings(self, children):
        """Conversations to book in Mariehønen (Emil has no time yet, so Anna can book one), Freja's booked
        parent–teacher conference, a café parent meeting, and Emil's last conversation with its summary."""
        from portal.meetings.demo import seed_meetings

        seed_meetings(
            users=self.users,
            emil=children["emil"].obj,
            freja=children["freja"].obj,
            mariehonen=self.groups[SOLSIKKEN, "Mariehønen"],
            class_1a=self.groups[SKOVVANG, "1.A"],
            today=self.today,
            others={
                group: [c.obj for key, c in children.items() if isinstance(key, tuple) and c.group == group]
                for group in (self.groups[SOLSIKKEN, "Mariehønen"], self.groups[SKOVVANG, "1.A"])
            },
        )

    def _community(self, children):
        """In Mariehønen and 1.A, two families in three show their child's first name to the group (every
        custody holder said yes); Emil's and Freja's families have not answered, so their parents have the
        to-do."""
        from children.models import Guardianship
        from portal.community.models import NameSharing

        groups = {self.groups[SOLSIKKEN, "Mariehønen"], self.groups[SKOVVANG, "1.A"]}
        members = [c.obj for key, c in children.items() if c.group in groups and key not in ("emil", "freja")]
        showing = {child.pk for number, child in enumerate(members) if number % 3 != 2}
        NameSharing.objects.bulk_create(
            NameSharing(child_id=g.child_id, user_id=g.user_id, show_name=True)
            for g in Guardianship.objects.active().filter(child_id__in=showing, has_custody=True)
        )

    def _networks(self, children):
        """Sofie's parent network of the expecting and new families in Sundhedspleje Vest, with a
        meeting in two weeks."""
        from transitions.demo.networks import seed_small

        caseload = self.groups["Sundhedsplejen Aarhus", "Sundhedspleje Vest"]
        seed_small(
            sofie=self.users["sofie"],
            caseload=caseload,
            children=[c.obj for c in children.values() if c.group == caseload],
            today=self.today,
            meeting_day=next_workday(self.today + timedelta(days=14)),
        )
