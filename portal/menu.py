"""The main menu: which items each role gets, in order. Rendered on every page (twice: the header and
the mobile drawer), so it is written with ``portal.rows`` rather than an include per item."""

from functools import lru_cache

from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from portal.rows import one, rows

# (role that sees it, URL name, label); "any" is everyone signed in with a role but a pupil's login.
ITEMS = [
    ("pupil", "children:pupil_home", _("My plan")),
    ("guardian", "children:parent_home", _("My children")),
    ("guardian", "meetings:my_meetings", _("Meetings")),
    ("guardian", "expectations:survey_list", _("Tell us how it goes")),
    ("staff", "children:staff_home", _("My groups")),
    ("staff", "meetings:staff_meetings", _("Meetings")),
    ("staff", "expectations:agreement_list", _("Agreements with families")),
    ("staff", "children:activity_list", _("Ideas for home")),
    ("leader", "expectations:institution_review_list", _("Answer the review")),
    ("administrator", "organisation:admin_home", _("Municipality")),
    ("administrator", "expectations:charter_version_list", _("Charter")),
    ("administrator", "children:competence_list", _("Shared competences")),
    ("administrator", "expectations:review_round_list", _("Policy reviews")),
    ("administrator", "roster:import_list", _("Import the roster")),
    ("administrator", "accounts:invitation_list", _("Invitations")),
    ("administrator", "organisation:audit_search", _("Access log")),
    ("administrator", "api_clients:client_list", _("API keys")),
    ("administrator", "privacy:retention", _("Data retention")),
    ("any", "expectations:charter", _("Shared responsibility")),
]
MESSAGES = ("meetings:notifications", _("Messages"))


@lru_cache(maxsize=64)
def _url(name: str, prefix: str) -> str:
    """The item's address, or '' when the URL is not installed (the item is then left out)."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def is_under(path: str, prefix: str) -> bool:
    """True when ``path`` is ``prefix`` or below it, for marking the current menu item."""
    return bool(prefix) and (path == prefix or (prefix != "/" and str(path).startswith(prefix)))


def _item(path: str, url: str, label, extra_class: str = "") -> tuple:
    here = is_under(path, url)
    classes = " ".join(
        c for c in ("active" if here else "", "current" if path == url else "", extra_class) if c
    )
    current = ' aria-current="page"' if path == url else ' aria-current="true"' if here else ""
    return (one(' class="{}"', classes) if classes else one(""), url, one(current), label)


def main_menu(path: str, roles) -> SafeString:
    """The menu items for the person's roles, the current one marked, and their messages last."""
    prefix = get_script_prefix()
    has = {
        "pupil": roles.pupil,
        "guardian": roles.guardian,
        "staff": roles.staff,
        "leader": roles.staff and roles.leader,
        "administrator": roles.administrator,
        "any": roles.guardian or roles.staff or roles.administrator,
    }
    items = [
        _item(path, url, label) for role, name, label in ITEMS if has[role] and (url := _url(name, prefix))
    ]
    # A pupil's login has no inbox: the pupil's own page is all of theirs.
    if not roles.pupil and (url := _url(MESSAGES[0], prefix)):
        items.append(_item(path, url, MESSAGES[1], "portal-nav-account"))
    return rows('<li{}><a href="{}" class="nav-link"{}><span>{}</span></a></li>', items)
