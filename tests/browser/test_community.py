"""The children's community in real Chromium on phones. Anna says yes to showing the first name of Emil,
new in the group; Liva's mother has said yes, so Anna sees Liva, and no one else in the group. Anna
offers to be a contact parent, Carla appoints her, Anna writes to the group and Carla sends it. Every
page is checked with axe-core, the Nu checker, for console errors, CSP violations and sideways scrolling
at 320 px."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from children.models import Enrollment
from portal.community.models import NameSharing
from portal.community.services import contact_parent_volunteer
from portal.meetings.models import Notification
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
    # Emil is new in Mariehønen: the home asks Anna.
    Enrollment.objects.filter(child=cast.emil).update(started_on=timezone.localdate() - timedelta(days=2))
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


def test_a_parent_becomes_contact_parent_and_writes_to_the_group_through_the_staff(
    live_cast, live_server, new_context
):
    cast = live_cast
    liva = f.ChildFactory(municipality=cast.aarhus, first_name="Liva")
    f.EnrollmentFactory(child=liva, group=cast.mariehonen)
    liva_mother = f.GuardianshipFactory(child=liva).user

    anna = watch(new_context(**PHONE).new_page())
    log_in(anna, live_server, cast.anna, mfa=False)
    anna.goto(live_server.url + reverse("community:group_names", args=[cast.emil.pk]))
    anna.get_by_role("button", name=danish("Offer to be a contact parent")).click()
    check_page(anna)
    expect(anna.locator("main")).to_contain_text(
        danish("You have offered to be a contact parent. The staff decide and tell you.")
    )

    carla = watch(new_context(**PHONE).new_page())
    log_in(carla, live_server, cast.carla, mfa=True)
    carla.goto(live_server.url + reverse("children:group_detail", args=[cast.mariehonen.pk]))
    carla.get_by_role(
        "link", name=danish("Contact parents and their messages to the group's parents")
    ).click()
    expect(carla).to_have_url(url_of(live_server, "community:group_contact", cast.mariehonen.pk))
    check_page(carla)
    carla.get_by_role("button", name=re.compile("^" + danish("Appoint"))).click()
    check_page(carla)
    expect(carla.locator("main")).to_contain_text(
        danish("The parent is now a contact parent and has been told.")
    )

    anna.reload()
    anna.get_by_role("link", name=danish("Write to the group's parents")).click()
    check_page(anna)
    anna.get_by_label(danish("Your message to the group's parents")).fill(
        "Legeaftale i parken lørdag kl. 10?"
    )
    anna.get_by_role("button", name=danish("Send to the staff")).click()
    expect(anna).to_have_url(url_of(live_server, "community:group_names", cast.emil.pk))
    check_page(anna)

    carla.reload()
    check_page(carla)
    expect(carla.locator("main")).to_contain_text("Legeaftale i parken lørdag kl. 10?")
    carla.get_by_role("button", name=danish("Send to the group's parents")).click()
    check_page(carla)
    expect(carla.locator("main")).to_contain_text(danish("The message has gone to the group's parents."))
    assert Notification.objects.filter(
        user=liva_mother, kind=Notification.Kind.GROUP_MESSAGE, body="Legeaftale i parken lørdag kl. 10?"
    ).exists()


def test_a_family_shows_a_photo_and_invites_a_child_not_yet_met_who_says_yes(
    live_cast, live_server, new_context, tmp_path
):
    cast = live_cast
    liva = f.ChildFactory(municipality=cast.aarhus, first_name="Liva")
    f.EnrollmentFactory(child=liva, group=cast.mariehonen)
    liva_mother = f.GuardianshipFactory(child=liva).user
    NameSharing.objects.create(child=liva, user=liva_mother, show_name=True)
    NameSharing.objects.create(child=cast.emil, user=cast.anna, show_name=True)
    photo = tmp_path / "emil.jpg"
    Image.new("RGB", (640, 480), (30, 140, 90)).save(photo, "JPEG")

    anna = watch(new_context(**PHONE).new_page())
    log_in(anna, live_server, cast.anna, mfa=False)
    anna.goto(live_server.url + reverse("community:group_names", args=[cast.emil.pk]))
    anna.get_by_role("link", name=danish("Choose about the photo")).click()
    check_page(anna)
    anna.get_by_label(danish("Photo of your child")).set_input_files(str(photo))
    anna.get_by_label(danish("Yes, when everyone in our family with custody has said yes")).check()
    anna.get_by_role("button", name=danish("Save my answer")).click()
    expect(anna).to_have_url(url_of(live_server, "community:group_names", cast.emil.pk))
    check_page(anna)
    own = anna.locator(".community-names li", has_text="Emil").locator("img")
    expect(own).to_have_count(1)
    assert own.evaluate("img => img.complete && img.naturalWidth > 0")

    anna.get_by_role("link", name=danish("Invite %(name)s") % {"name": "Liva"}).click()
    check_page(anna)
    anna.get_by_label(danish("Day"), exact=True).fill((timezone.localdate() + timedelta(days=4)).isoformat())
    anna.get_by_label(danish("From"), exact=True).fill("15:00")
    anna.get_by_label(danish("Until"), exact=True).fill("17:00")
    anna.get_by_label(danish("Where"), exact=True).fill("Legepladsen ved skolen")
    anna.get_by_role("button", name=danish("Offer the play date")).click()
    expect(anna).to_have_url(url_of(live_server, "community:group_names", cast.emil.pk))
    check_page(anna)
    expect(anna.locator("main")).to_contain_text(
        danish("Your play date is offered. You are told when someone answers.")
    )

    mother = watch(new_context(**PHONE).new_page())
    log_in(mother, live_server, liva_mother, mfa=False)
    mother.goto(live_server.url + reverse("children:parent_home"))
    todo = danish("%(host)s has invited %(name)s to a play date") % {"host": "Emil", "name": "Liva"}
    mother.locator("main li", has_text=todo).get_by_role("link", name=danish("Answer")).click()
    check_page(mother)
    mother.get_by_label(danish("Yes, we are coming")).check()
    mother.get_by_role("button", name=danish("Send my answer")).click()
    check_page(mother)
    expect(mother.locator("main")).to_contain_text(danish("Thank you. The family has been told."))
    assert Notification.objects.filter(user=cast.anna, kind=Notification.Kind.PLAY_DATE).exists()


def test_staff_let_the_parents_choose_and_a_parent_votes_from_her_home(live_cast, live_server, new_context):
    cast = live_cast
    liva = f.ChildFactory(municipality=cast.aarhus, first_name="Liva")
    f.EnrollmentFactory(child=liva, group=cast.mariehonen)
    liva_mother = f.GuardianshipFactory(child=liva).user
    offer = contact_parent_volunteer(user=liva_mother, child=liva, group=cast.mariehonen)

    carla = watch(new_context(**PHONE).new_page())
    log_in(carla, live_server, cast.carla, mfa=True)
    carla.goto(live_server.url + reverse("community:group_contact", args=[cast.mariehonen.pk]))
    check_page(carla)
    carla.get_by_label(danish("How many contact parents should the parents choose?")).select_option("1")
    carla.get_by_role("button", name=danish("Open the vote")).click()
    check_page(carla)
    expect(carla.locator("main")).to_contain_text(
        danish("The vote is open. The group's parents have been told.")
    )

    anna = watch(new_context(**PHONE).new_page())
    log_in(anna, live_server, cast.anna, mfa=False)
    anna.goto(live_server.url + reverse("children:parent_home"))
    todo = danish("Choose the contact parents of %(group)s") % {"group": "Mariehønen"}
    anna.locator("main li", has_text=todo).get_by_role("link", name=danish("Vote")).click()
    expect(anna).to_have_url(url_of(live_server, "community:group_names", cast.emil.pk))
    check_page(anna)
    anna.get_by_label(offer.user.get_full_name()).check()
    anna.get_by_role("button", name=danish("Vote")).click()
    check_page(anna)
    expect(anna.locator("main")).to_contain_text(danish("You have voted."))

    carla.get_by_role("button", name=danish("Close the vote now and count")).click()
    check_page(carla)
    expect(carla.locator("main")).to_contain_text(danish("The vote is closed and counted."))
    offer.refresh_from_db()
    assert offer.status == "appointed"
