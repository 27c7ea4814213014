"""The portal's main journeys in real Chromium: logging in, a learning goal from pedagogue to parent,
and a form with errors. Every page the tests see is checked with axe-core (WCAG 2.0/2.1 A and AA)
and at 320 px for sideways scrolling, and any JavaScript error, console error or Content Security
Policy violation fails the test.

The portal speaks Danish by default (the browser asks for da-DK), so the tests look for URLs, ids,
roles and names from the cast, and take any interface text from the Danish catalogue.
"""

import functools
import re
import time
import weakref
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from children.models import LearningGoal
from portal.audit.models import AccessEvent
from tests.browser.checks import NARROWEST
from tests.conftest import TOTP_SECRET

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
HORIZONTAL_OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

GOAL = {
    "title": "Kan fortælle om sin dag",
    "theme": LearningGoal.Theme.LANGUAGE,
    "description": "Emil øver at fortælle med hele sætninger, når vi samles efter frokost.",
    "home_activity": "Spørg ved aftensmaden, hvad der var det sjoveste i dag, og lad ham fortælle færdigt.",
    "status": LearningGoal.Status.PLANNED,
}


def danish(text) -> str:
    """Interface text as the portal shows it by default: a msgid or a lazy label, in Danish."""
    with translation.override("da"):
        return gettext(text) if isinstance(text, str) else str(text)


# --- Checks on every page -----------------------------------------------------------------------

_problems: "weakref.WeakKeyDictionary[Page, list[str]]" = weakref.WeakKeyDictionary()


