"""The notification centre in real Chromium on a phone: Anna goes from her messages to what we tell her
and when, chooses the daily summary for learning plans, her own hour for it and later quiet hours,
and sees her choices kept. Every page is checked with axe-core, the Nu checker, for console errors
and sideways scrolling at 320 px."""

from datetime import time

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from portal.notices.models import Preference
from tests.browser.test_journeys import check_page, danish, log_in, url_of, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


def test_a_parent_chooses_a_daily_summary_and_quiet_hours(live_cast, live_server, new_context):
    cast = live_cast
    anna = watch(new_context(**PHONE).new_page())
    log_in(anna, live_server, cast.anna, mfa=False)
    anna.goto(live_server.url + reverse("meetings:notifications"))
    anna.get_by_role("link", name=danish("Choose what we tell you and when")).click()
    expect(anna).to_have_url(url_of(live_server, "notices:preferences"))
    check_page(anna)

    plans = anna.get_by_role("group", name=danish("Plans, goals and assessments"))
    plans.get_by_label(danish("E-mail")).select_option("instant")
    plans.get_by_label(danish("Text message")).select_option("off")
    anna.get_by_label(danish("The daily summary comes at")).select_option("7")
    anna.get_by_label(danish("Hold e-mails and text messages at night")).check()
    anna.get_by_label(danish("Quiet from")).select_option("21")
    anna.get_by_label(danish("Quiet until")).select_option("6")
    anna.get_by_role("button", name=danish("Save")).click()
    saved = danish("Saved. This is what we tell you, and when, from now on.")
    expect(anna.get_by_text(saved)).to_be_visible()
    check_page(anna)

    assert set(Preference.objects.filter(user=cast.anna).values_list("topic", "channel", "mode")) == {
        ("plans", "email", "instant")
    }
    cast.anna.refresh_from_db()
    assert (cast.anna.digest_hour, cast.anna.quiet_from, cast.anna.quiet_until) == (7, time(21), time(6))
    expect(anna.get_by_label(danish("The daily summary comes at"))).to_have_value("7")
