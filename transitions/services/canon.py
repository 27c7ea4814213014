"""Every write to the local canon: the administrator's list, and the groups marking what they use.

Nothing here is a child's data, so nothing is in the access log; the families' and the receiving
place's readings are (in the views)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from transitions.models import CanonItem, CanonUse
from transitions.models.canon import link_validator, normalize_link

ITEM_FIELDS = ("kind", "title", "text", "link", "age_band")


def _clean(fields: dict) -> dict:
    """Trimmed text and a checked link, whoever calls (the form checks the same)."""
    cleaned = {**fields, "title": fields["title"].strip(), "text": fields["text"].strip()}
    cleaned["link"] = normalize_link(fields.get("link") or "")
    if not cleaned["title"]:
        raise ValidationError({"title": _("Write the title.")})
    if cleaned["link"]:
        link_validator(cleaned["link"])
    return cleaned


def _unique_title(save) -> CanonItem:
    try:
        with transaction.atomic():
            return save()
    except IntegrityError:
        raise ValidationError(
            {"title": _("The canon already has a song, story or rhyme of that kind with this title.")}
        ) from None


@transaction.atomic
def canon_item_create(*, municipality, kind, title, text, link, age_band, now=None) -> CanonItem:
    """A new item at the end of its kind in the municipality's list."""
    now = now or timezone.now()
    fields = _clean({"kind": kind, "title": title, "text": text, "link": link, "age_band": age_band})
    last = CanonItem.objects.filter(municipality=municipality, kind=kind).aggregate(last=Max("position"))
    return _unique_title(
        lambda: CanonItem.objects.create(
            municipality=municipality,
            position=(last["last"] or 0) + 1,
            created_at=now,
            updated_at=now,
            **fields,
        )
    )


@transaction.atomic
def canon_item_update(*, item: CanonItem, kind, title, text, link, age_band, position, now=None) -> CanonItem:
    """Change an item's words, link, age band or place; the groups using it keep it."""
    fields = _clean({"kind": kind, "title": title, "text": text, "link": link, "age_band": age_band})
    for name, value in {**fields, "position": position}.items():
        setattr(item, name, value)
    item.updated_at = now or timezone.now()

    def save():
        item.save(update_fields=[*ITEM_FIELDS, "position", "updated_at"])
        return item

    return _unique_title(save)


@transaction.atomic
def canon_item_retire(*, item: CanonItem, retired: bool, now=None) -> CanonItem:
    """Retire an item (kept for the groups and children who used it, offered to no group anew), or take
    it back into the list. Idempotent."""
    now = now or timezone.now()
    if retired == item.is_retired:
        return item
    item.retired_at = now if retired else None
    item.updated_at = now
    item.save(update_fields=["retired_at", "updated_at"])
    return item


@transaction.atomic
def canon_use_mark(*, group, item: CanonItem, user, since: date, today: date | None = None) -> CanonUse:
    """The group uses the item from ``since``: one row per group and item, locked while it changes.
    Marking again changes nothing, or corrects the date; a group that had stopped starts again and
    keeps its earliest date. A retired item is not marked anew."""
    today = today or timezone.localdate()
    if item.municipality_id != group.institution.municipality_id:
        raise ValidationError({"item": _("Choose a song, story or rhyme from the list.")})
    if since > today:
        raise ValidationError({"since": _("The date cannot be in the future.")})
    use = CanonUse.objects.select_for_update().filter(group=group, item=item).first()
    if (use is None or use.ended_on is not None) and item.is_retired:
        raise ValidationError(
            {"item": _("%(title)s is retired from the canon and cannot be marked.") % {"title": item.title}}
        )
    if use is None:
        try:
            with transaction.atomic():
                return CanonUse.objects.create(group=group, item=item, since=since, marked_by=user)
        except IntegrityError:  # marked at the same moment by someone else
            use = CanonUse.objects.select_for_update().get(group=group, item=item)
    if use.ended_on is None:
        if use.since != since:
            use.since = since
            use.save(update_fields=["since"])
        return use
    use.since, use.ended_on = min(use.since, since), None
    use.marked_by, use.marked_at = user, timezone.now()
    use.save(update_fields=["since", "ended_on", "marked_by", "marked_at"])
    return use


@transaction.atomic
def canon_use_unmark(*, group, item: CanonItem, today: date | None = None) -> None:
    """The group no longer uses the item. Kept, with today as the last day, for the children who were
    there; a mark from today (a mistake) is removed. Idempotent."""
    today = today or timezone.localdate()
    use = CanonUse.objects.select_for_update().filter(group=group, item=item).first()
    if use is None or use.ended_on is not None:
        return
    if use.since >= today:
        use.delete()
        return
    use.ended_on = today
    use.save(update_fields=["ended_on"])
