"""The main menu: each role's items in order, the current page marked for screen readers too, the
messages last; written in Python (``portal.menu``), so these tests hold its markup."""

import re
from dataclasses import replace

import pytest
from django.urls import reverse
from django.utils import translation

from portal.access import Roles
from portal.menu import main_menu

NOBODY = Roles(guardian=False, staff=False, leader=False, administrator=False, operator=False)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _labels(html):
    return re.findall(r"<span>([^<]+)</span>", html)


def test_each_role_sees_its_items_and_everyone_their_messages():
    parent = main_menu("/", replace(NOBODY, guardian=True))
    assert _labels(parent) == [
        "My children",
        "Meetings",
        "Tell us how it goes",
        "Shared responsibility",
        "Messages",
    ]
    leader = main_menu("/", replace(NOBODY, staff=True, leader=True))
    assert "Answer the review" in _labels(leader) and "Municipality" not in _labels(leader)
    teacher = main_menu("/", replace(NOBODY, staff=True))
    assert "Answer the review" not in _labels(teacher)
    admin = main_menu("/", replace(NOBODY, administrator=True))
    assert _labels(admin)[:9] == [
        "Municipality",
        "Charter",
        "Shared competences",
        "Policy reviews",
        "Import the roster",
        "Invitations",
        "Access log",
        "API keys",
        "Data retention",
    ]
    assert _labels(main_menu("/", NOBODY)) == ["Messages"]


def test_the_current_page_and_its_section_are_marked():
    roles = replace(NOBODY, staff=True)
    meetings = reverse("meetings:staff_meetings")
    html = main_menu(meetings, roles)
    assert f'<li class="active current"><a href="{meetings}" class="nav-link" aria-current="page">' in html
    below = main_menu(meetings + "periods/new/", roles)
    assert f'<li class="active"><a href="{meetings}" class="nav-link" aria-current="true">' in below
    assert html.count('aria-current="page"') == 1
    messages = reverse("meetings:notifications")
    assert f'<li class="portal-nav-account"><a href="{messages}" class="nav-link">' in html


@pytest.mark.django_db
def test_the_menu_is_on_every_signed_in_page_twice(client, cast, login):
    login(client, cast.anna)
    page = client.get(reverse("children:parent_home")).content.decode()
    assert page.count(f'href="{reverse("children:parent_home")}" class="nav-link" aria-current="page"') == 2
