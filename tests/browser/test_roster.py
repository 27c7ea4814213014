"""The roster import in real Chromium: Erik uploads the roster files, reads the dry run, applies it and
reads the report; an import being applied shows a progress bar that follows the work and gives way to the
report when it is done. Every page is checked with axe-core, the Nu checker, for console errors and
sideways scrolling."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from children.models import Child
from portal.roster.models import ImportRun
from tests.browser.test_journeys import check_page, danish, log_in, url_of, watch
from tests.roster.test_import import FILES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_imports_the_roster_and_reads_the_report(
    live_cast, live_server, new_context, tmp_path
):
    cast = live_cast
    paths = []
    for name, text in FILES.items():
        path = tmp_path / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    erik = watch(new_context().new_page())
    log_in(erik, live_server, cast.erik, mfa=True)
    erik.goto(live_server.url + reverse("roster:import_list"))
    check_page(erik)
    erik.get_by_role("link", name=danish("The format of the files, with examples")).click()
    check_page(erik)
    erik.go_back()

    erik.get_by_label(danish("The roster files")).set_input_files(paths)
    erik.get_by_role("button", name=danish("Check the files")).click()
    run = ImportRun.objects.latest("pk")
    expect(erik).to_have_url(url_of(live_server, "roster:import_detail", run.pk))
    check_page(erik)
    main = erik.locator("main")
    expect(main).to_contain_text(danish("What the import would do"))
    assert not Child.objects.filter(external_id="E-1").exists()

    erik.get_by_role("button", name=danish("Apply the import")).click()
    check_page(erik)
    expect(main).to_contain_text(danish("What the import did"))
    assert Child.objects.filter(external_id="E-1").exists()
    erik.get_by_role("link", name=danish("All"), exact=True).click()
    check_page(erik)
    expect(main.locator("tbody tr")).to_have_count(12)

    # An import being applied: the bar shows how far it is, and the report replaces it when it is done.
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.APPLYING, done=3, total=10)
    erik.goto(live_server.url + reverse("roster:import_detail", args=[run.pk]))
    check_page(erik)
    expect(erik.locator("progress")).to_have_attribute("value", "30")
    ImportRun.objects.filter(pk=run.pk).update(done=7)
    expect(erik.locator("progress")).to_have_attribute("value", "70", timeout=10_000)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.APPLIED, done=10)
    expect(main).to_contain_text(danish("What the import did"), timeout=10_000)
    check_page(erik)
