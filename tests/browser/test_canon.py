"""The local canon in real Chromium: Erik adds a song to Aarhus's canon, Carla marks it for Mariehønen
on her phone, Anna reads its words on Emil's page on her phone, and Dorte sees that one of the children
starting at Skovvangskolen knows it. Every page is checked with axe-core, the Nu checker, for console
errors, CSP violations and sideways scrolling at 320 px."""

import re
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_journeys import check_page, danish, log_in, url_of, watch
from transitions import services
from transitions.models import CanonItem, CanonUse, Transition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


def at(live_server, name, *args):
    """The page's address, with any query and fragment (the lists jump to the item changed)."""
    return re.compile(url_of(live_server, name, *args).pattern.removesuffix("$") + "(#.*)?$")


WORDS = "Mester Jakob, Mester Jakob,\nsover du? Sover du?"


def test_a_song_goes_from_the_canon_to_the_group_the_family_and_the_new_school(
    live_cast, live_server, new_context
):
    cast = live_cast
    erik = watch(new_context().new_page())
    log_in(erik, live_server, cast.erik, mfa=True)
    erik.get_by_role("link", name=danish("Songs, stories and rhymes")).click()
    expect(erik).to_have_url(url_of(live_server, "transitions:canon_admin"))
    check_page(erik)
    erik.get_by_role("link", name=danish("Add a song, story or rhyme")).click()
    check_page(erik)
    erik.get_by_label(danish(CanonItem.Kind.SONG.label)).check()
    erik.locator("#id_title").fill("Mester Jakob")
    erik.locator("#id_age_band").select_option(CanonItem.AgeBand.NURSERY)
    erik.locator("#id_text").fill(WORDS)
    erik.locator("#id_link").fill("javascript:alert(1)")
    erik.locator("main form [type=submit]").click()
    check_page(erik)  # refused, with the message at the field
    expect(erik.locator("main")).to_contain_text(danish("Enter a web address starting with https://."))
    erik.locator("#id_link").fill("https://kb.dk/mester-jakob")
    erik.locator("main form [type=submit]").click()
    expect(erik).to_have_url(at(live_server, "transitions:canon_admin"))
    check_page(erik)
    song = CanonItem.objects.get()

    carla = watch(new_context(**PHONE).new_page())
    log_in(carla, live_server, cast.carla, mfa=True)
    carla.goto(live_server.url + reverse("children:group_detail", args=[cast.mariehonen.pk]))
    check_page(carla)
    carla.get_by_role("link", name=danish("Songs, stories and rhymes the group uses")).click()
    check_page(carla)
    carla.locator(f"#id_i{song.pk}-since").fill((timezone.localdate() - timedelta(days=90)).isoformat())
    carla.locator(f"#item-{song.pk}").get_by_role("button", name=danish("We use it")).click()
    expect(carla).to_have_url(at(live_server, "transitions:group_canon", cast.mariehonen.pk))
    check_page(carla)
    assert CanonUse.objects.get().group == cast.mariehonen

    anna = watch(new_context(**PHONE).new_page())
    log_in(anna, live_server, cast.anna, mfa=False)
    anna.goto(live_server.url + reverse("children:child_detail", args=[cast.emil.pk]))
    check_page(anna)
    anna.get_by_role(
        "link",
        name=danish("Songs, stories and rhymes %(name)s knows: sing and read them at home too")
        % {"name": "Emil"},
    ).click()
    expect(anna).to_have_url(url_of(live_server, "transitions:child_canon", cast.emil.pk))
    check_page(anna)
    expect(anna.locator("main")).to_contain_text("sover du? Sover du?")
    expect(anna.locator("main")).to_contain_text("Mariehønen")

    request = RequestFactory().post("/")
    request.user = cast.carla
    f_start = timezone.localdate() + timedelta(days=60)
    from tests import factories as f

    f.EnrollmentFactory(child=cast.emil, group=cast.class_1a, started_on=f_start)
    transition = services.transition_create(
        request=request,
        child=cast.emil,
        enrollment=cast.emil.enrollments.get(institution=cast.solsikken),
        kind=Transition.Kind.DAYCARE_TO_SCHOOL,
        receiving_institution=cast.school,
        receiving_group=cast.class_1a,
        planned_on=f_start,
    )
    services.handover_send_request(request=request, handover=transition.handover)
    services.handover_deliver(handover_id=transition.handover.pk)

    dorte = watch(new_context(**PHONE).new_page())
    log_in(dorte, live_server, cast.dorte, mfa=True)
    dorte.goto(live_server.url + reverse("transitions:incoming"))
    check_page(dorte)
    dorte.get_by_role("link", name=danish("Songs, stories and rhymes our new children know")).click()
    expect(dorte).to_have_url(url_of(live_server, "transitions:incoming_canon"))
    check_page(dorte)
    expect(dorte.locator("main")).to_contain_text("Mester Jakob")
    expect(dorte.locator("main")).to_contain_text(danish("%(known)s of %(total)s") % {"known": 1, "total": 1})
    expect(dorte.locator("main")).not_to_contain_text("Emil")
