"""Booking a conversation on a phone in real Chromium: Anna logs in, opens Meetings from the menu,
books a time for Emil in a few taps and sees it under her meetings, in Danish and in English. Every
page is checked with axe-core (WCAG 2.0/2.1 A and AA), for console errors and CSP violations, and for
horizontal scrolling on a 390 px wide screen, with the helpers of test_journeys.py."""

from datetime import time

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from portal.accounts.models import hash_token
from portal.meetings.models import CalendarFeed, Meeting, MeetingResponse, Notification
from portal.meetings.services import booking
from tests.browser.test_journeys import (
    HORIZONTAL_OVERFLOW,
    PASSWORD,
    PHONE,
    check_page,
    danish,
    log_in,
    url_of,
    watch,
)
from tests.meetings.conftest import make_period, plan_parent_meeting, req

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(new_context) -> Page:
    return watch(new_context(**PHONE).new_page())


def _fits(page: Page) -> None:
    overflow = page.evaluate(HORIZONTAL_OVERFLOW)
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the phone"


def _check(page: Page) -> None:
    check_page(page)
    _fits(page)


def test_anna_books_a_time_for_emil_on_her_phone(live_cast, live_server, phone):
    cast = live_cast
    period = make_period(
        user=cast.carla,
        group=cast.mariehonen,
        kind="daycare_conversation",
        title="Forældresamtaler i Mariehønen",
        location="Stuen",
        agenda="Hvordan har Emil det med de andre børn?",
        prepare_with="learning_plan",
        start=time(14, 0),
        end=time(16, 0),
    )
    page = phone
    log_in(page, live_server, cast.anna, mfa=False)
    expect(page).to_have_url(url_of(live_server, "children:parent_home"))
    check_page(page)

    # Tap 1–2: the menu, then Meetings.
    page.get_by_role("button", name=danish("Menu")).click()
    page.locator("#mobile-menu").get_by_role("link", name=danish("Meetings")).click()
    expect(page).to_have_url(url_of(live_server, "meetings:my_meetings"))
    _check(page)

    # Tap 3: the big button for Emil's conversation.
    book = danish("Book a time for %(name)s's conversation") % {"name": "Emil"}
    book_link = page.locator(f"main a[href^='{reverse('meetings:period_book', args=[period.pk])}']")
    expect(book_link).to_have_text(book)
    box = book_link.bounding_box()
    assert box and box["height"] >= 44, "the booking button is too small to tap"
    book_link.click()
    expect(page).to_have_url(url_of(live_server, "meetings:period_book", period.pk))
    expect(page.locator("main h1")).to_have_text(book)
    _check(page)

    # Tap 4–5: a time (one fieldset per day), then "Book".
    slot = period.slots.order_by("starts_at")[2]
    day = page.locator("main fieldset fieldset")
    expect(day).to_have_count(1)
    local = timezone.localtime(slot.starts_at)
    label = page.locator(f"label[for='id_slot_{slot.pk}']")
    expect(label).to_contain_text(local.strftime("%H:%M"))
    label.click()
    expect(page.locator(f"#id_slot_{slot.pk}")).to_be_checked()
    page.locator("main form").get_by_role("button", name=danish("Book"), exact=True).click()

    meeting = Meeting.objects.get(child=cast.emil)
    assert (meeting.slot, meeting.booked_by) == (slot, cast.anna)
    expect(page).to_have_url(url_of(live_server, "meetings:meeting_detail", meeting.pk))
    booked = danish("The time is booked. You and %(name)s's other parents get a confirmation.") % {
        "name": "Emil"
    }
    expect(page.locator("#messages")).to_contain_text(booked)
    expect(page.locator("main")).to_contain_text(period.agenda)
    prepare = page.locator(f"main a[href='{reverse('children:child_detail', args=[cast.emil.pk])}']")
    expect(prepare).to_have_count(1)
    _check(page)

    # The booking is on "my meetings", and the period no longer asks to be booked.
    page.locator("main nav").get_by_role("link", name=danish("Meetings")).click()
    expect(page).to_have_url(url_of(live_server, "meetings:my_meetings"))
    card = page.locator(f"#meeting-{meeting.pk}")
    expect(card).to_contain_text(local.strftime("%H:%M"))
    expect(book_link).to_have_count(0)
    _check(page)

    # The same pages in English, chosen in the account menu under her name.
    page.locator(".js-menu-open").click()
    menu = page.locator(".mobile-drawer .portal-account-menu")
    menu.locator("summary").click()
    menu.locator("#account-menu-mobile-language").select_option("en")
    menu.locator(".portal-language-form button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_have_text("Meetings")
    expect(page.get_by_role("heading", name="Coming up")).to_be_visible()
    _check(page)
    page.locator(f"#meeting-{meeting.pk} h4 a").click()
    expect(page).to_have_url(url_of(live_server, "meetings:meeting_detail", meeting.pk))
    expect(page.get_by_role("heading", name="Your questions and topics")).to_be_visible()
    _check(page)


def test_the_other_family_pages_are_accessible_on_a_phone(live_cast, live_server, phone):
    """Moving, cancelling, the inbox, how we reach you (with an error) and the calendar address."""
    cast = live_cast
    period = make_period(user=cast.carla, group=cast.mariehonen, kind="daycare_conversation")
    meeting = booking.meeting_book(
        request=req(cast.anna), user=cast.anna, slot=period.slots.order_by("starts_at")[0], child=cast.emil
    )
    Notification.objects.create(
        user=cast.anna, title="Påmindelse om samtalen", url=reverse("meetings:my_meetings")
    )
    page = phone
    log_in(page, live_server, cast.anna, mfa=False)
    for name, args in (
        ("meetings:meeting_detail", [meeting.pk]),
        ("meetings:meeting_move", [meeting.pk]),
        ("meetings:meeting_cancel", [meeting.pk]),
        ("meetings:notifications", []),
        ("meetings:calendar_settings", []),
    ):
        page.goto(live_server.url + reverse(name, args=args))
        _check(page)

    page.goto(live_server.url + reverse("meetings:contact_settings"))
    _check(page)
    page.locator("label[for=id_notify_by_sms]").click()
    page.locator("#id_phone").fill("")
    page.locator("main form").get_by_role("button", name=danish("Save")).click()
    expect(page.locator(".portal-error-summary")).to_contain_text(
        danish("Write your mobile number to get text messages.")
    )
    _check(page)

    page.goto(live_server.url + reverse("meetings:calendar_settings"))
    page.get_by_role("button", name=danish("Make my calendar address")).click()
    # A new calendar address asks for the password again; then the address is made.
    expect(page).to_have_url(url_of(live_server, "account_reauthenticate"))
    _check(page)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    expect(page).to_have_url(url_of(live_server, "meetings:calendar_settings"))
    address = page.locator("#feed-url").input_value()
    token = address.rsplit("/", 1)[1].removesuffix(".ics")
    assert address == settings.SITE_URL + reverse("meetings:calendar_feed", kwargs={"token": token})
    assert CalendarFeed.objects.get(user=cast.anna).token_hash == hash_token(token)
    expect(page.get_by_role("link", name=danish("Add to my calendar"))).to_have_attribute(
        "href", "webcal://" + address.split("://", 1)[1]
    )
    _check(page)


def test_anna_answers_the_parent_meeting_invitation_on_her_phone(live_cast, live_server, phone):
    cast = live_cast
    meeting = plan_parent_meeting(cast, title="Forældrecafé i Mariehønen", agenda="Kaffe og kage")
    page = phone
    log_in(page, live_server, cast.anna, mfa=False)
    page.goto(live_server.url + reverse("meetings:meeting_detail", args=[meeting.pk]))
    expect(page.get_by_role("heading", name=danish("Are you coming?"))).to_be_visible()
    _check(page)
    page.get_by_label(danish("Yes, I am coming")).check()
    page.get_by_label(danish("How many adults are coming?")).fill("2")
    page.get_by_role("button", name=danish("Send my answer")).click()
    expect(page.locator("#answer")).to_contain_text("2 voksne")
    expect(page.get_by_role("button", name=danish("Change my answer"))).to_be_visible()
    _check(page)
    answers = MeetingResponse.objects.values_list("guardian", "coming", "adults")
    assert list(answers) == [(cast.anna.pk, True, 2)]
