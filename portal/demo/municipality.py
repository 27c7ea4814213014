"""An Aarhus-sized data set for benchmarks (``seed_demo --scale municipality``), plus two small neighbours.

About 50,000 children with 90,000 guardians, 6,000 staff, 260 institutions and 1,900 groups, with
enrollment histories (ended and current) and skew: families with four children, classes of 30, one
very large school and one health visiting service for the whole city. Favrskov and Odder are small
neighbours whose data must never show up in Aarhus.

Rows are generated in memory with explicit ids and written with PostgreSQL ``COPY`` (psycopg 3), then
the id sequences are moved past them. Other databases get ``bulk_create``, which is fine for tests.
Bulk users have the unusable password ``!``: there is no password hashing and no way to sign in.
"""

import itertools
import json
import math
import random
from collections import defaultdict
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import JSONField, Max
from django.utils import timezone

from children.models import Child, Enrollment, Guardianship
from children.services.competences import competence_framework_seed
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
)
from portal.organisation.models import (
    Group,
    Institution,
    MunicipalAdministrator,
    Municipality,
    StaffMembership,
)
from transitions.demo.canon import canon_seed, canon_uses_seed

FULL_CHILDREN = 50_000
PPR = "ppr"

# (name, code, e-mail domain, town, post codes, children as a share of --children)
MUNICIPALITIES = (
    ("Aarhus Kommune", "751", "aarhus", "Aarhus",
     ("8000 Aarhus C", "8200 Aarhus N", "8210 Aarhus V", "8220 Brabrand", "8230 Åbyhøj", "8240 Risskov",
      "8250 Egå", "8260 Viby J", "8270 Højbjerg", "8381 Tilst", "8520 Lystrup"), 1.0),
    ("Favrskov Kommune", "710", "favrskov", "Favrskov",
     ("8370 Hadsten", "8382 Hinnerup", "8450 Hammel"), 0.02),
    ("Odder Kommune", "727", "odder", "Odder", ("8300 Odder",), 0.015),
)  # fmt: skip

K = Institution.Kind
R = StaffMembership.Role
# Institutions of each kind for FULL_CHILDREN children, scaled with the data set (and one after-school
# care per school): 1 + 1 + 1 + 8 + 20 + 35 + 90 + 2 * 52 = 260 in Aarhus.
INSTITUTIONS = {
    K.HEALTH_VISITING: 1, K.YOUTH_GUIDANCE: 1, K.PPR: 1, K.CHILDMINDING: 8, K.NURSERY: 20,
    K.KINDERGARTEN: 35, K.INTEGRATED: 90, K.SCHOOL: 52,
}  # fmt: skip
# Where a child in daycare goes, by stage: (kind, share).
PROVIDERS = {
    NURSERY: ((K.CHILDMINDING, 0.25), (K.NURSERY, 0.20), (K.INTEGRATED, 0.55)),
    KINDERGARTEN: ((K.KINDERGARTEN, 0.35), (K.INTEGRATED, 0.65)),
}
# Children per group, by (stage, kind of institution); and how many staff a group needs, relatively.
GROUP_SIZE = {
    (HEALTH_VISITING, K.HEALTH_VISITING): 150, (NURSERY, K.CHILDMINDING): 20, (NURSERY, K.NURSERY): 15,
    (NURSERY, K.INTEGRATED): 15, (KINDERGARTEN, K.KINDERGARTEN): 26, (KINDERGARTEN, K.INTEGRATED): 26,
    (SCHOOL, K.SCHOOL): 28, (AFTER_SCHOOL, K.AFTER_SCHOOL): 200, (YOUTH_GUIDANCE, K.YOUTH_GUIDANCE): 240,
    (PPR, K.PPR): 80,
}  # fmt: skip
STAFF_WEIGHT = {
    (NURSERY, K.CHILDMINDING): 5.0, (NURSERY, K.NURSERY): 3.5, (NURSERY, K.INTEGRATED): 3.5,
    (KINDERGARTEN, K.KINDERGARTEN): 2.5, (KINDERGARTEN, K.INTEGRATED): 2.5, (SCHOOL, K.SCHOOL): 2.2,
    (AFTER_SCHOOL, K.AFTER_SCHOOL): 6.0,
}  # fmt: skip
CASELOAD_KINDS = {
    K.HEALTH_VISITING: R.HEALTH_VISITOR,
    K.YOUTH_GUIDANCE: R.UU_COUNSELLOR,
    K.PPR: R.PPR_CONSULTANT,
}
ROLE_OF_KIND = {
    **CASELOAD_KINDS, K.CHILDMINDING: R.CHILDMINDER, K.NURSERY: R.PEDAGOGUE, K.KINDERGARTEN: R.PEDAGOGUE,
    K.INTEGRATED: R.PEDAGOGUE, K.SCHOOL: R.TEACHER, K.AFTER_SCHOOL: R.PEDAGOGUE,
}  # fmt: skip
STAFF_PER_CHILD = 0.12
BIG_SCHOOL_SHARE, BIG_CLASS = 0.05, 30  # the very large school: 5 % of each year group in classes of 30
FAMILY_SIZES = ((1, 0.93), (2, 0.05), (3, 0.015), (4, 0.005))
OTHER_LANGUAGES = ("en", "ar", "so", "tr", "pl", "uk", "ur")

