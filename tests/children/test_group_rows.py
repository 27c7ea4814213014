"""A group's children, written in Python (``portal.rows``): each row's link, name (escaped), birth or
expected date in the reader's language and number of goals."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from portal.formats import format_date
from tests import factories as f


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["da", "en"])
def test_group_rows_link_each_child_with_birth_or_expected_date_and_goals(client, cast, login, language):
    cast.emil.first_name = "<Emil>"
    cast.emil.birth_date = datetime.date(2022, 3, 9)
    cast.emil.save()
    f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken)
    f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken)
    coming = f.ChildFactory(
        municipality=cast.aarhus, first_name="Alma", last_name="Vej", birth_date=None,
        expected_on=datetime.date(2027, 1, 20),
    )  # fmt: skip
    f.EnrollmentFactory(child=coming, group=cast.mariehonen)
    login(client, cast.carla)
    page = client.get(
        reverse("children:group_detail", args=[cast.mariehonen.pk]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    with translation.override(language):
        born, expected = translation.gettext("Born"), translation.gettext("Expected")
        child, goals = translation.gettext("Child"), translation.gettext("Learning goals")
        emil_born = format_date(cast.emil.birth_date, "ABBR_DATE_FORMAT")
        alma_due = format_date(coming.expected_on, "ABBR_DATE_FORMAT")
    emil_url = reverse("children:child_detail", args=[cast.emil.pk])
    alma_url = reverse("children:child_detail", args=[coming.pk])
    assert (
        f'<td data-title="{child}"><a href="{emil_url}">&lt;Emil&gt; Jensen</a></td>\n'
        f'<td data-title="{born}">{emil_born}</td>\n'
        f'<td class="text-align-right" data-title="{goals}">2</td>'
    ) in page
    assert (
        f'<td data-title="{child}"><a href="{alma_url}">Alma Vej</a></td>\n'
        f'<td data-title="{born}">{expected} {alma_due}</td>\n'
        f'<td class="text-align-right" data-title="{goals}">0</td>'
    ) in page
    assert "<Emil>" not in page
