"""Helpers for meeting tests: a published booking period for a group, and requests for services."""

from datetime import time, timedelta

import pytest
from django.contrib.sessions.backends.cache import SessionStore
from django.test import RequestFactory
from django.utils import timezone

from portal.meetings.services import booking


@pytest.fixture(autouse=True)
def _english(settings):
    """Pages and refusals in English, so tests read like the product's rules; e-mails still follow each
    recipient's own language."""
    settings.LANGUAGE_CODE = "en"


def req(user, path="/"):
    """A request as ``user`` for services that audit."""
    request = RequestFactory().post(path)
    request.user = user
    request.session = SessionStore()
    return request


def make_period(
    *,
    user,
    group,
    days_ahead: int = 14,
    days: int = 1,
    start=time(14, 0),
    end=time(16, 0),
    slot_minutes: int = 20,
    publish: bool = True,
    deadline_days_before: int = 2,
    **extra,
):
    """A period of ``days`` consecutive days starting ``days_ahead`` days from today (6 slots a day by
    default), published unless ``publish=False``."""
    first = timezone.localdate() + timedelta(days=days_ahead)
    day_list = [first + timedelta(days=i) for i in range(days)]
    deadline = timezone.make_aware(
        timezone.datetime.combine(first - timedelta(days=deadline_days_before), time(23, 59))
    )
    period = booking.period_create(
        user=user,
        group=group,
        title=extra.pop("title", "Skole-hjem-samtaler"),
        days=day_list,
        start=start,
        end=end,
        slot_minutes=slot_minutes,
        booking_deadline=deadline,
        **extra,
    )
    if publish:
        booking.period_publish(user=user, period=period)
        period.refresh_from_db()
    return period


@pytest.fixture
def emil_period(cast):
    """Carla's published conversations for Mariehønen (Emil's group), two weeks from now."""
    return make_period(user=cast.carla, group=cast.mariehonen, kind="daycare_conversation", location="Stuen")


@pytest.fixture
def freja_period(cast):
    """Dorte's published parent–teacher conferences for 1.A (Freja's class)."""
    return make_period(user=cast.dorte, group=cast.class_1a, kind="conference", location="Klasselokalet")
