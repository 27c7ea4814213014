"""A handover in real Chromium: Carla plans Emil's move to Skovvangskolen and writes the handover, Anna
adds her view and says yes on her phone, Carla sends it, Dorte at the school reads it and confirms
receipt from her home's to-do, and Anna sees who read it. Every page is checked with axe-core, the Nu
checker, for console errors, CSP violations and sideways scrolling at 320 px."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from portal.audit.models import AccessEvent
from tests import factories as f
from tests.browser.test_journeys import check_page, danish, log_in, url_of, watch
from transitions.models import Handover, HandoverSection, SharingModel, Transition, TransitionSettings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
STRENGTHS = HandoverSection.Kind.STRENGTHS


def _submit(page):
    page.locator("main form[method=post] [type=submit]").last.click()


def test_a_handover_is_written_with_the_parents_sent_received_and_its_reading_shown_to_them(
    live_cast, live_server, new_context
):
    cast = live_cast
    TransitionSettings.objects.create(municipality=cast.aarhus, sharing_model=SharingModel.CONSENT)
    start = timezone.localdate() + timedelta(days=60)
    f.EnrollmentFactory(child=cast.emil, group=cast.class_1a, started_on=start)  # his place at school

    # Carla plans the move from Emil's page and writes his strengths.
    carla = watch(new_context(**PHONE).new_page())
    log_in(carla, live_server, cast.carla, mfa=True)
    carla.goto(live_server.url + reverse("children:child_detail", args=[cast.emil.pk]))
    check_page(carla)
    carla.get_by_role("link", name=danish("Plan a transition")).click()
    check_page(carla)
    carla.locator("#id_kind").select_option(Transition.Kind.DAYCARE_TO_SCHOOL)
    carla.locator("#id_receiving_institution").select_option(str(cast.school.pk))
    carla.locator("#id_receiving_group").select_option(str(cast.class_1a.pk))
    carla.locator("#id_planned_on").fill(start.isoformat())
    _submit(carla)
    handover = Handover.objects.get(transition__child=cast.emil)
    expect(carla).to_have_url(url_of(live_server, "transitions:handover_detail", handover.pk))
    check_page(carla)
    section = carla.locator(f"#section-{STRENGTHS}")
    section.locator("summary").click()
    section.locator("textarea").fill("Emil bygger huler og hjælper de små.")
    section.get_by_role("button", name=danish("Save")).click()
    check_page(carla)
    expect(carla.locator(f"#section-{STRENGTHS}")).to_contain_text("Emil bygger huler")

    # Anna, on her phone, follows her home's to-do: she says yes to the strengths and writes her view.
    anna = watch(new_context(**PHONE).new_page())
    log_in(anna, live_server, cast.anna, mfa=False)
    anna.get_by_role("link", name=danish("Read and decide")).first.click()
    expect(anna).to_have_url(url_of(live_server, "transitions:handover_detail", handover.pk))
    check_page(anna)
    expect(anna.locator("main")).to_contain_text("Emil bygger huler")
    anna.locator(f"#section-{STRENGTHS}").get_by_role("button", name=danish("Yes, pass it on")).click()
    check_page(anna)
    anna.locator("#text-parents-view").fill("Emil glæder sig og vil gerne gå med sin ven Noah.")
    anna.get_by_role("button", name=danish("Save my view")).click()
    check_page(anna)
    expect(anna.locator("#parents-view ~ section").first).to_contain_text("Emil glæder sig")

    # Carla sends it: the school is told (the task runs at once here).
    carla.reload()
    check_page(carla)
    carla.get_by_role("button", name=danish("Send the handover")).click()
    check_page(carla)
    handover.refresh_from_db()
    assert handover.sent_at is not None

    # Dorte follows her to-do, reads what was passed on (only that) and confirms receipt.
    dorte = watch(new_context().new_page())
    log_in(dorte, live_server, cast.dorte, mfa=True)
    dorte.get_by_role("link", name=danish("Read and confirm")).first.click()
    expect(dorte).to_have_url(url_of(live_server, "transitions:handover_detail", handover.pk))
    check_page(dorte)
    main = dorte.locator("main")
    expect(main).to_contain_text("Emil bygger huler")
    expect(main).to_contain_text("Emil glæder sig")
    expect(dorte.locator(f"#section-{HandoverSection.Kind.CONCERNS}")).to_have_count(0)  # not written
    dorte.get_by_role("button", name=danish("Confirm that we have received it")).click()
    check_page(dorte)
    handover.refresh_from_db()
    assert handover.received_by == cast.dorte
    assert AccessEvent.objects.filter(subject="handover_received", object_id=handover.pk).exists()

    # Anna sees who at the school read it.
    anna.reload()
    check_page(anna)
    expect(anna.locator("main")).to_contain_text("Dorte Madsen")
    expect(anna.locator("main")).to_contain_text("Skovvangskolen")


def test_the_administrator_chooses_how_handovers_are_shared(live_cast, live_server, new_context):
    cast = live_cast
    erik = watch(new_context().new_page())
    log_in(erik, live_server, cast.erik, mfa=True)
    erik.get_by_role("link", name=danish("Sharing at transitions")).click()
    expect(erik).to_have_url(url_of(live_server, "transitions:sharing_settings"))
    check_page(erik)
    erik.locator(f"input[value={SharingModel.GUIDELINES}]").check()
    _submit(erik)
    check_page(erik)
    assert TransitionSettings.model_for(cast.aarhus.pk) == SharingModel.GUIDELINES
