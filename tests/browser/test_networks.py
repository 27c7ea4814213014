"""A parent network in real Chromium, on phones: Sofie forms a network of two expecting families from
her home and plans its first meeting; Maja (Baby's mother) and Sara (Ellen's mother) each say yes from
their homes and then see the other's first names; Sara takes her yes back and Maja sees only "Familie 2"
again. Every page is checked with axe-core, the Nu checker, for console errors, CSP violations and
sideways scrolling at 320 px."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_journeys import check_page, danish, log_in, url_of, watch
from tests.transitions.networks_world import expecting
from transitions.models import Network

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


def say(page, yes: bool) -> None:
    answer = "Yes: the families who have also said yes see our first names and our child's"
    if not yes:
        answer = "No: the others see us only as a family number"
    page.get_by_label(danish(answer)).check()
    page.get_by_role("button", name=danish("Save my answer")).click()
    check_page(page)


def test_a_network_is_formed_and_the_families_share_first_names_by_consent(
    live_cast, live_server, new_context
):
    cast = live_cast
    ellen, sara = expecting(cast, "Ellen", parent_first_name="Sara")

    sofie = watch(new_context(**PHONE).new_page())
    log_in(sofie, live_server, cast.sofie, mfa=True)
    sofie.get_by_role("link", name=danish("Parent networks"), exact=True).click()
    expect(sofie).to_have_url(url_of(live_server, "transitions:networks"))
    check_page(sofie)
    sofie.get_by_role("link", name=danish("Form a network")).click()
    check_page(sofie)
    sofie.get_by_label(danish("Name of the network")).fill("Netværk Vest, vinter")
    sofie.get_by_label(re.compile("^Baby Holm")).check()
    sofie.get_by_label(re.compile("^Ellen Efternavnsen")).check()
    sofie.locator("main form[method=post] [type=submit]").click()
    network = Network.objects.get()
    expect(sofie).to_have_url(url_of(live_server, "transitions:network_detail", network.pk))
    check_page(sofie)
    expect(sofie.locator("main")).to_contain_text("Ellen Efternavnsen")
    expect(sofie.locator(".alert-warning")).to_be_visible()  # two families: fewer than 8–10

    sofie.get_by_role("link", name=danish("Plan a meeting")).click()
    check_page(sofie)
    sofie.get_by_label(danish("Title")).fill("Søvn og de første uger")
    sofie.locator("#id_day").fill((timezone.localdate() + timedelta(days=12)).isoformat())
    sofie.locator("#id_location").fill("Sundhedshuset, lokale 2")
    sofie.locator("main form[method=post] [type=submit]").click()
    expect(sofie).to_have_url(url_of(live_server, "transitions:network_detail", network.pk))
    check_page(sofie)
    expect(sofie.locator("main")).to_contain_text("Søvn og de første uger")

    # Maja answers from the to-do on her home.
    maja = watch(new_context(**PHONE).new_page())
    log_in(maja, live_server, cast.holm, mfa=False)
    maja.goto(live_server.url + reverse("children:parent_home"))
    check_page(maja)
    todo = danish("Say whether the network “%(network)s” may see your names") % {
        "network": "Netværk Vest, vinter"
    }
    expect(maja.locator("main")).to_contain_text(todo)
    maja.get_by_role("link", name=danish("Decide")).click()
    expect(maja).to_have_url(url_of(live_server, "transitions:network_family", cast.baby.pk))
    check_page(maja)
    expect(maja.locator("main")).to_contain_text("Søvn og de første uger")
    say(maja, yes=True)
    expect(maja.locator("main")).to_contain_text(danish("Family %(number)s") % {"number": 2})
    expect(maja.locator("main")).not_to_contain_text("Sara")

    # Sara opens "My network" from her home and says yes: each now sees the other's first names.
    mother = watch(new_context(**PHONE).new_page())
    log_in(mother, live_server, sara, mfa=False)
    mother.goto(live_server.url + reverse("children:parent_home"))
    check_page(mother)
    mother.get_by_role("link", name=danish("My network")).click()
    expect(mother).to_have_url(url_of(live_server, "transitions:network_family", ellen.pk))
    check_page(mother)
    say(mother, yes=True)
    expect(mother.locator("main")).to_contain_text("Baby, Maja")
    expect(mother.locator("main")).not_to_contain_text("Holm")
    maja.reload()
    check_page(maja)
    expect(maja.locator("main")).to_contain_text("Ellen, Sara")

    # Sara takes it back: at once, Maja sees only the number again.
    say(mother, yes=False)
    expect(mother.locator("main")).not_to_contain_text("Maja")
    maja.reload()
    check_page(maja)
    expect(maja.locator("main")).not_to_contain_text("Sara")
    expect(maja.locator("main")).to_contain_text(danish("Family %(number)s") % {"number": 2})
