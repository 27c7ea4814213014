"""The family's side of a learning plan in real Chromium on phones: Anna reads the new plan from her
home, comments on the goal and says they tried the activity at home; Carla sees her notes and that
Anna, not yet Mikkel, has read the plan; Mikkel, without custody, reads the notes and may only
comment. Every page is checked with axe-core, the Nu checker, for console errors, CSP violations and
sideways scrolling at 320 px."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from children.models import PlanNote, PlanRead
from tests import factories as f
from tests.browser.test_journeys import PHONE, check_page, danish, log_in, url_of, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMMENT = "Emil fortæller meget om bøgerne hjemme."
TRIED = "Vi læste hver aften; han pegede selv på billederne."


def _write_note(page, goal, kind: str, text: str) -> None:
    card = page.locator(f"#goal-{goal.pk}")
    card.locator("details.portal-note-form summary").click()
    card.locator(f"#kind-goal-{goal.pk}").select_option(kind)
    card.locator(f"#text-goal-{goal.pk}").fill(text)
    card.get_by_role("button", name=danish("Save note")).click()


def test_parent_reads_the_new_plan_comments_and_says_how_the_home_activity_went(
    live_cast, live_server, new_context
):
    cast = live_cast
    goal = f.LearningGoalFactory(child=cast.emil, institution=cast.solsikken, created_by=cast.carla)
    f.publish_plan(goal.plan, by=cast.carla)
    plan_url = url_of(live_server, "children:plan_detail", goal.plan_id)
    at_the_goal = re.compile(
        re.escape(live_server.url + reverse("children:plan_detail", args=[goal.plan_id]) + f"#goal-{goal.pk}")
        + "$"
    )

    # Anna's home says there is a new plan to read; she reads it on her phone.
    anna = watch(new_context(**PHONE).new_page())
    log_in(anna, live_server, cast.anna, mfa=False)
    anna.locator("main").get_by_role("link", name=danish("Read the new plan")).first.click()
    expect(anna).to_have_url(plan_url)
    check_page(anna)
    card = anna.locator(f"#goal-{goal.pk}")
    expect(card.get_by_role("heading", name=goal.title)).to_be_visible()
    expect(card).to_contain_text(goal.home_activity)
    assert PlanRead.objects.filter(version__plan=goal.plan, user=cast.anna).exists()

    # A comment, then "we tried it at home".
    _write_note(anna, goal, PlanNote.Kind.COMMENT, COMMENT)
    expect(anna).to_have_url(at_the_goal)
    expect(anna.locator("#messages")).to_contain_text(danish("Your note is saved."))
    check_page(anna)
    _write_note(anna, goal, PlanNote.Kind.TRIED, TRIED)
    expect(anna).to_have_url(at_the_goal)
    check_page(anna)
    card = anna.locator(f"#goal-{goal.pk}")
    expect(card).to_contain_text(COMMENT)
    expect(card).to_contain_text(TRIED)
    notes = PlanNote.objects.filter(goal=goal, author=cast.anna).order_by("created_at", "pk")
    assert [(n.kind, n.text, n.author_role) for n in notes] == [
        (PlanNote.Kind.COMMENT, COMMENT, PlanNote.Role.CUSTODY),
        (PlanNote.Kind.TRIED, TRIED, PlanNote.Role.CUSTODY),
    ]
    # The home no longer asks her to read it.
    anna.goto(live_server.url + reverse("children:parent_home"))
    expect(anna.locator("main").get_by_role("link", name=danish("Read the new plan"))).to_have_count(0)

    # Carla sees the family's notes and who has read the plan.
    carla = watch(new_context(**PHONE).new_page())
    log_in(carla, live_server, cast.carla, mfa=True)
    carla.goto(live_server.url + reverse("children:plan_detail", args=[goal.plan_id]))
    check_page(carla)
    card = carla.locator(f"#goal-{goal.pk}")
    expect(card).to_contain_text(COMMENT)
    expect(card).to_contain_text(f"{cast.anna.get_full_name()}, {danish('Parent')}")
    read_row = carla.locator("tr", has_text=cast.anna.get_full_name())
    expect(read_row).not_to_contain_text(danish("Not yet"))
    expect(carla.locator("tr", has_text=cast.mikkel.get_full_name())).to_contain_text(danish("Not yet"))

    # Mikkel, without custody, reads the notes and may only comment.
    mikkel = watch(new_context(**PHONE).new_page())
    log_in(mikkel, live_server, cast.mikkel, mfa=False)
    mikkel.goto(live_server.url + reverse("children:plan_detail", args=[goal.plan_id]))
    check_page(mikkel)
    card = mikkel.locator(f"#goal-{goal.pk}")
    expect(card).to_contain_text(TRIED)
    card.locator("details.portal-note-form summary").click()
    options = card.locator(f"#kind-goal-{goal.pk} option")
    expect(options).to_have_count(1)
    expect(options).to_have_attribute("value", PlanNote.Kind.COMMENT)
