"""A visit in real Chromium: Carla plans a visit to Skovvangskolen for Emil and the classmate moving with
him from the handover page, on her phone; Anna finds it on Emil's handover page and opens her meeting.
Every page is checked with axe-core, the Nu checker, for console errors, CSP violations and sideways
scrolling at 320 px."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from portal.meetings.models import Meeting
from tests import factories as f
from tests.browser.test_journeys import check_page, danish, log_in, url_of, watch
from transitions import services
from transitions.models import Transition, Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


def _move(cast, child):
    request = RequestFactory().post("/")
    request.user = cast.carla
    return services.transition_create(
        request=request,
        child=child,
        enrollment=child.enrollments.get(institution=cast.solsikken),
        kind=Transition.Kind.DAYCARE_TO_SCHOOL,
        receiving_institution=cast.school,
        planned_on=timezone.localdate() + timedelta(days=60),
    )


def test_a_visit_is_planned_for_the_cohort_and_the_family_finds_it(live_cast, live_server, new_context):
    cast = live_cast
    alma = f.ChildFactory(municipality=cast.aarhus, first_name="Alma", last_name="Krogh")
    f.EnrollmentFactory(child=alma, group=cast.mariehonen)
    emil = _move(cast, cast.emil)
    _move(cast, alma)

    carla = watch(new_context(**PHONE).new_page())
    log_in(carla, live_server, cast.carla, mfa=True)
    carla.goto(live_server.url + reverse("transitions:handover_detail", args=[emil.handover.pk]))
    check_page(carla)
    carla.get_by_role(
        "link", name=danish("Plan a visit for everyone moving with %(name)s") % {"name": "Emil"}
    ).click()
    check_page(carla)
    carla.get_by_label(danish(Visit.Kind.FAMILY_VISIT.label)).check()
    carla.locator("#id_day").fill((timezone.localdate() + timedelta(days=20)).isoformat())
    carla.locator("#id_location").fill("Skovvangskolen, indgang B")
    carla.locator("#id_description").fill("Vi ser klassen og leger i skolegården.")
    carla.locator("main form[method=post] [type=submit]").click()
    visit = Visit.objects.get()
    expect(carla).to_have_url(url_of(live_server, "transitions:visit_detail", visit.pk))
    check_page(carla)
    expect(carla.locator("main")).to_contain_text("Alma Krogh")
    assert Meeting.objects.filter(visit_invitation__visit=visit).count() == 2

    anna = watch(new_context(**PHONE).new_page())
    log_in(anna, live_server, cast.anna, mfa=False)
    anna.goto(live_server.url + reverse("transitions:handover_detail", args=[emil.handover.pk]))
    check_page(anna)
    anna.get_by_role("link", name=danish(Visit.Kind.FAMILY_VISIT.label)).click()
    meeting = Meeting.objects.get(child=cast.emil)
    expect(anna).to_have_url(url_of(live_server, "meetings:meeting_detail", meeting.pk))
    check_page(anna)
    expect(anna.locator("main")).to_contain_text("Skovvangskolen, indgang B")
    expect(anna.locator("main")).not_to_contain_text("Alma")
