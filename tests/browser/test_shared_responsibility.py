"""Shared responsibility in real Chromium: a pedagogue proposes an expectation agreement, both parents
with custody accept it on their phones, and it is in force. The charter and the staff overview are
read too. Every page is checked with axe-core (WCAG 2.0/2.1 A and AA) and for console errors and
Content Security Policy violations, with the helpers of test_journeys.py.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from children.models import Guardianship
from expectations.models import (
    AgreementAcceptance,
    CharterItem,
    CharterVersion,
    CommitmentSide,
    CommitmentSuggestion,
    ExpectationAgreement,
    Side,
)
from tests.browser.test_journeys import HORIZONTAL_OVERFLOW, PHONE, check_page, danish, log_in, url_of, watch
from tests.meetings.conftest import make_period

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Status = ExpectationAgreement.Status

# The live server's database is flushed between transactional tests, so the seeded national
# catalogue (migration 0002) may be gone: the test brings Aarhus's own suggestions.
INSTITUTION_SUGGESTION = ("Fortælle jer, hvad Emil har leget med", "hver uge")
FAMILY_SUGGESTION = ("Læse en godnathistorie sammen", "hver aften")
OWN_COMMITMENT = {"text": "Hente Emil senest kl. 15 om fredagen", "who": "Far", "how_often": "hver fredag"}
FAMILY_WORDS = "Emil taler dansk og arabisk derhjemme. Vi vil gerne have tolk til samtalerne."

CHARTER_ITEMS = [
    (Side.INSTITUTION, "Vi fortæller, hvad jeres barn lærer", "Mindst en gang om måneden."),
    (Side.PARENTS, "I siger til, når noget ændrer sig", "Det hjælper os med at støtte barnet."),
    (Side.SHARED, "Vi taler sammen om trivsel", "To gange om året, og når der er brug for det."),
]


@pytest.fixture
def fresh_page(new_context):
    """fresh_page(**context_args): a watched page in a browser context of its own (its own cookies)."""

    def _open(**context_args) -> Page:
        return watch(new_context(**context_args).new_page())

    return _open


@pytest.fixture
def shared_cast(live_cast):
    """The cast, with Mikkel given custody (Emil then has two guardians who decide), Aarhus's own
    suggested commitments, and a charter in force in Aarhus."""
    cast = live_cast
    Guardianship.objects.filter(child=cast.emil, user=cast.mikkel).update(has_custody=True)
    for side, (text, how_often) in (
        (CommitmentSide.INSTITUTION, INSTITUTION_SUGGESTION),
        (CommitmentSide.FAMILY, FAMILY_SUGGESTION),
    ):
        CommitmentSuggestion.objects.create(
            municipality=cast.aarhus, side=side, text=text, how_often=how_often
        )
    today = timezone.localdate()
    charter = CharterVersion.objects.create(
        municipality=cast.aarhus,
        number=1,
        title="Fælles ansvar for børns trivsel og læring",
        introduction="Sådan arbejder forældre og personale sammen i Aarhus.",
        status=CharterVersion.Status.IN_FORCE,
        approved_on=today - datetime.timedelta(days=30),
        approved_by_body="Børn og Unge-udvalget",
        in_force_from=today - datetime.timedelta(days=1),
    )
    CharterItem.objects.bulk_create(
        CharterItem(version=charter, side=side, title=title, text=text, position=i)
        for i, (side, title, text) in enumerate(CHARTER_ITEMS)
    )
    cast.charter = charter
    return cast


def danish_date(value, pattern="DATE_FORMAT") -> str:
    """A date as the templates write it (``|date:"DATE_FORMAT"`` unless told) in Danish."""
    with translation.override("da"):
        return date_format(value, pattern)


def _suggestion_label(text: str, how_often: str) -> str:
    return f"{text} ({how_often})"


def _assert_fits_the_phone(page: Page) -> None:
    overflow = page.evaluate(HORIZONTAL_OVERFLOW)
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the phone"


def _guardian_accepts_on_phone(page: Page, live_server, cast, user, agreement, *, last: bool, period) -> None:
    log_in(page, live_server, user, mfa=False)
    expect(page).to_have_url(url_of(live_server, "children:parent_home"))
    check_page(page)
    _assert_fits_the_phone(page)
    # "What needs you now": the agreement waiting for this parent's answer and the open booking round,
    # each with its deadline (Danish, lower-case month) and one tap to act.
    todos = page.get_by_role("list", name=danish("What needs you now"))
    answer = todos.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=danish("Answer the agreement about %(name)s") % {"name": "Emil"})
    )
    answer_by = timezone.localdate(agreement.proposed_at) + datetime.timedelta(days=7)
    expect(answer).to_contain_text(danish("By %(date)s") % {"date": danish_date(answer_by, "l j. F")})
    expect(answer).to_contain_text(cast.solsikken.name)
    book = todos.get_by_role("listitem").filter(
        has=page.get_by_role(
            "heading", name=danish("Book a time for %(name)s's conversation") % {"name": "Emil"}
        )
    )
    deadline = timezone.localtime(period.booking_deadline)
    expect(book).to_contain_text(
        danish("By %(date)s at %(time)s") % {"date": danish_date(deadline, "l j. F"), "time": "23:59"}
    )
    expect(book.get_by_role("link")).to_have_attribute(
        "href", reverse("meetings:period_book", args=[period.pk]) + f"?child={cast.emil.pk}"
    )
    answer.get_by_role("link", name=danish("Read and answer")).click()
    expect(page).to_have_url(url_of(live_server, "expectations:agreement_detail", agreement.pk))
    check_page(page)
    _assert_fits_the_phone(page)

    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text(
        danish("What we agreed for %(name)s") % {"name": "Emil"}
    )
    # The institution's commitments come first, then what the family does, then the wishes.
    headings = main.get_by_role("heading", level=2)
    ours = danish("What %(place)s does") % {"place": cast.solsikken.name}
    yours = danish("What you do")
    told = danish("What you told us")
    texts = headings.all_inner_texts()
    assert texts.index(ours) < texts.index(yours) < texts.index(told), texts
    institution = main.locator("section[aria-labelledby=institution-heading]")
    family = main.locator("section[aria-labelledby=family-heading]")
    expect(institution.get_by_role("heading", name=INSTITUTION_SUGGESTION[0])).to_be_visible()
    expect(family.get_by_role("heading", name=FAMILY_SUGGESTION[0])).to_be_visible()
    expect(family.get_by_role("heading", name=OWN_COMMITMENT["text"])).to_be_visible()
    wishes = main.locator("section[aria-labelledby=wishes-heading]")
    expect(wishes).to_contain_text(danish("with an interpreter"))
    expect(wishes).to_contain_text(FAMILY_WORDS)
    institution_box, family_box = institution.bounding_box(), family.bounding_box()
    assert institution_box and family_box and institution_box["y"] < family_box["y"]

    accept = main.get_by_role("button", name=danish("I accept the agreement"))
    expect(accept).to_be_visible()
    accept.click()
    expect(page).to_have_url(url_of(live_server, "expectations:agreement_detail", agreement.pk))
    if last:
        thanks = danish("Thank you. Everyone has accepted: the agreement is now in force.")
    else:
        thanks = danish("Thank you for accepting. We are waiting for the others to answer.")
    expect(page.locator("#messages")).to_contain_text(thanks)
    expect(main.get_by_role("button", name=danish("I accept the agreement"))).to_have_count(0)
    check_page(page)
    _assert_fits_the_phone(page)


def test_staff_propose_an_agreement_and_both_parents_accept_it_on_their_phones(
    shared_cast, live_server, fresh_page
):
    cast = shared_cast
    today = timezone.localdate()
    review_on = today + datetime.timedelta(days=120)

    # Carla, at her desk, writes the draft with the family at a meeting.
    page = fresh_page()
    log_in(page, live_server, cast.carla, mfa=True)
    expect(page).to_have_url(url_of(live_server, "children:staff_home"))
    check_page(page)
    page.locator("main").get_by_role("link", name="Mariehønen").click()
    expect(page).to_have_url(url_of(live_server, "children:group_detail", cast.mariehonen.pk))
    check_page(page)
    page.locator("main").get_by_role("link", name="Emil Jensen").click()
    expect(page).to_have_url(url_of(live_server, "children:child_detail", cast.emil.pk))
    check_page(page)
    page.locator(f"main a[href='{reverse('expectations:child_agreements', args=[cast.emil.pk])}']").click()
    expect(page).to_have_url(url_of(live_server, "expectations:child_agreements", cast.emil.pk))
    check_page(page)
    page.locator(f"main a[href='{reverse('expectations:agreement_create', args=[cast.emil.pk])}']").click()
    expect(page).to_have_url(url_of(live_server, "expectations:agreement_create", cast.emil.pk))
    check_page(page)

    form = page.locator("main form:has(#id_review_due_on)")
    form.get_by_label(_suggestion_label(*INSTITUTION_SUGGESTION), exact=True).check()
    form.get_by_label(_suggestion_label(*FAMILY_SUGGESTION), exact=True).check()
    form.locator("#id_new_1_side").select_option(CommitmentSide.FAMILY)
    form.locator("#id_new_1_text").fill(OWN_COMMITMENT["text"])
    form.locator("#id_new_1_who").fill(OWN_COMMITMENT["who"])
    form.locator("#id_new_1_how_often").fill(OWN_COMMITMENT["how_often"])
    form.locator("#id_preferred_language").fill("ar")
    form.locator("#id_interpreter_wanted").check()
    form.locator("#id_contact_form").select_option(ExpectationAgreement.ContactForm.values[0])
    form.locator("#id_family_words").fill(FAMILY_WORDS)
    # The start date comes filled in with today; the browser must show it.
    expect(form.locator("#id_starts_on")).to_have_value(today.isoformat())
    form.locator("#id_review_due_on").fill(review_on.isoformat())
    form.get_by_role("button", name=danish("Save draft")).click()

    expect(page.locator("#messages")).to_contain_text(
        danish("The draft is saved. Propose it when you are ready, and everyone can answer.")
    )
    agreement = ExpectationAgreement.objects.get(child=cast.emil)
    expect(page).to_have_url(url_of(live_server, "expectations:agreement_detail", agreement.pk))
    assert (agreement.status, agreement.institution, agreement.created_by) == (
        Status.DRAFT,
        cast.solsikken,
        cast.carla,
    )
    assert agreement.interpreter_wanted and agreement.review_due_on == review_on
    sides = sorted(agreement.commitments.values_list("side", "text"))
    assert sides == sorted(
        [
            (CommitmentSide.INSTITUTION, INSTITUTION_SUGGESTION[0]),
            (CommitmentSide.FAMILY, FAMILY_SUGGESTION[0]),
            (CommitmentSide.FAMILY, OWN_COMMITMENT["text"]),
        ]
    )
    check_page(page)

    main = page.locator("main")
    # Proposing is Carla's own yes too (ticked by default): nobody has to come back to accept.
    expect(main.get_by_label(danish("I accept this proposal myself"))).to_be_checked()
    main.get_by_role("button", name=danish("Propose the agreement")).click()
    expect(page.locator("#messages")).to_contain_text(
        danish("The agreement is proposed, and you have accepted it. Now the others can answer.")
    )
    expect(main.get_by_role("button", name=danish("I accept the agreement"))).to_have_count(0)
    check_page(page)
    agreement.refresh_from_db()
    assert agreement.status == Status.PROPOSED and agreement.proposed_at is not None

    # The staff overview: Emil's agreement waits for both parents.
    page.locator("header").get_by_role("link", name=danish("Agreements with families")).first.click()
    expect(page).to_have_url(url_of(live_server, "expectations:agreement_list"))
    waiting = page.get_by_role("table", name=danish("Proposed agreements and who still has to answer"))
    row = waiting.get_by_role("row").filter(has=page.get_by_role("link", name="Emil Jensen"))
    expect(row).to_contain_text(cast.anna.get_full_name())
    expect(row).to_contain_text(cast.mikkel.get_full_name())
    check_page(page)

    # Both parents with custody accept, each on their own phone, from their home, where the round of
    # conversations Carla has opened for Mariehønen waits to be booked too.
    period = make_period(user=cast.carla, group=cast.mariehonen, kind="daycare_conversation")
    anna_phone = fresh_page(**PHONE)
    _guardian_accepts_on_phone(anna_phone, live_server, cast, cast.anna, agreement, last=False, period=period)
    agreement.refresh_from_db()
    assert agreement.status == Status.PROPOSED and agreement.agreed_at is None

    mikkel_phone = fresh_page(**PHONE)
    _guardian_accepts_on_phone(
        mikkel_phone, live_server, cast, cast.mikkel, agreement, last=True, period=period
    )
    expect(mikkel_phone.locator("main .font-lead .badge")).to_have_text(danish(Status.IN_FORCE.label))

    agreement.refresh_from_db()
    assert agreement.status == Status.IN_FORCE
    assert agreement.agreed_at is not None and agreement.agreed_at >= agreement.proposed_at
    agreed = danish("Agreed on %(agreed)s. We talk about it again by %(review)s.") % {
        "agreed": danish_date(timezone.localtime(agreement.agreed_at)),
        "review": danish_date(review_on),
    }
    expect(mikkel_phone.locator("main")).to_contain_text(agreed)
    accepted = set(
        AgreementAcceptance.objects.filter(agreement=agreement, revision=agreement.revision).values_list(
            "user_id", "role"
        )
    )
    assert accepted == {
        (cast.carla.pk, AgreementAcceptance.Role.STAFF),
        (cast.anna.pk, AgreementAcceptance.Role.GUARDIAN),
        (cast.mikkel.pk, AgreementAcceptance.Role.GUARDIAN),
    }

    # Anna's phone shows it in force too, her inbox says so, and the charter reads well there.
    anna_phone.reload()
    expect(anna_phone.locator("main .font-lead .badge")).to_have_text(danish(Status.IN_FORCE.label))
    check_page(anna_phone)
    anna_phone.goto(live_server.url + reverse("meetings:notifications"))
    expect(anna_phone.locator("main")).to_contain_text(
        danish("The agreement about %(name)s is in force") % {"name": "Emil"}
    )
    check_page(anna_phone)
    _assert_fits_the_phone(anna_phone)
    anna_phone.goto(live_server.url + reverse("expectations:charter"))
    main = anna_phone.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text(danish("Our shared responsibility"))
    expect(main.get_by_role("heading", level=2, name=cast.charter.title)).to_be_visible()
    for _side, title, text in CHARTER_ITEMS:
        expect(main.get_by_role("heading", name=title)).to_be_visible()
        expect(main).to_contain_text(text)
    check_page(anna_phone)
    _assert_fits_the_phone(anna_phone)

    # Back at her desk, Carla sees the agreement in force in her overview.
    page.reload()
    expect(
        page.get_by_role("table", name=danish("Proposed agreements and who still has to answer"))
    ).to_have_count(0)
    in_force = page.locator("main h2", has_text=danish("In force")).locator("xpath=following-sibling::ul[1]")
    expect(in_force.get_by_role("link", name="Emil Jensen")).to_have_attribute(
        "href", reverse("expectations:agreement_detail", args=[agreement.pk])
    )
    check_page(page)


def test_the_new_agreement_form_prefills_its_dates_for_the_date_inputs(shared_cast, live_server, fresh_page):
    cast = shared_cast
    page = fresh_page()
    log_in(page, live_server, cast.carla, mfa=True)
    page.goto(live_server.url + reverse("expectations:agreement_create", args=[cast.emil.pk]))
    expect(page).to_have_url(url_of(live_server, "expectations:agreement_create", cast.emil.pk))
    today = timezone.localdate()
    expect(page.locator("#id_starts_on")).to_have_value(today.isoformat(), timeout=1000)
    expect(page.locator("#id_review_due_on")).not_to_have_value("", timeout=1000)
