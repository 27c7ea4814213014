"""A language assessment in real Chromium on a phone: Carla starts one for Emil, Anna answers the
parents' questions, Carla books the talk, records the result and makes the home language plan, and
Anna reads it and says how an activity went. Every page is checked with axe-core, the Nu checker, for
console errors, CSP violations and sideways scrolling at 320 px."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from children.models import HomeActivityTry, HomeLanguagePlan, LanguageAssessment, LanguageObservation
from children.services.competences import competence_framework_seed
from portal.meetings.models import Meeting, MeetingKind
from tests.browser.test_journeys import check_page, danish, log_in, url_of, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


def _submit(page):
    page.locator("main form[method=post] [type=submit]").last.click()


def test_pedagogue_records_a_language_assessment_with_the_parents_form_and_books_the_talk(
    live_cast, live_server, new_context
):
    cast = live_cast
    competence_framework_seed(municipality=cast.aarhus)
    carla = watch(new_context(**PHONE).new_page())
    log_in(carla, live_server, cast.carla, mfa=True)

    # Emil's page: the advice for professionals for his age, and a button to start the assessment.
    carla.goto(live_server.url + reverse("children:child_detail", args=[cast.emil.pk]))
    check_page(carla)
    carla.get_by_role("link", name=danish("Start a language assessment")).click()
    check_page(carla)
    carla.locator("#id_planned_on").fill((timezone.localdate() + timedelta(days=5)).isoformat())
    _submit(carla)
    assessment = LanguageAssessment.objects.get(child=cast.emil)
    expect(carla).to_have_url(url_of(live_server, "children:language_assessment_detail", assessment.pk))
    check_page(carla)

    # Anna answers the questions on her phone.
    anna = watch(new_context(**PHONE).new_page())
    log_in(anna, live_server, cast.anna, mfa=False)
    anna.get_by_role("link", name=danish("Answer a few questions")).first.click()
    expect(anna).to_have_url(url_of(live_server, "children:language_observation", assessment.pk))
    check_page(anna)
    anna.locator("#id_home_languages").fill("Dansk og arabisk")
    anna.locator("label[for=id_danish_at_home_0]").click()
    anna.locator("label[for=id_tells_about_things_1]").click()
    anna.locator("label[for=id_follows_two_steps_0]").click()
    anna.locator("label[for=id_enjoys_stories_0]").click()
    anna.locator("#id_wonders").fill("Han blander de to sprog.")
    _submit(anna)
    expect(anna).to_have_url(url_of(live_server, "children:language_assessment_detail", assessment.pk))
    check_page(anna)
    assert LanguageObservation.objects.get(assessment=assessment).filled_by == cast.anna

    # Carla reads the answers and books the talk.
    carla.reload()
    expect(carla.locator("main")).to_contain_text("Han blander de to sprog.")
    carla.get_by_role("link", name=danish("Book the talk with the family")).click()
    check_page(carla)
    day = timezone.localdate() + timedelta(days=7)
    carla.locator("#id_day").fill(day.isoformat())
    carla.locator("#id_start").fill("14:00")
    carla.locator("#id_end").fill("14:30")
    carla.locator("#id_location").fill("Mariehønen")
    _submit(carla)
    expect(carla).to_have_url(url_of(live_server, "children:language_assessment_detail", assessment.pk))
    check_page(carla)
    assessment.refresh_from_db()
    assert Meeting.objects.get(pk=assessment.meeting_id).kind == MeetingKind.LANGUAGE_ASSESSMENT

    # The result, shown to the family, and the home plan from the suggestions.
    carla.get_by_role("link", name=danish("Record the result")).click()
    check_page(carla)
    carla.locator("#id_assessed_on").fill(timezone.localdate().isoformat())
    carla.locator("label[for=id_result_1]").click()  # focused effort
    carla.locator("#id_summary").fill("Emil forstår meget og øver at fortælle.")
    carla.locator("label[for=id_share]").click()
    _submit(carla)
    check_page(carla)
    carla.get_by_role("link", name=danish("Make the home language plan")).click()
    check_page(carla)
    carla.locator("label[for=id_activities_0]").click()
    carla.locator("#id_note").fill("Læs lidt hver aften.")
    _submit(carla)
    check_page(carla)
    plan = HomeLanguagePlan.objects.get(assessment=assessment)
    activity = plan.activities.get()

    # Anna reads the result and the plan, and says how it went.
    anna.reload()
    check_page(anna)
    expect(anna.locator("main")).to_contain_text("Emil forstår meget")
    expect(anna.locator("main")).to_contain_text(activity.title_da)
    anna.locator("label[for=id_outcome_0]").click()
    anna.locator("#id_note").fill("Han elskede det.")
    _submit(anna)
    check_page(anna)
    assert HomeActivityTry.objects.get().activity == activity
