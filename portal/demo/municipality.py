"""An Aarhus-sized data set for benchmarks (``seed_demo --scale municipality``), plus two small neighbours.

About 50,000 children with 90,000 guardians, 6,000 staff, 260 institutions and 1,900 groups, with
enrollment histories (ended and current) and skew: families with four children, classes of 30, one
very large school and one health visiting service for the whole city. Favrskov and Odder are small
neighbours whose data must never show up in Aarhus. Rows are written in bulk (``portal.demo.bulk``);
bulk users have the unusable password ``!``: no password hashing and no way to sign in.
"""

import math
import random
from collections import defaultdict
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from children.models import Child, Enrollment, Guardianship
from children.services.competences import competence_framework_seed
from portal.demo import shape
from portal.demo.bulk import BulkWriter
from portal.demo.common import (
    AFTER_SCHOOL,
    EXPECTED_FIRST_NAME,
    HEALTH_VISITING,
    KINDERGARTEN,
    NURSERY,
    SCHOOL,
    YOUTH_GUIDANCE,
    NamePool,
    add_months,
    grade_of,
    life_course,
    random_date,
    school_year_start,
    slug,
    weighted,
)
from portal.organisation.models import (
    Group,
    Institution,
    MunicipalAdministrator,
    Municipality,
    StaffMembership,
)
from transitions.demo import seed_municipality

K = Institution.Kind
R = StaffMembership.Role


def seed(*, seed: int, children: int = shape.FULL_CHILDREN) -> dict[str, int] | None:
    """Load the data set in one transaction; None (and nothing written) if it is already there."""
    codes = {code for _, code, *_ in shape.MUNICIPALITIES}
    existing = set(Municipality.objects.filter(code__in=codes).values_list("code", flat=True))
    if existing == codes:
        return None
    if existing:
        raise CommandError(
            f"Municipalities {', '.join(sorted(existing))} exist already (the small demo?); "
            "the municipality scale needs a database without them."
        )
    writer = BulkWriter()
    seeded = []
    rng = random.Random(seed)
    names = NamePool(seed)
    with transaction.atomic():
        for name, code, domain, town, postcodes, share in shape.MUNICIPALITIES:
            n = children if share == 1 else max(20, round(children * share))
            municipality = Municipality.objects.create(name=name, code=code)
            competence_framework_seed(municipality=municipality)
            _MunicipalityData(writer, rng, names, municipality, domain, town, postcodes, n).build()
            seeded.append(municipality)
        writer.flush()
        counts = seed_municipality(source=writer, rng=rng, municipalities=seeded)
    writer.analyze()
    return writer.counts() | counts


