"""A pupil on a phone: Dorte gives Freja a code; Freja makes her own login with it on the "I'm a pupil"
page, reads her plan, writes what she thinks about a focus point and a message to her parents; Bo reads
both on the plan. Every page is checked with axe-core, the Nu checker, for console errors, CSP
violations and sideways scrolling at 320 px."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from children.models import FocusPoint, PupilAccount, PupilMessage, PupilReflection
from portal.meetings.models import Notification
from tests import factories as f
from tests.browser.test_journeys import check_page, danish, log_in, url_of, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


def test_pupil_signs_up_with_a_code_reads_the_plan_and_writes_to_her_parents(
    live_cast, live_server, new_context
):
    cast = live_cast
    PupilAccount.objects.filter(child=cast.freja).delete()  # Freja has no login yet in this story
    goal = f.LearningGoalFactory(child=cast.freja, institution=cast.school, created_by=cast.dorte)
    point = FocusPoint.objects.create(
        plan=goal.plan,
        area=FocusPoint.Area.DANISH,
        title="Læse længere tekster",
        school_effort="Læsebånd hver morgen.",
        home_support="Læs 20 minutter hver aften.",
    )
    f.publish_plan(goal.plan, by=cast.dorte)

    # Dorte makes a code from the pupil plan.
    dorte = watch(new_context(**PHONE).new_page())
    log_in(dorte, live_server, cast.dorte, mfa=True)
    dorte.goto(live_server.url + reverse("children:plan_detail", args=[goal.plan.pk]))
    check_page(dorte)
    dorte.get_by_role("link", name=danish("The pupil's own login")).click()
    expect(dorte).to_have_url(url_of(live_server, "children:pupil_login", cast.freja.pk))
    check_page(dorte)
    dorte.get_by_role("button", name=danish("Make a code")).click()
    code = dorte.locator(".portal-code").inner_text()
    check_page(dorte)

    # Freja signs up on her phone from the welcome page.
    freja = watch(new_context(**PHONE).new_page())
    freja.goto(live_server.url + reverse("home"))
    check_page(freja)
    freja.get_by_role("link", name=danish("I'm a pupil")).click()
    expect(freja).to_have_url(url_of(live_server, "children:pupil_signup"))
    check_page(freja)
    freja.locator("#id_code").fill(code)
    freja.locator("#id_email").fill("freja.elev@example.test")
    freja.locator("#id_password1").fill("min-hemmelige-kode-2026")
    freja.locator("#id_password2").fill("min-hemmelige-kode-2026")
    freja.get_by_role("button", name=danish("Make my login")).click()
    expect(freja).to_have_url(url_of(live_server, "children:pupil_home"))
    check_page(freja)
    expect(freja.locator("main")).to_contain_text("Læse længere tekster")
    expect(freja.locator(".portal-todos")).to_contain_text(danish("Write your thoughts"))

    # She writes what she thinks about the focus point, then a message home.
    freja.locator(f"#reflection-{point.pk}").fill("Det er svært, men jeg kan lide at læse om dyr.")
    freja.get_by_role("button", name=danish("Save my thoughts")).click()
    check_page(freja)
    expect(freja.locator(f"#focus-{point.pk}")).to_contain_text("jeg kan lide at læse om dyr")
    freja.locator("#id_text").fill("Læs med mig om dyr hver aften, og spørg mig om ordene.")
    freja.get_by_role("button", name=danish("Send to my parents")).click()
    check_page(freja)
    expect(freja.locator("main")).to_contain_text("spørg mig om ordene")
    assert PupilReflection.objects.filter(focus_point=point).count() == 1
    assert PupilMessage.objects.filter(plan=goal.plan).count() == 1

    # Bo gets a notice and reads both on the plan.
    assert Notification.objects.filter(user=cast.bo, key__startswith="pupil-message-").exists()
    bo = watch(new_context(**PHONE).new_page())
    log_in(bo, live_server, cast.bo, mfa=False)
    bo.goto(live_server.url + reverse("children:plan_detail", args=[goal.plan.pk]))
    check_page(bo)
    expect(bo.locator("#pupil-messages")).to_be_visible()
    expect(bo.locator("main")).to_contain_text("spørg mig om ordene")
    expect(bo.locator(f"#focus-{point.pk}")).to_contain_text("jeg kan lide at læse om dyr")
