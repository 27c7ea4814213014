"""The pages with tables on the narrowest phone (320 px), with the long names, addresses and roles real
data has: nothing scrolls sideways. Tables stack their rows, each cell labelled by its column. Every
page is checked with axe-core (WCAG 2.0/2.1 A and AA), for console errors and CSP violations; like every
page the browser tests load, it is also shown again at 320 px and checked by the Nu HTML checker.

The cast are signed in with a session made on the server (tests/conftest.py), not through the login
form: the journeys test that, and these tests are about the pages.
"""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from expectations.models import CharterVersion
from expectations.services.reviews import review_round_create, review_round_open
from portal.accounts.models import Invitation
from portal.audit.models import AccessEvent
from portal.organisation.models import StaffMembership
from portal.privacy.models import ErasureRecord
from tests import factories as f
from tests.browser.test_journeys import HORIZONTAL_OVERFLOW, check_page, watch
from tests.conftest import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROWEST = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def wide_data(live_cast):
    """The cast, with what makes tables wide: long names, e-mail addresses, IPv6 addresses, dates."""
    cast = live_cast
    long_name = f.InstitutionFactory(
        municipality=cast.aarhus, name="Dagtilbud Hasle-Åby-Hjortshøj, Børnehuset Troldehøjen"
    )
    f.GroupFactory(institution=long_name, name="Sommerfuglene")
    for actor, role in ((cast.carla, "pædagog, Børnehuset Solsikken"), (cast.erik, "kommunal administrator")):
        AccessEvent.objects.create(
            actor=actor,
            actor_name=actor.get_full_name(),
            actor_role=role,
            child=cast.emil,
            municipality=cast.aarhus,
            action=AccessEvent.Action.VIEW,
            subject="learning plan",
            ip="2001:db8:85a3:8d3:1319:8a2e:370:7348",
        )
    Invitation.objects.create(
        kind=Invitation.Kind.STAFF,
        municipality=cast.aarhus,
        invited_by=cast.erik,
        email="marie-louise.oestergaard-christiansen@boernehusetsolsikken.aarhus.dk",
        first_name="Marie-Louise",
        last_name="Østergaard-Christiansen",
        institution=cast.solsikken,
        role=StaffMembership.Role.PEDAGOGUE,
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )
    today = timezone.localdate()
    CharterVersion.objects.create(
        municipality=cast.aarhus,
        number=1,
        title="Fælles ansvar for børns trivsel, læring og udvikling",
        introduction="Sådan arbejder forældre og personale sammen i Aarhus.",
        status=CharterVersion.Status.IN_FORCE,
        approved_on=today - datetime.timedelta(days=30),
        approved_by_body="Børn og Unge-udvalget",
        in_force_from=today - datetime.timedelta(days=1),
    )
    review = review_round_create(
        municipality=cast.aarhus,
        title="Opfølgning på forældresamarbejdspolitikken 2026",
        period_start=today - datetime.timedelta(days=365),
        period_end=today,
        answers_due_on=today + datetime.timedelta(days=30),
        created_by=cast.erik,
    )
    cast.review = review_round_open(review_round=review)
    ErasureRecord.objects.create(
        municipality=cast.aarhus, reason="retention", kind="meetings", rows={"meetings.Meeting": 3}, files=2
    )
    return cast


def _signed_in(new_context, live_server, user, *, mfa: bool) -> Page:
    client = _log_in(Client(), user, mfa=mfa)
    context = new_context(**NARROWEST)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    return watch(context.new_page())


def _pages(cast, who):
    return {
        "anna": [
            ("children:child_detail", cast.emil.pk),
            ("children:access_log", cast.emil.pk),
            ("accessibility_statement",),
            ("notices:preferences",),
            ("community:photo", cast.emil.pk),
            ("community:play_date_create", cast.emil.pk, cast.mariehonen.pk),
            ("community:parent_friend", cast.emil.pk, cast.mariehonen.pk),
        ],
        "carla": [
            ("children:staff_home",),
            ("children:group_detail", cast.mariehonen.pk),
            ("community:staff_message_create", cast.mariehonen.pk),
        ],
        "lene": [("expectations:institution_review_list",), ("children:staff_home",)],
        "erik": [
            ("organisation:admin_home",),
            ("organisation:institution_list",),
            ("organisation:institution_detail", cast.solsikken.pk),
            ("organisation:audit_search",),
            ("accounts:invitation_list",),
            ("expectations:charter_version_list",),
            ("expectations:review_round_list",),
            ("expectations:review_round_detail", cast.review.pk),
            ("api_clients:client_list",),
            ("privacy:retention",),
            ("roster:import_list",),
            ("roster:import_example",),
        ],
    }[who]


@pytest.mark.parametrize("who", ["anna", "carla", "lene", "erik"])
def test_pages_with_tables_fit_the_narrowest_phone(wide_data, live_server, new_context, who):
    cast = wide_data
    page = _signed_in(new_context, live_server, getattr(cast, who), mfa=who != "anna")
    for name, *args in _pages(cast, who):
        response = page.goto(live_server.url + reverse(name, args=args))
        assert response and response.status == 200, f"{name}: {response and response.status}"
        check_page(page)
        overflow = page.evaluate(HORIZONTAL_OVERFLOW)
        assert overflow <= 0, f"{page.url} is {overflow}px wider than a 320 px screen"
        # Stacked rows label each value with its column, so nothing is lost with the header row.
        for table in page.locator("main table.table--responsive-headers").all():
            expect(table.locator("thead")).to_be_hidden()
            cells = table.locator("tbody td:not([colspan]):not([data-title=''])")
            titles = cells.evaluate_all("cells => cells.map(c => c.getAttribute('data-title'))")
            assert all(titles), f"{page.url}: a cell without a label in a stacked table"


def test_the_access_log_pages_back_and_forth_on_the_narrowest_phone(wide_data, live_server, new_context):
    cast = wide_data
    AccessEvent.objects.bulk_create(
        AccessEvent(
            actor_name="Carla Hansen",
            child=cast.freja if i % 2 else cast.emil,
            municipality=cast.aarhus,
            action=AccessEvent.Action.LIST,
            subject="group",
        )
        for i in range(120)
    )
    about_emil = AccessEvent.objects.filter(child=cast.emil).count()
    assert 50 < about_emil < 100
    page = _signed_in(new_context, live_server, cast.erik, mfa=True)
    page.goto(live_server.url + reverse("organisation:audit_search"))
    page.get_by_label("Barnets navn").fill("Emil")
    page.get_by_role("button", name="Søg").click()
    check_page(page)
    more = page.get_by_role("navigation", name="Flere adgangshændelser")
    more.get_by_role("link", name="Ældre").click()
    check_page(page)
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(about_emil - 50)
    expect(rows.filter(has_text="Freja")).to_have_count(0)
    expect(more.get_by_role("link", name="Ældre")).to_have_count(0)
    more.get_by_role("link", name="Nyere").click()
    check_page(page)
    expect(rows).to_have_count(50)
    assert "child=Emil" in page.url
