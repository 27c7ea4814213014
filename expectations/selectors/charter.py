"""The reads the charter pages need, each in a fixed number of queries, and the diff between versions."""

import difflib
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch

from expectations.models import CharterItem, CharterVersion, InstitutionPrinciples, Side
from expectations.policies.charter import principles_institutions_visible_to, reader_municipalities
from portal.organisation.models import Institution

KIND_LABELS = dict(Institution.Kind.choices)


@dataclass
class SideItems:
    side: str
    label: str
    items: list


def _describe(item: CharterItem) -> None:
    """Readable labels for an item's institution kinds (stored as values in a JSON list)."""
    item.kind_labels = [KIND_LABELS.get(kind, kind) for kind in item.institution_kinds or []]


def sides_of(items) -> list[SideItems]:
    """The items grouped under the three sides, in the charter's order (empty sides included)."""
    grouped = {side: [] for side in Side.values}
    for item in sorted(items, key=lambda i: (i.position, i.pk)):
        _describe(item)
        grouped.setdefault(item.side, []).append(item)
    return [SideItems(side, label, grouped[side]) for side, label in Side.choices]


def _with_items():
    return Prefetch("items", queryset=CharterItem.objects.order_by("position", "pk"))


def charter_page(user) -> dict:
    """The charter in force of each municipality this person belongs to, and the principles they read."""
    versions = list(
        CharterVersion.objects.in_force()
        .filter(municipality__in=reader_municipalities(user).values("pk"))
        .select_related("municipality")
        .prefetch_related(_with_items())
        .order_by("municipality__name")
    )
    for version in versions:
        version.sides = sides_of(version.items.all())
    institutions = list(
        principles_institutions_visible_to(user)
        .filter(Exists(InstitutionPrinciples.objects.filter(institution=OuterRef("pk"))))
        .order_by("name")
    )
    earlier = list(
        CharterVersion.objects.filter(
            status=CharterVersion.Status.RETIRED, municipality__in=reader_municipalities(user).values("pk")
        )
        .select_related("municipality")
        .order_by("municipality__name", "-number")
    )
    return {"versions": versions, "principle_institutions": institutions, "earlier_versions": earlier}


def version_page(version: CharterVersion) -> dict:
    items = list(version.items.order_by("position", "pk"))
    others = list(
        CharterVersion.objects.filter(municipality_id=version.municipality_id)
        .exclude(pk=version.pk)
        .order_by("-number")
        .only("pk", "number", "title", "status")
    )
    return {"sides": sides_of(items), "item_count": len(items), "other_versions": others}


# --------------------------------------------------------------------------------------------------
# Diff
# --------------------------------------------------------------------------------------------------
@dataclass
class ItemChange:
    title: str
    old: CharterItem
    new: CharterItem
    words: list  # (op, text): op is "equal", "insert" or "delete"
    details_changed: bool  # age band or institution kinds


@dataclass
class SideDiff:
    side: str
    label: str
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    unchanged: int = 0

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The new text as runs of equal, deleted and inserted words (deletions before insertions)."""
    a, b = old.split(), new.split()
    runs = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            runs.append(("equal", " ".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            runs.append(("delete", " ".join(a[i1:i2])))
        if op in ("insert", "replace"):
            runs.append(("insert", " ".join(b[j1:j2])))
    return runs


def _key(item: CharterItem) -> tuple[str, str]:
    return item.side, " ".join(item.title.split()).casefold()


def _details(item: CharterItem) -> tuple:
    return item.age_from_months, item.age_to_months, sorted(item.institution_kinds or [])


def charter_diff(old_items, new_items) -> list[SideDiff]:
    """What changed from ``old_items`` to ``new_items``, per side; items are matched by side and heading."""
    old = {_key(i): i for i in sorted(old_items, key=lambda i: (i.position, i.pk))}
    new = {_key(i): i for i in sorted(new_items, key=lambda i: (i.position, i.pk))}
    sides = {side: SideDiff(side, label) for side, label in Side.choices}
    for key, item in new.items():
        _describe(item)
        before = old.get(key)
        if before is None:
            sides[item.side].added.append(item)
            continue
        _describe(before)
        text_changed = " ".join(before.text.split()) != " ".join(item.text.split())
        details_changed = _details(before) != _details(item)
        if text_changed or details_changed:
            sides[item.side].changed.append(
                ItemChange(item.title, before, item, word_diff(before.text, item.text), details_changed)
            )
        else:
            sides[item.side].unchanged += 1
    for key, item in old.items():
        if key not in new:
            _describe(item)
            sides[item.side].removed.append(item)
    return list(sides.values())


def diff_page(old: CharterVersion, new: CharterVersion) -> dict:
    items = list(CharterItem.objects.filter(version__in=[old.pk, new.pk]).order_by("position", "pk"))
    sides = charter_diff(
        [i for i in items if i.version_id == old.pk], [i for i in items if i.version_id == new.pk]
    )
    return {
        "sides": sides,
        "has_changes": any(s.has_changes for s in sides),
        "title_changed": old.title != new.title,
        "introduction_words": word_diff(old.introduction, new.introduction)
        if old.introduction != new.introduction
        else None,
    }


def principles_page(institution: Institution) -> dict:
    history = list(
        InstitutionPrinciples.objects.filter(institution=institution)
        .select_related("charter_version")
        .order_by("-adopted_on", "-pk")
    )
    return {"current": history[0] if history else None, "earlier": history[1:]}
