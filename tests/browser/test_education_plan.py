"""An education plan in real Chromium on phones: Ulla, Vera's UU counsellor, starts the plan from her list
and writes her guidance; Vera writes her goals and wishes from her own login; Anna and Karsten each
confirm it from their home's to-do, entering their password again. Every page is checked with axe-core,
the Nu checker, for console errors, CSP violations and sideways scrolling at 320 px."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_journeys import PASSWORD, check_page, danish, log_in, url_of, watch
from tests.transitions import education_world
from transitions.models import EducationPlan, EducationPlanConfirmation, YouthEducation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


def _confirm(page, live_server, user, plan):
    plan_path = reverse("transitions:education_plan_detail", args=[plan.pk])
    log_in(page, live_server, user, mfa=False)
    check_page(page)
    page.get_by_role("link", name=danish("Read and confirm")).first.click()
    expect(page).to_have_url(url_of(live_server, "transitions:education_plan_detail", plan.pk))
    check_page(page)
    expect(page.locator("main")).to_contain_text("Jeg vil gerne arbejde med dyr")
    page.get_by_role("button", name=danish("Confirm the plan")).click()
    # Confirming asks for the password again; then the confirmation is made.
    expect(page).to_have_url(url_of(live_server, "account_reauthenticate"))
    check_page(page)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(live_server.url + plan_path) + "#confirm$"))
    check_page(page)
    assert EducationPlanConfirmation.objects.filter(plan=plan, user=user).exists()


def test_a_counsellor_and_a_pupil_prepare_the_plan_and_both_custody_holders_confirm_it(
    live_cast, live_server, new_context
):
    w = education_world.build(live_cast)

    # Ulla starts Vera's plan from her list and writes her guidance.
    ulla = watch(new_context(**PHONE).new_page())
    log_in(ulla, live_server, w.ulla, mfa=True)
    check_page(ulla)
    ulla.get_by_role("link", name=danish("Education plans in 8. and 9. klasse")).click()
    expect(ulla).to_have_url(url_of(live_server, "transitions:education_plans"))
    check_page(ulla)
    ulla.get_by_role("button", name=danish("Start the plan")).click()
    plan = EducationPlan.objects.get(child=w.vera)
    expect(ulla).to_have_url(url_of(live_server, "transitions:education_plan_detail", plan.pk))
    check_page(ulla)
    ulla.locator("#guidance-text").fill("Besøg en landbrugsskole, og tal med en dyrlæge om vejen dertil.")
    ulla.get_by_role("button", name=danish("Save the guidance")).click()
    check_page(ulla)
    expect(ulla.locator("main")).to_contain_text("Besøg en landbrugsskole")

    # Vera follows the to-do on her home and chooses two wishes, the one she wants most first.
    vera = watch(new_context(**PHONE).new_page())
    log_in(vera, live_server, w.vera_pupil, mfa=False)
    check_page(vera)
    vera.get_by_role("link", name=danish("Write your wishes")).click()
    expect(vera).to_have_url(url_of(live_server, "transitions:education_plan_pupil"))
    check_page(vera)
    eud = YouthEducation.objects.get(municipality=live_cast.aarhus, name="Erhvervsuddannelse (eud)")
    eux = YouthEducation.objects.get(municipality=live_cast.aarhus, name__startswith="Eux")
    vera.locator("#id_goals").fill("Jeg vil gerne arbejde med dyr.")
    vera.locator("#id_wish_1").select_option(str(eud.pk))
    vera.locator("#id_wish_2").select_option(str(eux.pk))
    vera.get_by_role("button", name=danish("Save my wishes")).click()
    check_page(vera)
    expect(vera.locator("#wishes ~ ol").first).to_contain_text(eud.name)
    plan.refresh_from_db()
    assert plan.ready_at is not None

    # Anna and Karsten each confirm it on their phones.
    _confirm(watch(new_context(**PHONE).new_page()), live_server, live_cast.anna, plan)
    karsten = watch(new_context(**PHONE).new_page())
    _confirm(karsten, live_server, w.karsten, plan)
    expect(karsten.locator("main")).to_contain_text(
        danish("Every parent with custody has confirmed this version.")
    )
    expect(karsten.get_by_role("link", name=danish("Go to Optagelse.dk"))).to_have_attribute(
        "href", "https://www.optagelse.dk/"
    )


def test_the_administrator_keeps_the_list_of_youth_educations_on_a_phone(live_cast, live_server, new_context):
    erik = watch(new_context(**PHONE).new_page())
    log_in(erik, live_server, live_cast.erik, mfa=True)
    check_page(erik)
    erik.get_by_role("link", name=danish("Youth educations to choose from")).click()
    expect(erik).to_have_url(url_of(live_server, "transitions:youth_educations"))
    check_page(erik)
    erik.locator("#id_name").fill("Epx")
    erik.get_by_role("button", name=danish("Add")).click()
    check_page(erik)
    hf = YouthEducation.objects.get(municipality=live_cast.aarhus, name="Hf")
    card = erik.locator(f"#education-{hf.pk}")
    card.locator(f"#id_e{hf.pk}-name").fill("Hf (erstattes af epx)")
    card.locator(f"label[for=id_e{hf.pk}-is_offered]").click()
    card.get_by_role("button").click()
    check_page(erik)
    hf.refresh_from_db()
    assert (hf.name, hf.is_offered) == ("Hf (erstattes af epx)", False)
    assert YouthEducation.objects.filter(municipality=live_cast.aarhus, name="Epx").exists()
