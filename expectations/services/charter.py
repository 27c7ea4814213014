"""Every write to the municipal charter and to institution principles.

Each function runs in one transaction and locks the row(s) it changes, so two administrators acting at
once cannot, say, edit a draft while it is being approved or put two versions in force (the database
constraint ``charterversion_one_in_force`` backs the latter).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from expectations.models import CharterItem, CharterVersion, InstitutionPrinciples
from portal.ordering import move_in_order

ITEM_FIELDS = ("side", "title", "text", "age_from_months", "age_to_months", "institution_kinds")

NOT_A_DRAFT = _(
    "This version is no longer a draft, so it cannot be changed. Create a new draft to make changes."
)


def _locked_draft(version: CharterVersion) -> CharterVersion:
    """The version, locked for update; a ValidationError unless it is (still) a draft."""
    locked = CharterVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != CharterVersion.Status.DRAFT:
        raise ValidationError(NOT_A_DRAFT, code="not_draft")
    return locked


@transaction.atomic
def charter_version_create(
    *, municipality, user, title: str, introduction: str = "", copy_in_force: bool = False
) -> CharterVersion:
    """A new draft with the next number; optionally a copy of the items of the version in force."""
    versions = list(
        CharterVersion.objects.select_for_update().filter(municipality=municipality).only("pk", "number")
    )
    number = max((v.number for v in versions), default=0) + 1
    version = CharterVersion.objects.create(
        municipality=municipality, number=number, title=title, introduction=introduction, created_by=user
    )
    if copy_in_force:
        source = CharterVersion.objects.in_force().filter(municipality=municipality).first()
        if source is not None:
            CharterItem.objects.bulk_create(
                CharterItem(
                    version=version,
                    position=item.position,
                    **{field: getattr(item, field) for field in ITEM_FIELDS},
                )
                for item in source.items.all()
            )
    return version


@transaction.atomic
def charter_version_update(*, version: CharterVersion, title: str, introduction: str) -> CharterVersion:
    """Change a draft's title and introduction; refused unless the version is a draft."""
    version = _locked_draft(version)
    version.title = title
    version.introduction = introduction
    version.save(update_fields=["title", "introduction", "updated_at"])
    return version


def _check_age_band(age_from_months, age_to_months):
    if age_from_months is not None and age_to_months is not None and age_to_months < age_from_months:
        raise ValidationError(
            {"age_to_months": _("The upper age must be the same as or above the lower age.")},
            code="age_band",
        )


@transaction.atomic
def charter_item_create(
    *,
    version: CharterVersion,
    side: str,
    title: str,
    text: str,
    age_from_months: int | None = None,
    age_to_months: int | None = None,
    institution_kinds: list[str] | None = None,
) -> CharterItem:
    """Add an item at the end of its side of a draft."""
    version = _locked_draft(version)
    _check_age_band(age_from_months, age_to_months)
    last = version.items.filter(side=side).aggregate(m=Max("position"))["m"]
    return CharterItem.objects.create(
        version=version,
        side=side,
        title=title,
        text=text,
        age_from_months=age_from_months,
        age_to_months=age_to_months,
        institution_kinds=list(institution_kinds or []),
        position=0 if last is None else last + 1,
    )


@transaction.atomic
def charter_item_update(*, item: CharterItem, **data) -> CharterItem:
    """Change an item of a draft; an item moved to another side goes to the end of that side."""
    _locked_draft(item.version)
    _check_age_band(data.get("age_from_months"), data.get("age_to_months"))
    item = CharterItem.objects.select_for_update().get(pk=item.pk)
    new_side = data.get("side", item.side)
    if new_side != item.side:
        last = CharterItem.objects.filter(version_id=item.version_id, side=new_side).aggregate(
            m=Max("position")
        )["m"]
        item.position = 0 if last is None else last + 1
    for field in ITEM_FIELDS:
        if field in data:
            value = data[field]
            setattr(item, field, list(value or []) if field == "institution_kinds" else value)
    item.save(update_fields=[*ITEM_FIELDS, "position"])
    return item


@transaction.atomic
def charter_item_delete(*, item: CharterItem) -> None:
    """Remove an item from a draft."""
    _locked_draft(item.version)
    CharterItem.objects.filter(pk=item.pk).delete()


