"""Dates read as Danes write them (lower-case months and weekdays, "dec." with a full stop, "den" and
"kl."), and English reads naturally (day before month, no Danish full stops)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from children.models import Enrollment
from portal.formats import format_date

WEDNESDAY = timezone.make_aware(datetime.datetime(2026, 12, 16, 14, 30))
SEPTEMBER = datetime.date(2021, 9, 1)


@pytest.mark.parametrize(
    ("name", "danish", "english"),
    [
        ("DATE_FORMAT", "16. december 2026", "16 December 2026"),
        ("DATETIME_FORMAT", "16. december 2026 kl. 14:30", "16 December 2026, 14:30"),
        ("YEAR_MONTH_FORMAT", "december 2026", "December 2026"),
        ("WEEKDAY_DATE_FORMAT", "onsdag den 16. december 2026", "Wednesday 16 December 2026"),
        ("WEEKDAY_MONTH_DAY_FORMAT", "onsdag den 16. december", "Wednesday 16 December"),
        (
            "WEEKDAY_DATETIME_FORMAT",
            "onsdag den 16. december 2026 kl. 14:30",
            "Wednesday 16 December 2026 at 14:30",
        ),
        ("ABBR_DATE_FORMAT", "16. dec. 2026", "16 Dec 2026"),
        ("ABBR_MONTH_DAY_FORMAT", "16. dec.", "16 Dec"),
        ("ABBR_WEEKDAY_DATETIME_FORMAT", "ons. 16. dec. kl. 14:30", "Wed 16 Dec, 14:30"),
    ],
)
def test_each_named_format_reads_naturally_in_danish_and_english(name, danish, english):
    with translation.override("da"):
        assert format_date(WEDNESDAY, name) == danish
    with translation.override("en"):
        assert format_date(WEDNESDAY, name) == english


def test_danish_month_abbreviations_are_lower_case_with_a_full_stop_where_shortened():
    with translation.override("da"):
        months = [format_date(datetime.date(2026, m, 1), "ABBR_MONTH_DAY_FORMAT") for m in (1, 3, 5, 9, 12)]
    assert months == ["1. jan.", "1. marts", "1. maj", "1. sept.", "1. dec."]


def test_an_unknown_format_name_is_an_error_not_a_date_in_capitals():
    with pytest.raises(ValueError):
        format_date(WEDNESDAY, "NO_SUCH_FORMAT")


@pytest.fixture
def birthday(cast):
    cast.emil.birth_date = datetime.date(2020, 12, 4)
    cast.emil.save(update_fields=["birth_date"])
    Enrollment.objects.filter(child=cast.emil).update(started_on=SEPTEMBER)
    return cast


@pytest.mark.parametrize(
    ("language", "expected", "wrong"),
    [("da", "4. dec. 2020", ["4. Dec", "Dec."]), ("en", "4 Dec 2020", ["4. Dec", "Dec."])],
)
def test_carla_sees_birthdays_in_her_group_as_her_language_writes_them(
    client, birthday, login, language, expected, wrong
):
    login(client, birthday.carla)
    group = birthday.mariehonen
    body = client.get(reverse("children:group_detail", args=[group.pk]), HTTP_ACCEPT_LANGUAGE=language)
    text = body.content.decode()
    assert expected in text
    for form in wrong:
        assert form not in text


@pytest.mark.parametrize(
    ("language", "expected", "wrong"), [("da", "september 2021", "Sep"), ("en", "September 2021", "Sep ")]
)
def test_anna_sees_since_when_emil_has_his_place_as_a_month_in_words(
    client, birthday, login, language, expected, wrong
):
    login(client, birthday.anna, mfa=False)
    body = client.get(
        reverse("children:child_detail", args=[birthday.emil.pk]), HTTP_ACCEPT_LANGUAGE=language
    )
    text = body.content.decode()
    assert expected in text
    assert wrong not in text


def test_a_remembered_date_follows_the_language_and_the_time_zone():
    """Formats are remembered per value: the same instant still reads in each reader's language and
    in the active time zone (equal instants in two zones are equal datetimes)."""
    with translation.override("da"):
        assert format_date(WEDNESDAY, "ABBR_WEEKDAY_DATETIME_FORMAT") == "ons. 16. dec. kl. 14:30"
    with translation.override("en"):
        assert format_date(WEDNESDAY, "ABBR_WEEKDAY_DATETIME_FORMAT") == "Wed 16 Dec, 14:30"
    with translation.override("da"), timezone.override(datetime.UTC):
        assert format_date(WEDNESDAY, "ABBR_WEEKDAY_DATETIME_FORMAT") == "ons. 16. dec. kl. 13:30"
    with translation.override("da"):
        assert format_date(WEDNESDAY, "ABBR_WEEKDAY_DATETIME_FORMAT") == "ons. 16. dec. kl. 14:30"
