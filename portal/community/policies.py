"""Who may see a group's names: the child's own guardians with the right to information (any other
person gets 404). Custody holders decide what is shown of their child."""

from django.http import Http404

from children.models import Child, Guardianship
from children.policies import get_child_for_user_or_404, informed_guardianship


def get_family_child_or_404(user, pk) -> tuple[Child, Guardianship]:
    """The child and the user's guardianship of them, if the user is an informed guardian; else 404
    (staff too: they know the group's children already)."""
    child = get_child_for_user_or_404(user, pk)
    guardianship = informed_guardianship(user, child)
    if guardianship is None:
        raise Http404
    return child, guardianship