def watch(page: Page) -> Page:
    """Collect JavaScript errors, console errors and CSP violations on the page from now on."""
    problems = _problems.setdefault(page, [])

    def on_console(message):
        text = message.text
        if message.type == "error" or "Content Security Policy" in text or "Refused to" in text:
            problems.append(f"console {message.type} on {page.url}: {text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"JavaScript error on {page.url}: {error}"))
    return page


def assert_no_console_problems(page: Page) -> None:
    problems = _problems.get(page, [])
    assert not problems, "The browser reported:\n" + "\n".join(problems)


@functools.cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8") + "\n;undefined"


def assert_accessible(page: Page) -> None:
    """Run axe-core on the page as it is now; any WCAG 2.0/2.1 A or AA violation fails."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Not page.add_script_tag(): that injects an inline <script>, which the portal's CSP
        # (script-src 'self' 'nonce-…') rightly refuses. Evaluating through DevTools is not subject to it.
        page.evaluate(_axe_source())
    violations = page.evaluate(
        """async (tags) => {
            const options = {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']};
            const result = await axe.run(document, options);
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ') + ' -> ' + n.html.slice(0, 160)),
            }));
        }""",
        WCAG_TAGS,
    )
    report = [
        f"{v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(f"    {node}" for node in v["nodes"])
        for v in violations
    ]
    summary = f"axe-core found {len(violations)} violation(s) on {page.url}:\n"
    assert not violations, summary + "\n".join(report)


def assert_fits_the_narrowest_phone(page: Page) -> None:
    """The page as it is now (after scripts and htmx swaps) does not scroll sideways at 320 px."""
    size = page.viewport_size
    page.set_viewport_size(NARROWEST)
    try:
        overflow = page.evaluate(HORIZONTAL_OVERFLOW)
    finally:
        page.set_viewport_size(size)
    assert overflow <= 0, f"{page.url} is {overflow}px wider than a 320 px screen"


def check_page(page: Page) -> None:
    """After every navigation or change: the page loaded cleanly, is accessible and fits a phone."""
    page.wait_for_load_state("load")
    assert_no_console_problems(page)
    assert_accessible(page)
    assert_fits_the_narrowest_phone(page)
    assert_no_console_problems(page)


def url_of(live_server, name: str, *args) -> re.Pattern:
    return re.compile("^" + re.escape(live_server.url + reverse(name, args=args)) + r"(\?.*)?$")


# --- Logging in through the real forms ----------------------------------------------------------


def _current_totp_code() -> str:
    # A code is good only in its own 30-second window (no tolerance): do not start one at its end.
    into_window = time.time() % 30
    if into_window > 27:
        time.sleep(30.2 - into_window)
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))


def _enter_totp(page: Page) -> None:
    for attempt in range(2):
        page.locator("#id_code").fill(_current_totp_code())
        with page.expect_navigation():
            # The cancel button sits in this form too, but belongs to the logout form (form="…").
            page.locator("form:has(#id_code) [type=submit]:not([form])").click()
        if reverse("mfa_authenticate") not in page.url:
            return
        # allauth takes each code only once per user; another login may just have used this one.
        assert attempt == 0, "The authenticator code was refused twice"
        check_page(page)
        time.sleep(30.2 - time.time() % 30)


def log_in(page: Page, live_server, user, *, mfa: bool) -> None:
    """From the welcome page through the login form (and the authenticator step for staff)."""
    page.goto(live_server.url + reverse("home"))
    expect(page.locator("html")).to_have_attribute("lang", "da")
    check_page(page)
    page.locator(f"header a[href='{reverse('account_login')}']").click()
    expect(page).to_have_url(url_of(live_server, "account_login"))
    check_page(page)
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form:has(#id_password) [type=submit]").click()
    if mfa:
        expect(page).to_have_url(url_of(live_server, "mfa_authenticate"))
        check_page(page)
        _enter_totp(page)
    expect(page.locator(".portal-user-name")).to_contain_text(user.get_full_name())


@pytest.fixture
def open_page(new_context):
    """open_page(**context_args): a page in a browser context of its own (its own cookies)."""

    def _open(**context_args) -> Page:
        return watch(new_context(**context_args).new_page())

    return _open


# --- Journeys -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anna", "carla", "erik"])
def test_each_role_logs_in_and_reaches_their_home(live_cast, live_server, open_page, who):
    cast = live_cast
    page = open_page()
    log_in(page, live_server, getattr(cast, who), mfa=who != "anna")
    main = page.locator("main")

    if who == "anna":
        expect(page).to_have_url(url_of(live_server, "children:parent_home"))
        card = main.locator(".card").filter(has=page.get_by_role("link", name="Emil Jensen"))
        expect(card).to_have_count(1)
        expect(card.get_by_role("link", name="Emil Jensen")).to_have_attribute(
            "href", reverse("children:child_detail", args=[cast.emil.pk])
        )
        expect(card).to_contain_text("Børnehuset Solsikken, Mariehønen")
        expect(card).to_contain_text("Carla Hansen")
        expect(main).not_to_contain_text("Freja")
    elif who == "carla":
        expect(page).to_have_url(url_of(live_server, "children:staff_home"))
        group = main.get_by_role("link", name="Mariehønen")
        expect(group).to_have_attribute("href", reverse("children:group_detail", args=[cast.mariehonen.pk]))
        row = main.get_by_role("row").filter(has=page.get_by_role("link", name="Mariehønen"))
        expect(row).to_contain_text("Børnehuset Solsikken")
        expect(main.get_by_role("link", name="Bien")).to_have_count(0)
    else:
        expect(page).to_have_url(url_of(live_server, "organisation:admin_home"))
        expect(main.get_by_role("heading", level=1)).to_have_text("Aarhus Kommune")
        # Aarhus has Emil, Freja, Ida and the expected baby; Søren lives in Skanderborg.
        expect(main.locator(".portal-figure").first).to_have_text("4")
    check_page(page)


def test_pedagogue_records_a_goal_and_the_parent_sees_it_on_her_phone(live_cast, live_server, open_page):
    cast = live_cast
    page = open_page()
    log_in(page, live_server, cast.carla, mfa=True)
    expect(page).to_have_url(url_of(live_server, "children:staff_home"))
    check_page(page)

    page.locator("main").get_by_role("link", name="Mariehønen").click()
    expect(page).to_have_url(url_of(live_server, "children:group_detail", cast.mariehonen.pk))
    check_page(page)
    page.locator("main").get_by_role("link", name="Emil Jensen").click()
    expect(page).to_have_url(url_of(live_server, "children:child_detail", cast.emil.pk))
    check_page(page)
    page.locator(f"main a[href='{reverse('children:goal_create', args=[cast.emil.pk])}']").click()
    expect(page).to_have_url(url_of(live_server, "children:goal_create", cast.emil.pk))
    check_page(page)

    page.locator("#id_title").fill(GOAL["title"])
    page.locator("#id_theme").select_option(GOAL["theme"])
    page.locator("#id_description").fill(GOAL["description"])
    page.locator("#id_home_activity").fill(GOAL["home_activity"])
    page.locator("#id_status").select_option(GOAL["status"])
    page.locator("form:has(#id_title) [type=submit]").click()

    expect(page).to_have_url(url_of(live_server, "children:child_detail", cast.emil.pk))
    goal = LearningGoal.objects.get(child=cast.emil)
    assert (goal.title, goal.theme, goal.status) == (GOAL["title"], GOAL["theme"], GOAL["status"])
    assert (goal.created_by, goal.institution) == (cast.carla, cast.solsikken)
    saved = danish(
        "The goal is saved in the draft of the plan. %(name)s's parents read it when you publish the plan."
    ) % {"name": "Emil"}
    expect(page.locator("#messages")).to_contain_text(saved)
    card = page.locator(f"#goal-{goal.pk}")
    expect(card.get_by_role("heading", name=GOAL["title"])).to_be_visible()
    expect(card).to_contain_text(GOAL["home_activity"])
    expect(card.locator(".badge")).to_have_text(danish(LearningGoal.Status.PLANNED.label))
    check_page(page)

    # The status form is enhanced by htmx: only the goal's card is replaced, the page stays.
    page.evaluate("() => { window.__samePage = 'yes'; }")
    card.locator("select[name=status]").select_option(LearningGoal.Status.ACHIEVED)
    status_url = live_server.url + reverse("children:goal_status", args=[cast.emil.pk, goal.pk])
    with page.expect_response(lambda r: r.url == status_url and r.request.method == "POST") as response:
        card.get_by_role("button").click()
    assert response.value.status == 200
    assert response.value.request.headers.get("hx-request") == "true"
    expect(card.locator(".badge")).to_have_text(danish(LearningGoal.Status.ACHIEVED.label))
    expect(card.locator("select[name=status]")).to_have_value(LearningGoal.Status.ACHIEVED)
    expect(page.locator(f"#goal-{goal.pk}")).to_have_count(1)  # swapped, not nested
    assert page.evaluate("() => window.__samePage") == "yes", "the status change reloaded the page"
    goal.refresh_from_db()
    assert goal.status == LearningGoal.Status.ACHIEVED
    check_page(page)

    # The goal is a draft until Carla publishes the plan.
    page.locator("main").get_by_role("link", name=re.compile(re.escape(cast.solsikken.name))).first.click()
    expect(page).to_have_url(url_of(live_server, "children:plan_detail", goal.plan_id))
    check_page(page)
    page.locator("form[action$='/publish/'] [type=submit]").click()
    expect(page).to_have_url(url_of(live_server, "children:plan_detail", goal.plan_id))
    assert goal.plan.versions.get().number == 1
    check_page(page)

    # Anna, on her phone, in a browser of her own.
    phone = open_page(**PHONE)
    log_in(phone, live_server, cast.anna, mfa=False)
    expect(phone).to_have_url(url_of(live_server, "children:parent_home"))
    news = phone.locator("main").get_by_role("link", name=GOAL["title"])
    emil_url = reverse("children:child_detail", args=[cast.emil.pk])
    expect(news).to_have_attribute("href", f"{emil_url}#goal-{goal.pk}")
    check_page(phone)
    news.click()
    expect(phone).to_have_url(re.compile(re.escape(f"{live_server.url}{emil_url}#goal-{goal.pk}") + "$"))
    check_page(phone)
    card = phone.locator(f"#goal-{goal.pk}")
    expect(card.get_by_role("heading", name=GOAL["title"])).to_be_visible()
    expect(card.get_by_role("heading", name=danish("What you can do at home"))).to_be_visible()
    expect(card).to_contain_text(GOAL["home_activity"])
    expect(card).to_contain_text(GOAL["description"])
    expect(card.locator(".badge")).to_have_text(danish(LearningGoal.Status.ACHIEVED.label))
    expect(card.locator("form")).to_have_count(0)  # parents read; they do not change the status
    overflow = phone.evaluate(HORIZONTAL_OVERFLOW)
    assert overflow <= 0, f"The page is {overflow}px wider than the phone"


def test_an_empty_goal_form_shows_an_error_summary_and_saves_nothing(live_cast, live_server, open_page):
    cast = live_cast
    page = open_page()
    log_in(page, live_server, cast.carla, mfa=True)
    page.goto(live_server.url + reverse("children:goal_create", args=[cast.emil.pk]))
    check_page(page)

    page.locator("form:has(#id_title) [type=submit]").click()
    summary = page.locator(".portal-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_be_focused()  # DKFDS moves focus to the summary, so it is read out first
    expect(page).to_have_url(url_of(live_server, "children:goal_create", cast.emil.pk))
    check_page(page)

    links = summary.get_by_role("link")
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert sorted(hrefs) == ["#id_description", "#id_home_activity", "#id_theme", "#id_title"]
    for href in hrefs:
        field = page.locator(href)
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_attribute("aria-describedby", re.compile(rf"\b{href[1:]}_error\b"))
    summary.locator("a[href='#id_home_activity']").click()
    expect(page.locator("#id_home_activity")).to_be_focused()
    summary.locator("a[href='#id_title']").click()
    expect(page.locator("#id_title")).to_be_focused()
    assert_no_console_problems(page)

    assert not LearningGoal.objects.exists()
    assert not AccessEvent.objects.filter(child=cast.emil, action=AccessEvent.Action.CREATE).exists()
