"""A parent who reads Arabic, in real Chromium on a phone: the pages read right to left (the mirrored
DKFDS and portal stylesheets, an Arabic font), say that no native speaker has reviewed them, and fit
320 px. Anna agrees to show Emil's first name, chooses a daily summary and quiet hours, and as contact
parent writes to the group; every page is checked with axe-core, the Nu checker, for console errors and
sideways scrolling."""

from datetime import time

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from portal.community.models import ContactParent, GroupMessage, NameSharing
from portal.notices.models import Preference
from tests.browser.test_journeys import check_page, log_in, url_of, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GREETING = "مرحبًا، هل نلتقي في الحديقة يوم السبت؟"
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


def arabic(text) -> str:
    with translation.override("ar"):
        return gettext(text)


# Where the main heading's text (not its full-width box) lies on the screen.
HEADING_TEXT = """() => {
    const range = document.createRange();
    range.selectNodeContents(document.querySelector("main h1"));
    const box = range.getBoundingClientRect();
    return [box.left, box.right, document.documentElement.clientWidth];
}"""


ARABIC_FONT_LOADED = """async () => {
    await document.fonts.ready;
    return [...document.fonts].some(f => f.family.includes("Noto Sans Arabic") && f.status === "loaded");
}"""


def assert_right_to_left(page) -> None:
    """The document reads right to left with the mirrored stylesheets, and the heading starts at the
    right edge of the screen."""
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    sheets = page.evaluate("[...document.styleSheets].map(s => s.href || '')")
    assert any("dkfds.rtl" in href for href in sheets) and any("portal.rtl" in href for href in sheets)
    left, right, width = page.evaluate(HEADING_TEXT)
    assert width - right < left, f"the heading's text runs {left}–{right} of {width}px: not from the right"
    assert page.evaluate(ARABIC_FONT_LOADED), "the vendored Arabic font did not load"


def test_an_arabic_reading_parent_decides_on_the_name_chooses_a_summary_and_writes_to_the_group(
    live_cast, live_server, new_context
):
    cast = live_cast
    cast.anna.language = "ar"
    cast.anna.save(update_fields=["language"])
    ContactParent.objects.create(
        group=cast.mariehonen,
        user=cast.anna,
        child=cast.emil,
        status="appointed",
        appointed_at=timezone.now(),
    )
    context = new_context(**PHONE)
    anna = watch(context.new_page())
    log_in(anna, live_server, cast.anna, mfa=False)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ar", "url": live_server.url}])

    anna.goto(live_server.url + reverse("community:group_names", args=[cast.emil.pk]))
    check_page(anna)
    assert_right_to_left(anna)
    main = anna.locator("main")
    expect(main).to_contain_text(arabic("The children in the group"))
    expect(main).to_contain_text(
        arabic(
            "This page was translated without review by a native speaker. If something is unclear, ask the "
            "staff, or choose Danish or English in the language menu."
        )
    )
    anna.get_by_label(arabic("Yes, when everyone in our family with custody has said yes")).check()
    anna.get_by_role("button", name=arabic("Save my answer")).click()
    expect(anna).to_have_url(url_of(live_server, "community:group_names", cast.emil.pk))
    check_page(anna)
    expect(main).to_contain_text(arabic("Thank you. Your answer is saved."))
    assert NameSharing.objects.get(child=cast.emil, user=cast.anna).show_name is True

    anna.get_by_role("link", name=arabic("Write to the group's parents")).click()
    check_page(anna)
    assert_right_to_left(anna)
    anna.get_by_label(arabic("Your message to the group's parents")).fill(
        "مرحبًا، هل نلتقي في الحديقة يوم السبت؟"
    )
    anna.get_by_role("button", name=arabic("Send to the staff")).click()
    expect(anna).to_have_url(url_of(live_server, "community:group_names", cast.emil.pk))
    check_page(anna)
    assert GroupMessage.objects.get(author=cast.anna).body == GREETING

    anna.goto(live_server.url + reverse("notices:preferences"))
    check_page(anna)
    assert_right_to_left(anna)
    plans = anna.get_by_role("group", name=arabic("Plans, goals and assessments"))
    plans.get_by_label(arabic("E-mail")).select_option("digest")
    anna.get_by_label(arabic("The daily summary comes at")).select_option("18")
    anna.get_by_label(arabic("Hold e-mails and text messages at night")).check()
    anna.get_by_label(arabic("Quiet from")).select_option("21")
    anna.get_by_label(arabic("Quiet until")).select_option("7")
    anna.get_by_role("button", name=arabic("Save"), exact=True).click()
    expect(
        anna.get_by_text(arabic("Saved. This is what we tell you, and when, from now on."))
    ).to_be_visible()
    check_page(anna)
    cast.anna.refresh_from_db()
    assert (cast.anna.digest_hour, cast.anna.quiet_from, cast.anna.quiet_until) == (18, time(21), time(7))
    assert (
        not Preference.objects.filter(user=cast.anna, topic="plans", channel="email")
        .exclude(mode="digest")
        .exists()
    )


def test_staff_read_danish_whatever_their_browser_asks_for(live_cast, live_server, new_context):
    cast = live_cast
    context = new_context(**PHONE)
    carla = watch(context.new_page())
    log_in(carla, live_server, cast.carla, mfa=True)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ar", "url": live_server.url}])
    carla.goto(live_server.url + reverse("children:staff_home"))
    check_page(carla)
    assert carla.evaluate("document.documentElement.lang") == "da"
    assert carla.evaluate("document.documentElement.dir") == "ltr"
