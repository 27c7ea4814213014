"""Staff plan conversations in real Chromium: Carla creates a round for Mariehønen, publishes it, watches
the grid, assigns Emil a time, and records the meeting afterwards. Every page is checked with axe-core,
for console errors and CSP violations."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from portal.meetings.models import BookingPeriod, Meeting
from tests.browser.test_journeys import check_page, danish, log_in, url_of, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def _weekday(day):
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def test_carla_plans_a_round_of_conversations_and_assigns_a_time(live_cast, live_server, new_context):
    cast = live_cast
    page = watch(new_context(**DESKTOP).new_page())
    log_in(page, live_server, cast.carla, mfa=True)
    page.goto(live_server.url + reverse("meetings:staff_meetings"))
    check_page(page)

    page.goto(live_server.url + reverse("meetings:period_create"))
    check_page(page)
    first = _weekday(timezone.localdate() + timedelta(days=14))
    form = page.locator("main form")
    form.locator("#id_group").select_option(str(cast.mariehonen.pk))
    form.locator("#id_kind").select_option("daycare_conversation")
    form.locator("#id_title").fill("Forældresamtaler i Mariehønen")
    form.locator("#id_first_day").fill(first.isoformat())
    form.locator("#id_last_day").fill(first.isoformat())
    form.locator("#id_start").fill("14:00")
    form.locator("#id_end").fill("15:00")
    form.locator("#id_slot_minutes").fill("20")
    form.locator("#id_location").fill("Stuen")
    form.locator("#id_booking_deadline").fill((first - timedelta(days=3)).isoformat())
    form.locator("button[type=submit]").first.click()

    period = BookingPeriod.objects.get(group=cast.mariehonen)
    assert period.slots.count() == 3
    expect(page).to_have_url(url_of(live_server, "meetings:period_detail", period.pk))
    check_page(page)

    page.get_by_role("button", name=danish("Publish the times")).first.click()
    expect(page).to_have_url(url_of(live_server, "meetings:period_detail", period.pk))
    period.refresh_from_db()
    assert period.published_at is not None
    check_page(page)

    # Emil has not booked: Carla gives him the first time.
    assign = page.locator(f"form[action='{reverse('meetings:slot_assign', args=[period.pk])}']").last
    assign.locator("select[name=child]").select_option(str(cast.emil.pk))
    first_slot = period.slots.order_by("starts_at").first()
    assign.locator("select[name=slot]").select_option(str(first_slot.pk))
    assign.locator("button[type=submit]").click()
    meeting = Meeting.objects.get(child=cast.emil)
    assert meeting.slot == first_slot
    check_page(page)

    page.goto(live_server.url + reverse("meetings:staff_meeting_detail", args=[meeting.pk]))
    expect(page.locator("main h1")).to_contain_text("Emil")
    check_page(page)

    page.goto(live_server.url + reverse("meetings:group_meeting_create"))
    check_page(page)
