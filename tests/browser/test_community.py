"""Learning the names in the group, in real Chromium on a phone: Anna answers the to-do on her home and
says yes to showing Emil's first name; Liva's mother has said yes, so Anna sees Liva, and no one else
in the group. Every page is checked with axe-core, the Nu checker, for console errors, CSP violations
and sideways scrolling at 320 px."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from portal.community.models import NameSharing
from tests import factories as f
from tests.browser.test_journeys import check_page, danish, log_in, url_of, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


def test_a_parent_says_yes_to_showing_her_childs_name_and_learns_the_groups_names(
    live_cast, live_server, new_context
):
    cast = live_cast
    liva = f.ChildFactory(municipality=cast.aarhus, first_name="Liva")
    f.EnrollmentFactory(child=liva, group=cast.mariehonen)
    NameSharing.objects.create(child=liva, user=f.GuardianshipFactory(child=liva).user, show_name=True)
    quiet = f.ChildFactory(municipality=cast.aarhus, first_name="Hemmelig")
    f.EnrollmentFactory(child=quiet, group=cast.mariehonen)
    f.GuardianshipFactory(child=quiet)

    anna = watch(new_context(**PHONE).new_page())
    log_in(anna, live_server, cast.anna, mfa=False)
    anna.goto(live_server.url + reverse("children:parent_home"))
    check_page(anna)
    todo = danish("Say whether the other parents in the group may see %(name)s's first name") % {
        "name": "Emil"
    }
    anna.locator("main li", has_text=todo).get_by_role("link", name=danish("Decide")).click()
    expect(anna).to_have_url(url_of(live_server, "community:group_names", cast.emil.pk))
    check_page(anna)
    main = anna.locator("main")
    expect(main).to_contain_text("Liva")
    expect(main).not_to_contain_text("Hemmelig")

    anna.get_by_label(danish("Yes, when everyone in our family with custody has said yes")).check()
    anna.get_by_role("button", name=danish("Save my answer")).click()
    expect(anna).to_have_url(url_of(live_server, "community:group_names", cast.emil.pk))
    check_page(anna)
    expect(main).to_contain_text(danish("Thank you. Your answer is saved."))
    expect(main.locator("section li", has_text="Emil")).to_have_text(f"Emil ({danish('your child')})")
    expect(main).not_to_contain_text("Hemmelig")