DAYCARE_WORDS = (
    "Solsikken", "Mælkebøtten", "Regnbuen", "Troldehøjen", "Skovbrynet", "Kløverengen", "Æblehaven", "Spiren",
    "Krudtuglen", "Myretuen", "Lærkereden", "Stjernen", "Bikuben", "Havblik", "Engblommen", "Pilehuset",
    "Egetræet", "Valmuen", "Kastanjen", "Tusindfryd", "Rosenhaven", "Birkelunden", "Bøgely", "Ahornet",
    "Lindehuset", "Vibereden", "Svalen", "Uglereden", "Nøddebo", "Hasselhuset", "Muldvarpen", "Skovmusen",
    "Blåbærret", "Hyldebusken", "Stubben", "Kirsebærhaven", "Fyrtårnet", "Molevitten", "Pusletten", "Globen",
)  # fmt: skip
GROUP_WORDS = (
    "Mariehønen", "Sommerfuglen", "Græshoppen", "Bierne", "Egernene", "Frøerne", "Pindsvinene", "Ræveungerne",
    "Uglerne", "Bjørnene", "Myrerne", "Sneglene", "Humlebierne", "Guldsmeden", "Spurvene", "Musene",
)  # fmt: skip
SCHOOL_STEMS = [
    a + b
    for a in ("Skov", "Eng", "Bakke", "Sø", "Vester", "Øster", "Nord", "Syd", "Rosen", "Linde", "Bøge", "Ege",
              "Mølle", "Kirke", "Lyng", "Strand", "Hede", "Birke")
    for b in ("vang", "dal", "gård", "bjerg", "høj", "lund", "bakke")
]  # fmt: skip
DISTRICTS = ("Nord", "Syd", "Øst", "Vest", "Midt", "Nordvest", "Sydvest", "Nordøst", "Sydøst")
AFTER_SCHOOL_BANDS = ("0.–1. klasse", "2.–3. klasse")

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


def seed(*, seed: int, children: int = FULL_CHILDREN) -> dict[str, int] | None:
    """Load the data set in one transaction; None (and nothing written) if it is already there."""
    codes = {code for _, code, *_ in MUNICIPALITIES}
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
        for name, code, domain, town, postcodes, share in MUNICIPALITIES:
            n = children if share == 1 else max(20, round(children * share))
            municipality = Municipality.objects.create(name=name, code=code)
            competence_framework_seed(municipality=municipality)
            _MunicipalityData(writer, rng, names, municipality, domain, town, postcodes, n).build()
            seeded.append(municipality)
        writer.flush()
        canon_seed(municipalities=seeded)
        canon_uses = canon_uses_seed(municipalities=seeded, today=timezone.localdate())
        networks = _networks(writer, rng)
    writer.analyze()
    networks.analyze()
    return {**writer.counts(), "transitions_canonuse": canon_uses} | networks.counts()


