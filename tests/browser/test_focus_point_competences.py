"""Competences on the pupil plan and the language result's notice, in real Chromium on phones: Dorte
writes a focus point that builds a competence and sees it on the plan; Bo reads the published plan and
finds the focus point on his child page's competence card; Anna finds the notice that Emil's language
assessment result is shown in her messages. Every page is checked with axe-core, the Nu checker, for
console errors, CSP violations and sideways scrolling at 320 px."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from children.models import Competence, FocusPoint, LearningPlan
from children.services import language as language_services
from children.services.competences import competence_framework_seed
from tests import factories as f
from tests.browser.test_journeys import PHONE, check_page, danish, log_in, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_focus_point_builds_a_competence_and_the_family_sees_it(live_cast, live_server, new_context):
    cast = live_cast
    competence_framework_seed(municipality=cast.aarhus)
    persistence = Competence.objects.get(municipality=cast.aarhus, code="persistence")
    plan = LearningPlan.objects.create(child=cast.freja, institution=cast.school, kind="pupil", school_year=1)

    dorte = watch(new_context(**PHONE).new_page())
    log_in(dorte, live_server, cast.dorte, mfa=True)
    dorte.goto(live_server.url + reverse("children:focus_point_create", args=[plan.pk]))
    check_page(dorte)
    dorte.locator("#id_area").select_option("danish")
    dorte.locator("#id_title").fill("Læser små bøger selv")
    dorte.locator("#id_school_effort").fill("Freja læser højt for en voksen hver dag.")
    dorte.locator("#id_home_support").fill("Læs ti minutter sammen hver aften.")
    dorte.get_by_label(persistence.name_da, exact=True).check()
    dorte.locator("form:has(#id_title) [type=submit]").click()
    point = FocusPoint.objects.get(plan=plan)
    card = dorte.locator(f"#focus-{point.pk}")
    expect(card).to_contain_text(danish("Competences it builds"))
    expect(card.get_by_role("link", name=persistence.name_da)).to_be_visible()
    check_page(dorte)
    f.publish_plan(plan, by=cast.dorte)

    bo = watch(new_context(**PHONE).new_page())
    log_in(bo, live_server, cast.bo, mfa=False)
    bo.goto(live_server.url + reverse("children:child_detail", args=[cast.freja.pk]))
    check_page(bo)
    bo.locator("details.portal-details summary", has_text=persistence.name_da).click()
    link = bo.get_by_role("link", name=point.title)
    expect(link).to_be_visible()
    link.click()
    expect(bo.locator(f"#focus-{point.pk}")).to_contain_text(persistence.name_da)
    check_page(bo)


def test_anna_finds_the_notice_of_the_language_result_in_her_messages(live_cast, live_server, new_context):
    cast = live_cast
    request = RequestFactory().post("/")
    request.user = cast.carla
    assessment = language_services.language_assessment_create(
        request=request, child=cast.emil, enrollment=cast.emil.enrollments.get(), actor_role="Pædagog"
    )
    language_services.language_result_record(
        request=request,
        assessment=assessment,
        actor_role="Pædagog",
        assessed_on=timezone.localdate(),
        result="focused",
        share=True,
    )
    language_services.language_result_notices_send(assessment_id=assessment.pk)

    anna = watch(new_context(**PHONE).new_page())
    log_in(anna, live_server, cast.anna, mfa=False)
    anna.goto(live_server.url + reverse("meetings:notifications"))
    check_page(anna)
    anna.get_by_role("link", name="Resultatet af Emils sprogvurdering er klar").click()
    expect(anna.locator("main h1")).to_be_visible()
    check_page(anna)
