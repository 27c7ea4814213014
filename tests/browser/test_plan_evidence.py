"""Evidence in real Chromium: Dorte writes a focus point in Freja's pupil plan, adds a photo from her
phone's camera (with its location), and publishes; Bo reads the plan on his phone and sees the photo,
cleaned; he asks for it to be taken down, it is gone at once, and Dorte removes it from her to-do.
Every page is checked with axe-core, the Nu checker, for console errors, CSP violations and sideways
scrolling at 320 px."""

import io
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from children.models import Evidence, FocusPoint
from children.services.plans import plan_for_place
from tests.browser.test_journeys import PHONE, check_page, danish, log_in, watch
from tests.children.test_evidence import jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_teacher_publishes_a_pupil_plan_with_a_focus_point_and_a_photo(
    live_cast, live_server, new_context, evidence_storage
):
    cast = live_cast
    plan = plan_for_place(child=cast.freja, institution=cast.school, school_year=1)
    # The plan page, at an entry's anchor or not.
    plan_url = re.compile(
        re.escape(live_server.url + reverse("children:plan_detail", args=[plan.pk])) + "(#.*)?$"
    )
    dorte = watch(new_context().new_page())
    log_in(dorte, live_server, cast.dorte, mfa=True)
    dorte.goto(live_server.url + reverse("children:plan_detail", args=[plan.pk]))
    check_page(dorte)

    dorte.locator(f"main a[href='{reverse('children:focus_point_create', args=[plan.pk])}']").click()
    check_page(dorte)
    dorte.locator("#id_area").select_option(FocusPoint.Area.DANISH)
    dorte.locator("#id_title").fill("Læse længere tekster")
    dorte.locator("#id_school_effort").fill("Læsebånd hver morgen.")
    dorte.locator("#id_home_support").fill("Læs 20 minutter sammen hver aften.")
    dorte.locator("form:has(#id_title) [type=submit]").click()
    point = FocusPoint.objects.get(plan=plan)
    expect(dorte).to_have_url(plan_url)
    check_page(dorte)

    # The photo, added to the focus point.
    card = dorte.locator(f"#focus-{point.pk}")
    card.locator("summary", has_text=danish("Add a photo or file")).click()
    card.locator(f"#file-focus-{point.pk}").set_input_files(
        files=[{"name": "IMG_2041.jpg", "mimeType": "image/jpeg", "buffer": jpeg(size=(600, 300))}]
    )
    card.locator(f"#caption-focus-{point.pk}").fill("Freja læser højt for klassen")
    card.get_by_role("button", name=danish("Add to the draft")).click()
    expect(dorte).to_have_url(plan_url)
    evidence = Evidence.objects.get(plan=plan)
    assert (evidence.focus_point, evidence.published_in) == (point, None)
    photo = dorte.locator(f"#focus-{point.pk} img")
    expect(photo).to_have_attribute("alt", "Freja læser højt for klassen")
    check_page(dorte)

    dorte.locator("form[action$='/publish/'] [type=submit]").click()
    expect(dorte).to_have_url(plan_url)
    evidence.refresh_from_db()
    assert evidence.published_in == 1
    check_page(dorte)

    # Bo, on his phone, reads the plan and sees the photo (upright, without the camera's data).
    bo = watch(new_context(**PHONE).new_page())
    log_in(bo, live_server, cast.bo, mfa=False)
    bo.goto(live_server.url + reverse("children:plan_detail", args=[plan.pk]))
    check_page(bo)
    photo = bo.locator(f"#focus-{point.pk} img")
    expect(photo).to_be_visible()
    assert bo.evaluate("(img) => img.complete && img.naturalWidth", photo.element_handle()) == 240
    full = bo.request.get(live_server.url + reverse("children:evidence_file", args=[evidence.pk]))
    assert full.status == 200 and full.headers["content-type"] == "image/jpeg"
    assert b"SpyCam" not in full.body()
    from PIL import Image

    assert Image.open(io.BytesIO(full.body())).size == (300, 600)

    # He asks for it to be taken down: it is gone for everyone at once.
    bo.locator(f"#focus-{point.pk}").get_by_role("button", name=danish("Ask to take it down")).click()
    expect(bo).to_have_url(plan_url)
    expect(bo.locator(f"#focus-{point.pk} img")).to_have_count(0)
    check_page(bo)

    # Dorte's home has the to-do; she removes the photo.
    dorte.goto(live_server.url + reverse("children:staff_home"))
    todo = dorte.locator("main").get_by_role("link", name=danish("Remove it"))
    expect(todo).to_be_visible()
    check_page(dorte)
    todo.click()
    expect(dorte.locator(f"#focus-{point.pk} img")).to_have_count(0)
    dorte.locator(f"#evidence-{evidence.pk}").get_by_role("button", name=danish("Remove")).click()
    expect(dorte).to_have_url(plan_url)
    check_page(dorte)
    assert not Evidence.objects.exists()
    assert not [p for p in evidence_storage.rglob("*") if p.is_file()]