@transaction.atomic
def charter_item_move(*, item: CharterItem, up: bool) -> bool:
    """Swap the item with its neighbour within its side; False if it is already first (or last).

    The side is renumbered 0, 1, 2 … on the way, so positions copied or left with gaps heal themselves.
    """
    _locked_draft(item.version)
    return move_in_order(
        CharterItem.objects.filter(version_id=item.version_id, side=item.side), item.pk, up=up
    )


@transaction.atomic
def charter_version_approve(
    *, version: CharterVersion, approved_on: datetime.date | None, approved_by_body: str
) -> CharterVersion:
    """Record the political approval of a draft: the date and the approving body are both required."""
    version = _locked_draft(version)
    errors = {}
    body = (approved_by_body or "").strip()
    if approved_on is None:
        errors["approved_on"] = _("Enter the date the version was approved.")
    elif approved_on > timezone.localdate():
        errors["approved_on"] = _("The approval date cannot be in the future.")
    if not body:
        errors["approved_by_body"] = _(
            "Enter who approved the version, e.g. the children and youth committee."
        )
    if not version.items.exists():
        errors["__all__"] = _("Add at least one item before the version is approved.")
    if errors:
        raise ValidationError(errors, code="approve")
    version.status = CharterVersion.Status.APPROVED
    version.approved_on = approved_on
    version.approved_by_body = body
    version.save(update_fields=["status", "approved_on", "approved_by_body", "updated_at"])
    return version


@transaction.atomic
def charter_version_put_in_force(
    *, version: CharterVersion, in_force_from: datetime.date | None
) -> CharterVersion:
    """Put an approved version in force and retire the version in force before it, in one transaction.

    All of the municipality's versions are locked first, so two administrators cannot race; the partial
    unique constraint ``charterversion_one_in_force`` is the last line of defence.
    """
    versions = {
        v.pk: v
        for v in CharterVersion.objects.select_for_update().filter(municipality_id=version.municipality_id)
    }
    version = versions[version.pk]
    if version.status != CharterVersion.Status.APPROVED:
        raise ValidationError(_("Only an approved version can be put in force."), code="not_approved")
    if in_force_from is None:
        raise ValidationError({"in_force_from": _("Enter the date the version applies from.")}, code="date")
    if in_force_from < version.approved_on:
        raise ValidationError(
            {"in_force_from": _("A version cannot apply from before it was approved.")}, code="date"
        )
    if in_force_from > timezone.localdate():
        # The status changes now, so the date may not promise a later start (scheduling is not built).
        raise ValidationError(
            {"in_force_from": _("The date cannot be in the future. Put the version in force on the day.")},
            code="date",
        )
    for previous in versions.values():
        if previous.status == CharterVersion.Status.IN_FORCE:
            previous.status = CharterVersion.Status.RETIRED
            previous.save(update_fields=["status", "updated_at"])
    version.status = CharterVersion.Status.IN_FORCE
    version.in_force_from = in_force_from
    version.save(update_fields=["status", "in_force_from", "updated_at"])
    return version


@transaction.atomic
def institution_principles_adopt(
    *, institution, user, text: str, adopted_on: datetime.date | None, adopted_by: str
) -> InstitutionPrinciples:
    """Record a board's newly adopted principles as a new row (the history is kept), linked to the
    municipality's charter version in force at the time."""
    errors = {}
    if not (text or "").strip():
        errors["text"] = _("Write the principles.")
    if adopted_on is None:
        errors["adopted_on"] = _("Enter the date the principles were adopted.")
    elif adopted_on > timezone.localdate():
        errors["adopted_on"] = _("The adoption date cannot be in the future.")
    if not (adopted_by or "").strip():
        errors["adopted_by"] = _("Enter who adopted the principles, e.g. the school board.")
    if errors:
        raise ValidationError(errors, code="principles")
    return InstitutionPrinciples.objects.create(
        institution=institution,
        charter_version=CharterVersion.objects.in_force()
        .filter(municipality_id=institution.municipality_id)
        .first(),
        text=text.strip(),
        adopted_on=adopted_on,
        adopted_by=adopted_by.strip(),
        created_by=user,
    )