class _MunicipalityData:
    def __init__(self, writer, rng, names, municipality, domain, town, postcodes, n_children):
        self.w, self.rng, self.names = writer, rng, names
        self.User = get_user_model()
        self.municipality, self.domain, self.town, self.postcodes = municipality, domain, town, postcodes
        self.n_children = n_children
        self.scale = n_children / shape.FULL_CHILDREN
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.institution_kind = {}  # institution id -> kind
        self.institution_groups = defaultdict(list)  # institution id -> [(group id, (stage, kind))]
        self.group_institution = {}  # group id -> institution id
        self.groups_by_key = defaultdict(list)  # (stage, kind) -> [group id]
        self.institution_names = set()

    def build(self):
        self._families()
        self._plan()
        self._daycare_and_services()
        self._schools()
        self._after_school()
        self._ended_enrollments()
        self._staff()
        self._administrators()

    # People -----------------------------------------------------------------------------------------
    def _user(self, first_name, last_name, *, language="da", phone=""):
        user_id = next(self.w.ids(self.User))
        email = f"{slug(first_name)}.{slug(last_name)}.{user_id}@{self.domain}.demo.test"
        self.w.rows(self.User).append(
            (
                user_id,
                UNUSABLE_PASSWORD_PREFIX,
                None,
                False,
                first_name,
                last_name,
                False,
                True,
                self.now,
                email,
                phone,
                language,
            )
        )
        return user_id

    def _families(self):
        """Children in families of one to four (the first family has four), with one to three adults."""
        rng, names, today = self.rng, self.names, self.today
        span = (today - date(school_year_start(today) - 15, 1, 1)).days  # the oldest are in 9. klasse
        self.children = []  # (child id, birth date or None)
        child_ids, child_rows = self.w.ids(Child), self.w.rows(Child)
        while len(self.children) < self.n_children:
            size = 4 if not self.children else weighted(rng, shape.FAMILY_SIZES)
            size = min(size, self.n_children - len(self.children))
            expected = rng.random() < 0.012  # the youngest is on the way
            age = rng.randint(0, max(0, span - 900 * (size - 1)))
            last_name = names.last_name(rng)
            family = []
            for i in range(size):
                if i:
                    age += rng.randint(450, 900)  # an older sibling
                child_id = next(child_ids)
                if i == 0 and expected:
                    birth, expected_on, first_name = None, today + timedelta(days=rng.randint(14, 200)), None
                else:
                    birth, expected_on, first_name = today - timedelta(days=age), None, names.child(rng)
                child_rows.append(
                    (
                        child_id,
                        self.municipality.pk,
                        first_name or EXPECTED_FIRST_NAME,
                        last_name,
                        birth,
                        expected_on,
                        self.now,
                        self.now,
                    )
                )
                family.append((child_id, birth))
            self.children.extend(family)
            self._guardians(family, last_name)

    def _guardians(self, family, last_name):
        rng, names, today = self.rng, self.names, self.today
        language = "da" if rng.random() < 0.9 else rng.choice(shape.OTHER_LANGUAGES)
        interpreter = language not in {"da", "en"} and rng.random() < 0.5
        user_language = "en" if language == "en" else "da"
        roll = rng.random()
        adults = []  # (user id, relation, has custody)
        if roll < 0.09:  # a single parent
            female = rng.random() < 0.7
            relation = "mother" if female else "father"
            adults.append((self._adult(female, last_name, user_language), relation, True))
        else:
            mother_name = last_name if rng.random() < 0.7 else names.last_name(rng)
            adults.append((self._adult(True, mother_name, user_language), "mother", True))
            # Some separated fathers do not hold custody but keep the right to information.
            adults.append((self._adult(False, last_name, user_language), "father", rng.random() > 0.08))
            if roll > 0.95:  # a new partner in the household
                partner = self._adult(rng.random() < 0.5, names.last_name(rng), user_language)
                adults.append((partner, "other", False))
        rows, ids = self.w.rows(Guardianship), self.w.ids(Guardianship)
        for child_id, birth in family:
            since = birth or today - timedelta(days=rng.randint(0, 120))
            for user_id, relation, custody in adults:
                started = since
                if relation == "other":  # the new partner joined the family later
                    started = max(since, today - timedelta(days=rng.randint(30, 2000)))
                withdrawn = not custody and relation == "father" and rng.random() < 0.03
                rows.append(
                    (
                        next(ids),
                        child_id,
                        user_id,
                        relation,
                        custody,
                        withdrawn,
                        language,
                        interpreter,
                        started,
                        None,
                    )
                )

    def _adult(self, female, last_name, language):
        phone = self.names.phone(self.rng) if self.rng.random() < 0.7 else ""
        first_name = self.names.adult(self.rng, female=female)
        return self._user(first_name, last_name, language=language, phone=phone)

    # Children's paths -------------------------------------------------------------------------------
    def _plan(self):
        """Each child's phases, as current ones per (stage, kind) and ended ones to place afterwards."""
        rng, today = self.rng, self.today
        self.current = defaultdict(list)  # (stage, kind) or (SCHOOL, grade) -> [(child id, started on)]
        self.ended = []  # (child id, (stage, kind), started on, ended on)
        self.after_school_current = []  # (child id, grade, started on)
        self.after_school_ended = []  # (child id, started on, ended on)
        for child_id, birth in self.children:
            phases = life_course(
                rng,
                birth_date=birth,
                today=today,
                daycare=rng.random() < 0.92,
                after_school=rng.random() < 0.88,
            )
            nursery_kind = weighted(rng, shape.PROVIDERS[NURSERY])
            kindergarten_kind = (
                K.INTEGRATED
                if nursery_kind == K.INTEGRATED and rng.random() < 0.75
                else weighted(rng, shape.PROVIDERS[KINDERGARTEN])
            )
            kind_of = {
                HEALTH_VISITING: K.HEALTH_VISITING,
                YOUTH_GUIDANCE: K.YOUTH_GUIDANCE,
                NURSERY: nursery_kind,
                KINDERGARTEN: kindergarten_kind,
            }
            for phase in phases:
                if phase.stage == AFTER_SCHOOL:
                    if phase.ended_on is None:
                        self.after_school_current.append((child_id, grade_of(birth, today), phase.started_on))
                    else:
                        self.after_school_ended.append((child_id, phase.started_on, phase.ended_on))
                    continue
                if phase.stage == SCHOOL:
                    key = (SCHOOL, grade_of(birth, today))
                else:
                    key = (phase.stage, kind_of[phase.stage])
                if phase.ended_on is None:
                    self.current[key].append((child_id, phase.started_on))
                else:
                    self.ended.append((child_id, key, phase.started_on, phase.ended_on))
            # About 3 % of children from two years old get help from educational psychology services.
            if birth and birth <= add_months(today, -24) and rng.random() < 0.03:
                started = random_date(rng, max(add_months(birth, 24), today - timedelta(days=700)), today)
                self.current[shape.PPR, K.PPR].append((child_id, started))

    # Organisation -----------------------------------------------------------------------------------
    def _institution(self, kind, name):
        base, n = name, 1
        while name in self.institution_names:
            n += 1
            name = f"{base} {n}"
        self.institution_names.add(name)
        institution_id = next(self.w.ids(Institution))
        street, number = self.rng.choice(self.names.streets), self.rng.randint(1, 120)
        address = f"{street} {number}, {self.rng.choice(self.postcodes)}"
        self.w.rows(Institution).append(
            (
                institution_id,
                self.municipality.pk,
                name,
                str(kind),
                address,
                "",
                f"{slug(name)}@{self.domain}.demo.test",
                True,
            )
        )
        self.institution_kind[institution_id] = kind
        return institution_id

    def _group(self, institution_id, key, name, school_year=None):
        group_id = next(self.w.ids(Group))
        self.w.rows(Group).append((group_id, institution_id, name, school_year))
        self.institution_groups[institution_id].append((group_id, key))
        self.group_institution[group_id] = institution_id
        self.groups_by_key[key].append(group_id)
        return group_id

    def _count(self, kind, groups):
        return max(1, min(groups, round(shape.INSTITUTIONS[kind] * self.scale)))

    def _enroll(self, members, group_ids, *, placed=None):
        """Current enrollments, spreading ``members`` evenly over ``group_ids``; ``placed`` notes where."""
        rows, ids = self.w.rows(Enrollment), self.w.ids(Enrollment)
        for i, (child_id, started) in enumerate(members):
            group_id = group_ids[i % len(group_ids)]
            institution_id = self.group_institution[group_id]
            rows.append((next(ids), child_id, institution_id, group_id, started, None))
            if placed is not None:
                placed[child_id] = institution_id

    def _daycare_and_services(self):
        rng = self.rng
        words = list(shape.DAYCARE_WORDS)
        rng.shuffle(words)
        prefixes = {K.NURSERY: "Vuggestuen", K.KINDERGARTEN: "Børnehaven", K.INTEGRATED: "Børnehuset"}
        services = {
            K.HEALTH_VISITING: (f"Sundhedsplejen {self.town}", "Distrikt"),
            K.YOUTH_GUIDANCE: (f"UU {self.town}", "Vejledergruppe"),
            K.PPR: (f"PPR {self.town}", "Team"),
        }
        for kind in (
            K.HEALTH_VISITING,
            K.YOUTH_GUIDANCE,
            K.PPR,
            K.CHILDMINDING,
            K.NURSERY,
            K.KINDERGARTEN,
            K.INTEGRATED,
        ):
            keys = [(stage, k) for stage, k in shape.GROUP_SIZE if k == kind]
            groups = {key: max(1, math.ceil(len(self.current[key]) / shape.GROUP_SIZE[key])) for key in keys}
            count = self._count(kind, sum(groups.values()))
            if kind in services:
                name, group_label = services[kind]
                institutions = [self._institution(kind, name)]
            elif kind == K.CHILDMINDING:
                institutions = [
                    self._institution(
                        kind, f"Dagplejen {self.town} {shape.DISTRICTS[i % len(shape.DISTRICTS)]}"
                    )
                    for i in range(count)
                ]
            else:
                start = len(self.institution_names)
                institutions = [
                    self._institution(kind, f"{prefixes[kind]} {words[(start + i) % len(words)]}")
                    for i in range(count)
                ]
            made = defaultdict(int)  # groups per institution so far, for their names
            for key, n_groups in groups.items():
                group_ids = []
                for j in range(n_groups):
                    institution_id = institutions[j % len(institutions)]
                    number = made[institution_id]
                    made[institution_id] += 1
                    if kind in services:
                        name = f"{group_label} {number + 1}"
                    else:
                        name = shape.GROUP_WORDS[number % len(shape.GROUP_WORDS)]
                        if number >= len(shape.GROUP_WORDS):
                            name = f"{name} {number // len(shape.GROUP_WORDS) + 1}"
                        name = f"Legestuen {name}" if kind == K.CHILDMINDING else name
                    group_ids.append(self._group(institution_id, key, name))
                self._enroll(self.current[key], group_ids)

    def _schools(self):
        """Schools with one very large one (classes of 30), the rest with one to three classes a year."""
        rng = self.rng
        stems = rng.sample(shape.SCHOOL_STEMS, len(shape.SCHOOL_STEMS))
        count = max(2, round(shape.INSTITUTIONS[K.SCHOOL] * self.scale))
        self.schools = [self._institution(K.SCHOOL, f"{stems[i % len(stems)]}skolen") for i in range(count)]
        self.school_stem = {school_id: stems[i % len(stems)] for i, school_id in enumerate(self.schools)}
        big, ordinary = self.schools[0], self.schools[1:]
        # Ordinary schools have one to three tracks; each year group's classes are spread evenly over
        # the tracks, so a school gets about as many classes a year as it has tracks.
        tracks = [school for school in ordinary for _ in range(rng.choice((1, 2, 2, 3)))]
        rng.shuffle(tracks)
        self.child_school = {}
        key = (SCHOOL, K.SCHOOL)
        for grade in range(10):
            pupils = self.current.get((SCHOOL, grade), [])
            in_big = min(
                len(pupils), round(shape.BIG_SCHOOL_SHARE * len(pupils) / shape.BIG_CLASS) * shape.BIG_CLASS
            )
            letters = defaultdict(int)

            def new_class(school_id, grade=grade, letters=letters):
                letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[letters[school_id]]
                letters[school_id] += 1
                return self._group(school_id, key, f"{grade}.{letter}", school_year=grade)

            for start in range(0, in_big, shape.BIG_CLASS):
                self._enroll(
                    pupils[start : start + shape.BIG_CLASS], [new_class(big)], placed=self.child_school
                )
            rest = pupils[in_big:]
            n_classes = max(1, math.ceil(len(rest) / shape.GROUP_SIZE[key]))
            classes = [new_class(tracks[j * len(tracks) // n_classes]) for j in range(n_classes)]
            self._enroll(rest, classes, placed=self.child_school)

    def _after_school(self):
        """One after-school care per school; a child goes to the one at their own school."""
        key = (AFTER_SCHOOL, K.AFTER_SCHOOL)
        by_place = defaultdict(list)  # (school, band) -> [(child id, started on)]
        for child_id, grade, started in self.after_school_current:
            by_place[self.child_school[child_id], min(grade, 3) // 2].append((child_id, started))
        self.after_school_groups = {}  # (school, band) -> [group id]
        for school_id in self.schools:
            institution_id = self._institution(K.AFTER_SCHOOL, f"SFO {self.school_stem[school_id]}")
            for band, label in enumerate(shape.AFTER_SCHOOL_BANDS):
                members = by_place[school_id, band]
                n_groups = max(1, math.ceil(len(members) / shape.GROUP_SIZE[key]))
                group_ids = [
                    self._group(institution_id, key, label if n_groups == 1 else f"{label} {j + 1}")
                    for j in range(n_groups)
                ]
                self.after_school_groups[school_id, band] = group_ids
                self._enroll(members, group_ids)

    def _ended_enrollments(self):
        rng, rows, ids = self.rng, self.w.rows(Enrollment), self.w.ids(Enrollment)
        for child_id, key, started, ended in self.ended:
            candidates = self.groups_by_key.get(key)
            if candidates:
                group_id = rng.choice(candidates)
                rows.append((next(ids), child_id, self.group_institution[group_id], group_id, started, ended))
        for child_id, started, ended in self.after_school_ended:
            group_id = self.after_school_groups[self.child_school[child_id], 1][0]
            rows.append((next(ids), child_id, self.group_institution[group_id], group_id, started, ended))

    # Staff ------------------------------------------------------------------------------------------
    def _staff(self):
        """A leader per institution, one caseworker per caseload and about 0.12 staff per child in all."""
        rng, today = self.rng, self.today
        caseloads = sum(
            len(groups)
            for i, groups in self.institution_groups.items()
            if self.institution_kind[i] in shape.CASELOAD_KINDS
        )
        weights = {
            i: sum(shape.STAFF_WEIGHT.get(key, 0) for _, key in groups)
            for i, groups in self.institution_groups.items()
        }
        target = round(shape.STAFF_PER_CHILD * self.n_children) - len(self.institution_kind) - caseloads
        factor = max(0, target) / (sum(weights.values()) or 1)
        by_kind = defaultdict(list)
        for institution_id, kind in self.institution_kind.items():
            by_kind[kind].append(institution_id)
        memberships, membership_ids = self.w.rows(StaffMembership), self.w.ids(StaffMembership)
        links, link_ids = (
            self.w.rows(StaffMembership.groups.through),
            self.w.ids(StaffMembership.groups.through),
        )
        for institution_id, kind in self.institution_kind.items():
            group_ids = [group_id for group_id, _ in self.institution_groups[institution_id]]
            if kind in shape.CASELOAD_KINDS:
                n_staff = len(group_ids)
            else:
                n_staff = max(1, round(weights.get(institution_id, 0) * factor))
            for k in range(-1, n_staff):  # -1 is the leader
                role = R.LEADER if k < 0 else shape.ROLE_OF_KIND[kind]
                user_id = self._adult(rng.random() < 0.75, self.names.last_name(rng), "da")
                started = random_date(rng, date(2005, 1, 1), today - timedelta(days=30))
                membership_id = next(membership_ids)
                memberships.append(
                    (
                        membership_id,
                        user_id,
                        institution_id,
                        str(role),
                        0 <= k < len(group_ids),  # the first in each group is its contact person
                        started,
                        None,
                    )
                )
                if k >= 0 and group_ids:
                    mine = {group_ids[k % len(group_ids)]}
                    if role == R.TEACHER:  # teachers teach two classes
                        mine.add(group_ids[(k + len(group_ids) // 2) % len(group_ids)])
                    links.extend((next(link_ids), membership_id, group_id) for group_id in sorted(mine))
                # One in twenty worked at another institution of the same kind before.
                others = by_kind[kind]
                if len(others) > 1 and rng.random() < 0.05:
                    before = rng.choice([other for other in others if other != institution_id])
                    earlier = random_date(rng, date(1998, 1, 1), started - timedelta(days=400))
                    memberships.append(
                        (
                            next(membership_ids),
                            user_id,
                            before,
                            str(role),
                            False,
                            earlier,
                            started - timedelta(days=1),
                        )
                    )

    def _administrators(self):
        rows, ids = self.w.rows(MunicipalAdministrator), self.w.ids(MunicipalAdministrator)
        for _ in range(max(1, round(4 * self.scale))):
            user_id = self._adult(self.rng.random() < 0.6, self.names.last_name(self.rng), "da")
            rows.append((next(ids), user_id, self.municipality.pk, self.now))
