"""A school readiness assessment in real Chromium, on phones: Lene (Solsikken's leader) starts it from
Emil's handover and writes her two parts, Anna writes her view from her home's to-do, Lene marks it
complete, and Anna confirms she has seen it after giving her password again, saying she disagrees. Every
page is checked with axe-core, the Nu checker, for console errors and sideways scrolling at 320 px."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_journeys import PASSWORD, check_page, danish, log_in, url_of, watch
from transitions import services
from transitions.models import ReadinessAssessment, ReadinessConfirmation, ReadinessPart, Transition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
Kind = ReadinessPart.Kind


def _write(page, kind, text):
    part = page.locator(f"#part-{kind}")
    part.locator("summary").click()
    part.locator("textarea").fill(text)
    part.get_by_role("button", name=danish("Save")).click()
    check_page(page)
    expect(page.locator(f"#part-{kind}")).to_contain_text(text)


def test_the_leader_and_a_parent_write_an_assessment_and_the_parent_confirms_it_after_logging_in_again(
    live_cast, live_server, new_context
):
    cast = live_cast
    request = RequestFactory().post("/")
    request.user = cast.carla
    transition = services.transition_create(
        request=request,
        child=cast.emil,
        enrollment=cast.emil.enrollments.get(institution=cast.solsikken),
        kind=Transition.Kind.DAYCARE_TO_SCHOOL,
        receiving_institution=cast.school,
        planned_on=timezone.localdate() + timedelta(days=60),
    )

    # Lene starts the assessment from Emil's handover and writes her two parts.
    lene = watch(new_context(**PHONE).new_page())
    log_in(lene, live_server, cast.lene, mfa=True)
    lene.goto(live_server.url + reverse("transitions:handover_detail", args=[transition.handover.pk]))
    check_page(lene)
    lene.get_by_role("button", name=danish("Start a school readiness assessment")).click()
    assessment = ReadinessAssessment.objects.get()
    expect(lene).to_have_url(url_of(live_server, "transitions:readiness_detail", assessment.pk))
    check_page(lene)
    _write(lene, Kind.LEADER_VIEW, "Emil er nysgerrig, men bliver hurtigt træt i store grupper.")
    _write(lene, Kind.DAYCARE_SUPPORT, "Vi øver at vente på tur i små grupper hver formiddag.")

    # Anna follows her home's to-do and writes her view.
    anna = watch(new_context(**PHONE).new_page())
    log_in(anna, live_server, cast.anna, mfa=False)
    detail = reverse("transitions:readiness_detail", args=[assessment.pk])
    expect(anna.locator("main")).to_contain_text(
        danish("Add your view on %(name)s's school start") % {"name": "Emil"}
    )
    anna.locator(f"main a[href='{detail}']").first.click()
    expect(anna).to_have_url(url_of(live_server, "transitions:readiness_detail", assessment.pk))
    check_page(anna)
    expect(anna.locator("main")).to_contain_text("Vi øver at vente på tur")
    anna.locator("#text-parents_view").fill("Emil glæder sig til skolen og taler om det hver dag.")
    anna.get_by_role("button", name=danish("Save my view")).click()
    check_page(anna)
    expect(anna.locator("#part-parents_view ~ section").first).to_contain_text("Emil glæder sig")

    # Lene marks it complete.
    lene.reload()
    check_page(lene)
    expect(lene.locator("main")).to_contain_text("Emil glæder sig")
    lene.get_by_role("button", name=danish("Mark the assessment complete")).click()
    check_page(lene)
    assert ReadinessAssessment.objects.get().status == ReadinessAssessment.Status.COMPLETE

    # Anna confirms she has seen it and says she disagrees: she gives her password again first.
    anna.reload()
    check_page(anna)
    anna.locator("label[for=id_disagrees]").click()
    anna.locator("#id_disagreement").fill("Vi mener, Emil er klar.")
    anna.get_by_role("button", name=danish("I have seen the assessment")).click()
    expect(anna).to_have_url(url_of(live_server, "account_reauthenticate"))
    check_page(anna)
    anna.locator("#id_password").fill(PASSWORD)
    anna.locator("main form [type=submit]").click()
    expect(anna).to_have_url(url_of(live_server, "transitions:readiness_detail", assessment.pk))
    check_page(anna)
    expect(anna.locator("main")).to_contain_text("Vi mener, Emil er klar.")
    confirmation = ReadinessConfirmation.objects.get()
    assert (confirmation.user_id, confirmation.disagrees) == (cast.anna.pk, True)
