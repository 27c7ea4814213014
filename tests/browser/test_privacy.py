"""A family's copy of its data in real Chromium on a phone: Anna goes from Emil's page to the copies page,
asks for a copy, is told on her home that it is ready, and downloads the PDF and the JSON. Every page is
checked with axe-core, the Nu checker, for console errors and sideways scrolling at 320 px."""

import json
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_journeys import check_page, danish, log_in, url_of, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


def test_a_parent_gets_a_copy_of_everything_about_her_child(live_cast, live_server, new_context):
    cast = live_cast
    anna = watch(new_context(accept_downloads=True, **PHONE).new_page())
    log_in(anna, live_server, cast.anna, mfa=False)
    anna.goto(live_server.url + reverse("children:child_detail", args=[cast.emil.pk]))
    anna.get_by_role(
        "link", name=danish("Get a copy of everything the portal holds about your child")
    ).click()
    expect(anna).to_have_url(url_of(live_server, "privacy:export_list", cast.emil.pk))
    check_page(anna)

    anna.get_by_role("button", name=danish("Make a copy")).click()
    expect(anna).to_have_url(url_of(live_server, "privacy:export_list", cast.emil.pk))
    check_page(anna)

    anna.goto(live_server.url + reverse("children:parent_home"))
    check_page(anna)
    todo = danish("Download your copy of %(name)s's data") % {"name": "Emil"}
    anna.locator("main li", has_text=todo).get_by_role("link", name=danish("Download")).click()
    expect(anna).to_have_url(url_of(live_server, "privacy:export_list", cast.emil.pk))
    check_page(anna)

    with anna.expect_download() as pdf:
        anna.get_by_role("link", name="PDF").click()
    assert Path(pdf.value.path()).read_bytes()[:5] == b"%PDF-"
    with anna.expect_download() as document:
        anna.get_by_role("link", name="JSON").click()
    data = json.loads(Path(document.value.path()).read_text(encoding="utf-8"))
    assert data["child"]["name"] == cast.emil.full_name
