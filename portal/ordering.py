"""Manual ordering of small lists (charter items, reflection questions) by a ``position`` field."""

from django.db.models import QuerySet


def move_in_order(rows: QuerySet, pk: int, *, up: bool) -> bool:
    """Swap row ``pk`` with its neighbour in ``rows`` (locked, ordered by position); False at either end.

    The list is renumbered 0, 1, 2 … on the way, so gaps and copied positions heal themselves. Call it
    inside a transaction.
    """
    siblings = list(rows.select_for_update().order_by("position", "pk"))
    index = next(i for i, row in enumerate(siblings) if row.pk == pk)
    other = index - 1 if up else index + 1
    moved = 0 <= other < len(siblings)
    if moved:
        siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, row in enumerate(siblings):
        row.position = position
    rows.model.objects.bulk_update(siblings, ["position"])
    return moved
