"""The two-step verification pages and the account menu in real Chromium, at 320, 360 and 1280 px:
nothing wider than the window, no card running into the footer, axe clean, one Danish word for
two-step verification, and the account pages under the person's name, also by keyboard."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.test_journeys import HORIZONTAL_OVERFLOW, PASSWORD, check_page, danish, log_in, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [320, 360, 1280]

# The bottom of the lowest element in <main> may not pass the top of the footer, and no element may
# reach beyond the window's right edge.
LAYOUT = """() => {
    const footer = document.querySelector('footer').getBoundingClientRect().top;
    const width = document.documentElement.clientWidth;
    const problems = [];
    for (const el of document.querySelectorAll('main *')) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.height === 0 || el.closest('.sr-only')) continue;
        const name = el.tagName.toLowerCase() + '.' + String(el.className).split(' ').join('.');
        const below = Math.round(box.bottom - footer), beyond = Math.round(box.right - width);
        if (below > 0) problems.push(`${name} runs ${below}px into the footer`);
        if (beyond > 0) problems.push(`${name} reaches ${beyond}px past the window`);
    }
    return problems;
}"""

# The empty space inside each card below its last child: a card is as tall as what it holds.
CARD_SLACK = """() => [...document.querySelectorAll('main .card')].map(card => {
    const content = card.querySelector('.card-content');
    return card.getBoundingClientRect().bottom - content.getBoundingClientRect().bottom;
})"""


def assert_fits(page: Page) -> None:
    assert page.evaluate(HORIZONTAL_OVERFLOW) <= 0, f"{page.url} is wider than the window"
    assert page.evaluate(LAYOUT) == []
    for slack in page.evaluate(CARD_SLACK):
        assert slack < 4, f"a card on {page.url} has {slack}px of empty space"


@pytest.mark.parametrize("width", WIDTHS)
def test_carla_reads_her_two_step_verification_pages_at_every_width(
    live_cast, live_server, new_context, width
):
    page = watch(new_context(viewport={"width": width, "height": 800}).new_page())
    log_in(page, live_server, live_cast.carla, mfa=True)
    word = danish("Two-step verification")
    assert word == "Totrinsbekræftelse"

    def check(name):
        expect(page).to_have_url(re.compile(re.escape(live_server.url + reverse(name))))
        check_page(page)
        assert_fits(page)
        text = page.locator("body").inner_text().lower()
        assert "to-faktor" not in text and "two-factor" not in text

    page.goto(live_server.url + reverse("mfa_index"))
    check("mfa_index")
    page.goto(live_server.url + reverse("mfa_generate_recovery_codes"))
    if reverse("account_reauthenticate") in page.url:  # allauth asks for the password again first
        check("account_reauthenticate")
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main form [type=submit]").click()
    check("mfa_generate_recovery_codes")
    page.locator("main form [type=submit]").click()  # generate the codes: their page follows
    check("mfa_view_recovery_codes")
    page.goto(live_server.url + reverse("mfa_deactivate_totp"))  # only read, not turned off
    check("mfa_deactivate_totp")
    page.goto(live_server.url + reverse("mfa_index"))
    check("mfa_index")
    expect(page.locator("h1")).to_have_text(word)


@pytest.mark.parametrize("width", [360, 1280])
def test_anna_finds_her_account_pages_under_her_name_by_keyboard(live_cast, live_server, new_context, width):
    page = watch(new_context(viewport={"width": width, "height": 800}).new_page())
    log_in(page, live_server, live_cast.anna, mfa=False)
    main_menu = page.locator("nav.nav .mainmenu")
    for label in ("Sikkerhed", "Log ud alle steder", danish("How we reach you")):  # once top-level items
        expect(main_menu.get_by_text(label, exact=True)).to_have_count(0)
    if width < 992:
        page.locator(".js-menu-open").click()
        menu = page.locator(".mobile-drawer .portal-account-menu")
    else:
        menu = page.locator(".solution-info .portal-account-menu")
    summary = menu.locator("summary")
    expect(summary).to_contain_text(live_cast.anna.get_full_name())
    summary.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("open", "")
    check_page(page)
    assert page.evaluate(HORIZONTAL_OVERFLOW) <= 0
    expect(menu.get_by_label("Sprog / Language")).to_be_visible()
    expect(page.locator(".portal-language")).to_have_count(0)  # the bar is for visitors not logged in
    link = menu.get_by_role("link", name=danish("Two-step verification"))
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + reverse("mfa_index"))
    check_page(page)
