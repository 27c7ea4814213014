"""The child's timeline in real Chromium: Anna reads Emil's on her phone from his page, goes further back
and narrows it to a period to print; Carla, his pedagogue, reads it too. Every page is checked with
axe-core, the Nu checker, for console errors, CSP violations and sideways scrolling at 320 px."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from children.models import Enrollment, PlanVersion
from portal.meetings.models import Meeting
from tests import factories as f
from tests.browser.test_journeys import check_page, danish, log_in, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


def test_a_parent_and_a_pedagogue_read_the_timeline_page_by_page(live_cast, live_server, new_context):
    cast = live_cast
    today = timezone.localdate()
    goal = f.LearningGoalFactory(
        child=cast.emil, institution=cast.solsikken, title="Bruger ord, når det er svært"
    )
    version = f.publish_plan(goal.plan)
    PlanVersion.objects.filter(pk=version.pk).update(note="Første plan for Emil")
    for days in range(1, 30):  # a long history: places and conversations, more than a page
        day = today - datetime.timedelta(days=days * 20)
        Enrollment.objects.create(child=cast.emil, institution=cast.solsikken, started_on=day, ended_on=day)
        at = timezone.now() - datetime.timedelta(days=days * 20 + 3)
        Meeting.objects.create(
            kind="daycare_conversation",
            institution=cast.solsikken,
            child=cast.emil,
            starts_at=at,
            ends_at=at + datetime.timedelta(minutes=30),
            title=f"Samtale nr. {days}",
        )

    anna = watch(new_context(**PHONE).new_page())
    log_in(anna, live_server, cast.anna, mfa=False)
    anna.goto(live_server.url + reverse("children:child_detail", args=[cast.emil.pk]))
    anna.get_by_role(
        "link", name=danish("%(name)s's timeline: everything from pregnancy on") % {"name": "Emil"}
    ).click()
    check_page(anna)
    main = anna.locator("main")
    expect(main).to_contain_text("Første plan for Emil")
    expect(main).to_contain_text("Bruger ord, når det er svært")
    anna.get_by_role("link", name=danish("Further back")).click()
    check_page(anna)
    expect(main).to_contain_text("Samtale nr. 2")
    day = today - datetime.timedelta(days=100)
    anna.locator("#id_since").fill(day.isoformat())
    anna.locator("#id_until").fill(today.isoformat())
    anna.get_by_role("button", name=danish("Show")).click()
    check_page(anna)
    expect(main).not_to_contain_text("Samtale nr. 6")
    anna.emulate_media(media="print")
    expect(anna.locator("main form")).to_be_hidden()
    anna.emulate_media(media="screen")
    anna.locator("#id_since").fill(today.isoformat())
    anna.locator("#id_until").fill(day.isoformat())
    anna.get_by_role("button", name=danish("Show")).click()
    check_page(anna)
    expect(main).to_contain_text(danish("The end of the period must be on or after its start."))

    carla = watch(new_context(**PHONE).new_page())
    log_in(carla, live_server, cast.carla, mfa=True)
    carla.goto(live_server.url + reverse("children:child_timeline", args=[cast.emil.pk]))
    check_page(carla)
    expect(carla.locator("main")).to_contain_text("Bruger ord, når det er svært")