def _networks(source, rng) -> "BulkWriter":
    """The health visitors' parent networks, written after the families they are made of."""
    from transitions.demo import networks as demo
    from transitions.models import Network, NetworkMember, NetworkNameChoice

    target = BulkWriter(
        tables=[(Network, demo.NETWORK), (NetworkMember, demo.MEMBER), (NetworkNameChoice, demo.CHOICE)]
    )
    demo.seed_bulk(source=source, target=target, rng=rng, today=timezone.localdate(), now=timezone.now())
    target.flush()
    return target


def _weighted(rng, choices):
    return rng.choices([c for c, _ in choices], [w for _, w in choices])[0]


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


class _MunicipalityData:
    def __init__(self, writer, rng, names, municipality, domain, town, postcodes, n_children):
        self.w, self.rng, self.names = writer, rng, names
        self.User = get_user_model()
        self.municipality, self.domain, self.town, self.postcodes = municipality, domain, town, postcodes
        self.n_children = n_children
        self.scale = n_children / FULL_CHILDREN
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
            size = 4 if not self.children else _weighted(rng, FAMILY_SIZES)
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
        language = "da" if rng.random() < 0.9 else rng.choice(OTHER_LANGUAGES)
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
            nursery_kind = _weighted(rng, PROVIDERS[NURSERY])
            kindergarten_kind = (
                K.INTEGRATED
                if nursery_kind == K.INTEGRATED and rng.random() < 0.75
                else _weighted(rng, PROVIDERS[KINDERGARTEN])
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
                self.current[PPR, K.PPR].append((child_id, started))

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
        return max(1, min(groups, round(INSTITUTIONS[kind] * self.scale)))

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
        words = list(DAYCARE_WORDS)
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
            keys = [(stage, k) for stage, k in GROUP_SIZE if k == kind]
            groups = {key: max(1, math.ceil(len(self.current[key]) / GROUP_SIZE[key])) for key in keys}
            count = self._count(kind, sum(groups.values()))
            if kind in services:
                name, group_label = services[kind]
                institutions = [self._institution(kind, name)]
            elif kind == K.CHILDMINDING:
                institutions = [
                    self._institution(kind, f"Dagplejen {self.town} {DISTRICTS[i % len(DISTRICTS)]}")
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
                        name = GROUP_WORDS[number % len(GROUP_WORDS)]
                        if number >= len(GROUP_WORDS):
                            name = f"{name} {number // len(GROUP_WORDS) + 1}"
                        name = f"Legestuen {name}" if kind == K.CHILDMINDING else name
                    group_ids.append(self._group(institution_id, key, name))
                self._enroll(self.current[key], group_ids)

    def _schools(self):
        """Schools with one very large one (classes of 30), the rest with one to three classes a year."""
        rng = self.rng
        stems = rng.sample(SCHOOL_STEMS, len(SCHOOL_STEMS))
        count = max(2, round(INSTITUTIONS[K.SCHOOL] * self.scale))
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
            in_big = min(len(pupils), round(BIG_SCHOOL_SHARE * len(pupils) / BIG_CLASS) * BIG_CLASS)
            letters = defaultdict(int)

            def new_class(school_id, grade=grade, letters=letters):
                letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[letters[school_id]]
                letters[school_id] += 1
                return self._group(school_id, key, f"{grade}.{letter}", school_year=grade)

            for start in range(0, in_big, BIG_CLASS):
                self._enroll(pupils[start : start + BIG_CLASS], [new_class(big)], placed=self.child_school)
            rest = pupils[in_big:]
            n_classes = max(1, math.ceil(len(rest) / GROUP_SIZE[key]))
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
            for band, label in enumerate(AFTER_SCHOOL_BANDS):
                members = by_place[school_id, band]
                n_groups = max(1, math.ceil(len(members) / GROUP_SIZE[key]))
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
            if self.institution_kind[i] in CASELOAD_KINDS
        )
        weights = {
            i: sum(STAFF_WEIGHT.get(key, 0) for _, key in groups)
            for i, groups in self.institution_groups.items()
        }
        target = round(STAFF_PER_CHILD * self.n_children) - len(self.institution_kind) - caseloads
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
            if kind in CASELOAD_KINDS:
                n_staff = len(group_ids)
            else:
                n_staff = max(1, round(weights.get(institution_id, 0) * factor))
            for k in range(-1, n_staff):  # -1 is the leader
                role = R.LEADER if k < 0 else ROLE_OF_KIND[kind]
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
