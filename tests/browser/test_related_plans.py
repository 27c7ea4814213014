"""Related plans in real Chromium: Pia (PPR) records from Emil's page that he has a social action plan
and who coordinates it; Anna, on her phone, follows the to-do on her home and says yes for Solsikken;
Carla, on her phone, then sees the coordinator on Emil's page. Every page is checked with axe-core, the
Nu checker, for console errors, CSP violations and sideways scrolling at 320 px."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from children.models import RelatedPlan, RelatedPlanConsent
from portal.organisation.models import Institution, StaffMembership
from tests import factories as f
from tests.browser.test_journeys import check_page, danish, log_in, url_of, watch
from tests.conftest import enable_mfa

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
COORDINATOR = "Rikke Holm"


def test_a_related_plan_is_recorded_the_parent_consents_and_the_pedagogue_sees_it(
    live_cast, live_server, new_context
):
    cast = live_cast
    ppr = f.InstitutionFactory(municipality=cast.aarhus, name="PPR Aarhus", kind=Institution.Kind.PPR)
    caseload = f.GroupFactory(institution=ppr, name="PPR Syd")
    f.EnrollmentFactory(child=cast.emil, group=caseload)
    pia = enable_mfa(f.UserFactory(email="pia@example.test", first_name="Pia", last_name="Dahl"))
    f.StaffMembershipFactory(
        user=pia, institution=ppr, role=StaffMembership.Role.PPR_CONSULTANT, groups=[caseload]
    )
    child_url = live_server.url + reverse("children:child_detail", args=[cast.emil.pk])

    staff = watch(new_context().new_page())
    log_in(staff, live_server, pia, mfa=True)
    staff.goto(child_url)
    check_page(staff)
    staff.get_by_role("link", name=danish("Record a related plan")).click()
    check_page(staff)
    staff.get_by_label(danish(RelatedPlan.Kind.SOCIAL_ACTION.label)).check()
    staff.locator("#id_coordinator_name").fill(COORDINATOR)
    staff.locator("#id_coordinator_role").fill("Rådgiver, Familieafdelingen")
    staff.locator("#id_coordinator_phone").fill("+45 87 13 00 00")
    staff.locator("#id_since").fill((timezone.localdate() - timedelta(days=10)).isoformat())
    staff.locator("main form[method=post] [type=submit]").click()
    plan = RelatedPlan.objects.get()
    expect(staff).to_have_url(url_of(live_server, "children:related_plan_detail", plan.pk))
    check_page(staff)

    anna = watch(new_context(**PHONE).new_page())
    log_in(anna, live_server, cast.anna, mfa=False)
    anna.locator(f"main a[href='{reverse('children:related_plan_detail', args=[plan.pk])}']").first.click()
    expect(anna).to_have_url(url_of(live_server, "children:related_plan_detail", plan.pk))
    check_page(anna)
    expect(anna.locator("main")).to_contain_text(COORDINATOR)
    anna.locator(f"section:has(#h-place-{cast.solsikken.pk}) button.button-primary").click()
    expect(anna).to_have_url(url_of(live_server, "children:related_plan_detail", plan.pk))
    check_page(anna)
    assert RelatedPlanConsent.objects.get(plan=plan, institution=cast.solsikken).given

    carla = watch(new_context(**PHONE).new_page())
    log_in(carla, live_server, cast.carla, mfa=True)
    carla.goto(child_url)
    check_page(carla)
    expect(carla.locator("main")).to_contain_text(COORDINATOR)
    expect(carla.locator("main")).to_contain_text("+45 87 13 00 00")
    expect(
        carla.locator(f"main a[href='{reverse('children:related_plan_detail', args=[plan.pk])}']")
    ).to_have_count(0)
