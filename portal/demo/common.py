"""Shared pieces of the demo data: calendar arithmetic, a child's path through the services, names."""

import random
import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from faker import Faker

# Names common among Danish children born since 2010; Faker's da_DK lists hold older names.
GIRLS = (
    "Ida", "Freja", "Clara", "Ella", "Alma", "Agnes", "Emma", "Sofia", "Karla", "Olivia", "Nora", "Asta",
    "Luna", "Ellie", "Lea", "Anna", "Laura", "Josefine", "Mathilde", "Maja", "Isabella", "Sofie", "Liva",
    "Esther", "Lærke", "Frida", "Vigga", "Marie", "Alberte", "Aya", "Emilie", "Hannah", "Filippa", "Merle",
)  # fmt: skip
BOYS = (
    "William", "Noah", "Oscar", "Lucas", "Carl", "Alfred", "Malthe", "Emil", "Valdemar", "Aksel", "Arthur",
    "Oliver", "Elias", "August", "Viggo", "Magnus", "Felix", "Theo", "Anton", "Frederik", "Villads", "Otto",
    "Victor", "Storm", "Johan", "Alexander", "Adam", "Mohammad", "Bertram", "Karl", "Milas", "Liam", "Ivan",
)  # fmt: skip

# A child not yet born has no name; this is what parents and staff see until it has one.
EXPECTED_FIRST_NAME = "Baby"

_TRANSLIT = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u", "ö": "o", "ä": "a"})


def slug(text: str) -> str:
    """Lower-case ASCII for e-mail addresses: "Søren Ærø" -> "soerenaeroe"."""
    return re.sub(r"[^a-z0-9]+", "", text.lower().translate(_TRANSLIT))


def add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def random_date(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def school_year_start(today: date) -> int:
    """The calendar year the current school year began in (school years start on 1 August)."""
    return today.year if today.month >= 8 else today.year - 1


def grade_of(birth_date: date, today: date) -> int:
    """The class a child born on ``birth_date`` is in: 0 for 0. klasse, negative before school."""
    return school_year_start(today) - birth_date.year - 6


@dataclass(frozen=True, slots=True)
class Phase:
    """One stretch of a child's path: the kind of service and its dates (``ended_on`` None = current)."""

    stage: str
    started_on: date
    ended_on: date | None


def easter(year: int) -> date:
    """Easter Sunday (the Gregorian computus of Meeus, Jones and Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def closed_days(year: int) -> set[date]:
    """Days a Danish school or daycare holds no meetings: the public holidays (Store bededag until
    2023), Constitution Day, and Christmas Eve to New Year's Day."""
    sunday = easter(year)
    days = {sunday + timedelta(days=n) for n in (-3, -2, 0, 1, 39, 49, 50)}
    if year <= 2023:
        days.add(sunday + timedelta(days=26))  # Store bededag
    days |= {date(year, 6, 5), date(year, 1, 1)}
    days |= {date(year, 12, d) for d in range(24, 32)}
    return days


def is_workday(day: date) -> bool:
    return day.weekday() < 5 and day not in closed_days(day.year)


def next_workday(day: date) -> date:
    """``day`` itself if it is a weekday outside the holidays, otherwise the first one after it."""
    while not is_workday(day):
        day += timedelta(days=1)
    return day


HEALTH_VISITING = "health_visiting"
NURSERY = "nursery"
KINDERGARTEN = "kindergarten"
SCHOOL = "school"
AFTER_SCHOOL = "after_school"
YOUTH_GUIDANCE = "youth_guidance"


def life_course(
    rng: random.Random,
    *,
    birth_date: date | None,
    today: date,
    daycare: bool = True,
    after_school: bool = True,
) -> list[Phase]:
    """The services a child has met up to ``today``, oldest first.

    Health visiting during pregnancy and the first year, then nursery or childminding from about
    11 months (unless ``daycare`` is False), kindergarten from 2 years 11 months, school from
    1 August of the year the child turns six, after-school care until 3. klasse and youth education
    guidance from 8. klasse. Phases that end on or after ``today`` are current.
    """
    if birth_date is None:
        return [Phase(HEALTH_VISITING, today - timedelta(days=rng.randint(20, 150)), None)]
    phases = []

    def add(stage, started_on, ended_on):
        if started_on <= today:
            phases.append(Phase(stage, started_on, ended_on if ended_on < today else None))

    kindergarten_from = add_months(birth_date, 35)
    school_from = date(birth_date.year + 6, 8, 1)
    add(HEALTH_VISITING, birth_date, birth_date + timedelta(days=365))
    if daycare:
        add(
            NURSERY, birth_date + timedelta(days=rng.randint(300, 420)), kindergarten_from - timedelta(days=1)
        )
    add(KINDERGARTEN, kindergarten_from, school_from - timedelta(days=1))
    add(SCHOOL, school_from, date(birth_date.year + 16, 6, 30))
    if after_school:
        add(AFTER_SCHOOL, school_from, date(birth_date.year + 10, 7, 31))
    add(YOUTH_GUIDANCE, date(birth_date.year + 14, 8, 1), date(birth_date.year + 18, 6, 30))
    return phases


class NamePool:
    """Danish names drawn once from a seeded Faker('da_DK'), then picked with a seeded ``random``.

    Drawing a pool first keeps a 100,000-person data set fast; the pools keep Faker's weighting.
    """

    def __init__(self, seed: int, size: int = 1500):
        fake = Faker("da_DK")
        fake.seed_instance(seed)
        self.women = [fake.first_name_female() for _ in range(size)]
        self.men = [fake.first_name_male() for _ in range(size)]
        self.last_names = [fake.last_name() for _ in range(size)]
        self.streets = [fake.street_name() for _ in range(size // 5)]

    def child(self, rng: random.Random) -> str:
        return rng.choice(GIRLS if rng.random() < 0.5 else BOYS)

    def adult(self, rng: random.Random, *, female: bool) -> str:
        return rng.choice(self.women if female else self.men)

    def last_name(self, rng: random.Random) -> str:
        return rng.choice(self.last_names)

    def phone(self, rng: random.Random) -> str:
        number = str(rng.randint(20_000_000, 61_999_999))
        return f"+45 {number[:2]} {number[2:4]} {number[4:6]} {number[6:]}"


def weighted(rng, choices):
    """One of ``choices`` ((value, weight), …), drawn by weight."""
    return rng.choices([c for c, _ in choices], [w for _, w in choices])[0]
