"""The municipality's policy work in real Chromium: an administrator writes the charter of shared
responsibility and puts it in force, and a parent reads it on her phone; then a policy review round is
prepared and opened, the leader of Solsikken answers it, a parent takes the survey on her phone, and the
administrator reads the report (with the survey figures held back below five answers) and downloads its CSV.

Every page is checked with axe-core (WCAG 2.0/2.1 A and AA) and for console errors and Content Security
Policy violations, with the helpers of test_journeys.py; interface texts come from the Danish catalogue.
"""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from expectations.forms.reviews import SCALE, SatisfactionForm
from expectations.models import (
    CharterVersion,
    InstitutionReview,
    ReflectionAnswer,
    ReviewRound,
    ReviewTheme,
    SatisfactionAnswer,
    Side,
)
from expectations.selectors.review_figures import MIN_ANSWERS
from expectations.selectors.reviews import METRICS
from tests.browser.test_journeys import HORIZONTAL_OVERFLOW, PHONE, check_page, danish, log_in, url_of, watch
from tests.browser.test_shared_responsibility import danish_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"viewport": {"width": 1280, "height": 900}}

CHARTER = {
    "title": "Sammen om børnenes trivsel",
    "introduction": "Sådan deler forældre og kommunens tilbud ansvaret i Aarhus.",
    "body": "Børn og Unge-udvalget",
}
ITEMS = {
    Side.PARENTS: ("I læser med jeres barn", "Ti minutter hver dag gør en stor forskel."),
    Side.INSTITUTION: ("Vi fortæller, hvad barnet lærer", "Mindst en gang om måneden, på skrift."),
    Side.SHARED: ("Vi taler om trivsel", "To gange om året, og når der er brug for det."),
}

ROUND_TITLE = "Opfølgning på politikken 2026"
EDITED_QUESTION = "Hvordan ved forældrene, hvad de kan forvente af jer – og hvad I forventer af dem?"
NEXT_STEPS = "Vi holder et forældremøde om forventninger i foråret."
SURVEY = {"clear": 4, "equal": 5, "concrete": 3}
COMMENT = "Vi føler os godt informeret om hverdagen."


@pytest.fixture
def open_page(new_context):
    """open_page(**context_args): a watched page in a browser context of its own (its own cookies)."""

    def _open(**context_args) -> Page:
        return watch(new_context(**context_args).new_page())

    return _open


def _nav(page: Page, label: str):
    """A link of the main menu, by its Danish label (the hidden drawer copy is not a candidate)."""
    return page.locator("header").get_by_role("link", name=danish(label), exact=True).first


def _assert_fits_the_phone(page: Page) -> None:
    overflow = page.evaluate(HORIZONTAL_OVERFLOW)
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the phone"


def _submitted_today() -> str:
    return danish("Submitted %(date)s") % {"date": danish_date(timezone.localdate())}


def _message(page: Page, text: str) -> None:
    expect(page.locator("#messages")).to_contain_text(text)


# --- The charter --------------------------------------------------------------------------------


def test_administrator_puts_a_charter_in_force_and_a_parent_reads_it_on_her_phone(
    live_cast, live_server, open_page
):
    cast = live_cast
    today = timezone.localdate()
    approved_on = today - datetime.timedelta(days=7)

    page = open_page(**DESKTOP)
    log_in(page, live_server, cast.erik, mfa=True)
    expect(page).to_have_url(url_of(live_server, "organisation:admin_home"))
    _nav(page, "Charter").click()
    expect(page).to_have_url(url_of(live_server, "expectations:charter_version_list"))
    main = page.locator("main")
    expect(main).to_contain_text(danish("No versions yet. Start by creating a draft."))
    check_page(page)

    main.get_by_role("link", name=danish("Create a new draft")).click()
    expect(page).to_have_url(url_of(live_server, "expectations:charter_version_create"))
    check_page(page)
    main.get_by_label(danish("Title"), exact=True).fill(CHARTER["title"])
    page.locator("#id_introduction").fill(CHARTER["introduction"])
    main.get_by_role("button", name=danish("Save"), exact=True).click()
    _message(page, danish("Draft version %(number)s is created.") % {"number": 1})
    version = CharterVersion.objects.get(municipality=cast.aarhus)
    detail = url_of(live_server, "expectations:charter_version_detail", version.pk)
    expect(page).to_have_url(detail)
    expect(main.get_by_role("heading", level=1)).to_have_text(CHARTER["title"])
    expect(main.locator(".font-lead .badge")).to_have_text(danish(CharterVersion.Status.DRAFT.label))
    check_page(page)

    # One item on each side, each added from the button under its own side.
    for side, (title, text) in ITEMS.items():
        section = main.locator(f"section.portal-charter-side--{side}")
        section.get_by_role("link", name=danish("Add an item here")).click()
        expect(page).to_have_url(url_of(live_server, "expectations:charter_item_create", version.pk))
        expect(page.locator(f"input[name=side][value={side}]")).to_be_checked()
        check_page(page)
        page.locator("#id_title").fill(title)
        page.locator("#id_text").fill(text)
        main.get_by_role("button", name=danish("Save"), exact=True).click()
        _message(page, danish("The item is added."))
        expect(page).to_have_url(detail)
        expect(section.get_by_role("heading", name=title)).to_be_visible()
        expect(section).to_contain_text(text)
        check_page(page)
    assert sorted(version.items.values_list("side", "title")) == sorted(
        (side, title) for side, (title, _text) in ITEMS.items()
    )

    main.get_by_role("link", name=danish("Record the approval")).click()
    expect(page).to_have_url(url_of(live_server, "expectations:charter_version_approve", version.pk))
    check_page(page)
    page.locator("#id_approved_on").fill(approved_on.isoformat())
    page.locator("#id_approved_by_body").fill(CHARTER["body"])
    main.get_by_role("button", name=danish("Approve"), exact=True).click()
    _message(page, danish("Version %(number)s is approved.") % {"number": 1})
    expect(page).to_have_url(detail)
    expect(main.locator(".font-lead .badge")).to_have_text(danish(CharterVersion.Status.APPROVED.label))
    check_page(page)

    main.get_by_role("link", name=danish("Put in force"), exact=True).click()
    expect(page).to_have_url(url_of(live_server, "expectations:charter_version_put_in_force", version.pk))
    check_page(page)
    page.locator("#id_in_force_from").fill(today.isoformat())
    main.get_by_role("button", name=danish("Put in force"), exact=True).click()
    _message(page, danish("Version %(number)s is now in force.") % {"number": 1})
    expect(page).to_have_url(detail)
    expect(main.locator(".font-lead .badge")).to_have_text(danish(CharterVersion.Status.IN_FORCE.label))
    check_page(page)
    version.refresh_from_db()
    assert (version.status, version.approved_on, version.approved_by_body, version.in_force_from) == (
        CharterVersion.Status.IN_FORCE,
        approved_on,
        CHARTER["body"],
        today,
    )

    # Anna reads it on her phone: all three sides, nothing wider than the screen.
    phone = open_page(**PHONE)
    log_in(phone, live_server, cast.anna, mfa=False)
    phone.goto(live_server.url + reverse("expectations:charter"))
    main = phone.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text(danish("Our shared responsibility"))
    expect(main.get_by_role("heading", level=2, name=CHARTER["title"])).to_be_visible()
    expect(main).to_contain_text(CHARTER["introduction"])
    for heading in ("What we ask of you as parents", "What you can expect of us", "What we do together"):
        expect(main.get_by_role("heading", level=3, name=danish(heading))).to_be_visible()
    for side, (title, text) in ITEMS.items():
        section = main.locator(f"section.portal-charter-side--{side}")
        item = section.get_by_role("heading", level=4, name=title)
        item.scroll_into_view_if_needed()
        expect(item).to_be_visible()
        expect(section).to_contain_text(text)
    expect(main.get_by_role("link", name=danish("Write and manage the charter"))).to_have_count(0)
    check_page(phone)
    _assert_fits_the_phone(phone)


# --- The policy review --------------------------------------------------------------------------


def _column(attribute: str) -> int:
    """The index of a figure among a row of the institution table's data cells (after the kind)."""
    return 1 + [name for name, _label, _unit in METRICS].index(attribute)


def _leader_answers(page: Page, live_server, cast, review_round) -> None:
    log_in(page, live_server, cast.lene, mfa=True)
    _nav(page, "Answer the review").click()
    expect(page).to_have_url(url_of(live_server, "expectations:institution_review_list"))
    check_page(page)
    main = page.locator("main")
    answer_url = reverse("expectations:institution_review_edit", args=[review_round.pk, cast.solsikken.pk])
    link = main.locator(f"a[href='{answer_url}']")
    expect(link).to_contain_text(ROUND_TITLE)
    link.click()
    expect(page).to_have_url(
        url_of(live_server, "expectations:institution_review_edit", review_round.pk, cast.solsikken.pk)
    )
    check_page(page)
    questions = list(review_round.questions.order_by("position", "pk"))
    theme_legends = main.locator("fieldset legend h2")
    expect(theme_legends).to_have_text([danish(theme.label) for theme in ReviewTheme])
    for number, question in enumerate(questions, start=1):
        # Each answer is labelled by its question (and marked optional).
        expect(main.locator(f"label[for=id_answer_{question.pk}]")).to_contain_text(question.text)
        field = main.locator(f"#id_answer_{question.pk}")
        field.fill(f"Svar {number}: det drøfter vi på personalemødet.")
    main.get_by_label(danish("Our next steps")).fill(NEXT_STEPS)
    main.get_by_role("button", name=danish("Submit to the municipality")).click()
    _message(page, danish("Thank you. Your answers are submitted to the municipality."))
    expect(page).to_have_url(url_of(live_server, "expectations:institution_review_list"))
    row = main.get_by_role("row").filter(has_text=cast.solsikken.name)
    expect(row.get_by_role("cell").last).to_have_text(_submitted_today())
    check_page(page)


def _parent_answers_the_survey(page: Page, live_server, cast, review_round) -> None:
    log_in(page, live_server, cast.anna, mfa=False)
    page.goto(live_server.url + reverse("expectations:survey_list"))
    check_page(page)
    _assert_fits_the_phone(page)
    main = page.locator("main")
    place = {"place": cast.solsikken.name, "title": ROUND_TITLE}
    main.get_by_role("link", name=danish("Answer about %(place)s (%(title)s)") % place).click()
    expect(page).to_have_url(
        url_of(live_server, "expectations:survey_answer", review_round.pk, cast.solsikken.pk)
    )
    check_page(page)
    _assert_fits_the_phone(page)
    labels = dict(SCALE)
    for name, value in SURVEY.items():
        group = main.get_by_role("group", name=danish(SatisfactionForm.base_fields[name].label))
        expect(group.get_by_role("radio")).to_have_count(5)
        group.get_by_label(danish(labels[value]), exact=True).check()
    main.get_by_label(danish("Anything you want to add?"), exact=False).fill(COMMENT)
    main.get_by_role("button", name=danish("Send my answer")).click()
    _message(page, danish("Thank you for your answer."))
    expect(page).to_have_url(url_of(live_server, "expectations:survey_list"))
    expect(main).to_contain_text(danish("%(place)s (%(title)s): thank you, you have answered.") % place)
    check_page(page)
    _assert_fits_the_phone(page)


def test_a_review_round_from_preparation_to_report_and_csv(live_cast, live_server, open_page, tmp_path):
    cast = live_cast
    today = timezone.localdate()

    # Erik prepares the round.
    page = open_page(**DESKTOP)
    log_in(page, live_server, cast.erik, mfa=True)
    _nav(page, "Policy reviews").click()
    expect(page).to_have_url(url_of(live_server, "expectations:review_round_list"))
    main = page.locator("main")
    check_page(page)
    main.get_by_role("link", name=danish("Create a review round")).click()
    expect(page).to_have_url(url_of(live_server, "expectations:review_round_create"))
    check_page(page)
    page.locator("#id_title").fill(ROUND_TITLE)
    page.locator("#id_period_start").fill((today - datetime.timedelta(days=365)).isoformat())
    page.locator("#id_period_end").fill(today.isoformat())
    page.locator("#id_answers_due_on").fill((today + datetime.timedelta(days=30)).isoformat())
    main.get_by_role("button", name=danish("Create the round")).click()
    _message(page, danish("The round is created with the default questions. Adjust them here."))
    review_round = ReviewRound.objects.get(municipality=cast.aarhus)
    detail = url_of(live_server, "expectations:review_round_detail", review_round.pk)
    expect(page).to_have_url(detail)
    questions = list(review_round.questions.order_by("position", "pk"))
    assert questions, "the round has no default questions"
    expect(main.locator("section[aria-labelledby=questions-heading] > ol > li")).to_have_count(len(questions))
    check_page(page)

    first = questions[0]
    main.locator(f"#question-{first.pk}").get_by_role("link", name=danish("Edit")).click()
    expect(page).to_have_url(
        url_of(live_server, "expectations:review_question_edit", review_round.pk, first.pk)
    )
    expect(page.locator(f"input[name=theme][value={first.theme}]")).to_be_checked()
    check_page(page)
    page.locator("#id_text").fill(EDITED_QUESTION)
    main.get_by_role("button", name=danish("Save"), exact=True).click()
    _message(page, danish("The question is saved."))
    expect(page).to_have_url(detail)
    expect(main.locator(f"#question-{first.pk}")).to_contain_text(EDITED_QUESTION)
    first.refresh_from_db()
    assert first.text == EDITED_QUESTION
    check_page(page)

    main.get_by_role("button", name=danish("Open the round")).click()
    _message(page, danish("The round is open. Leaders can answer, and parents can take the survey."))
    expect(main.locator(".font-lead .badge")).to_have_text(danish(ReviewRound.Status.OPEN.label))
    expect(main.get_by_role("link", name=danish("Edit"))).to_have_count(0)
    check_page(page)
    review_round.refresh_from_db()
    assert review_round.status == ReviewRound.Status.OPEN

    # Lene answers for Solsikken; Anna takes the survey on her phone.
    _leader_answers(open_page(**DESKTOP), live_server, cast, review_round)
    review = InstitutionReview.objects.get(round=review_round, institution=cast.solsikken)
    assert review.submitted_at is not None and review.submitted_by == cast.lene
    assert review.next_steps == NEXT_STEPS
    assert ReflectionAnswer.objects.filter(review=review).exclude(text="").count() == len(questions)

    _parent_answers_the_survey(open_page(**PHONE), live_server, cast, review_round)
    answer = SatisfactionAnswer.objects.get(round=review_round, institution=cast.solsikken)
    assert (answer.clear, answer.equal, answer.concrete, answer.comment) == (
        SURVEY["clear"],
        SURVEY["equal"],
        SURVEY["concrete"],
        COMMENT,
    )

    # Erik follows up and reads the report.
    page.reload()
    submissions = main.get_by_role("table", name=danish("Which institutions have submitted"))
    row = submissions.get_by_role("row").filter(has_text=cast.solsikken.name)
    expect(row.get_by_role("cell").last).to_have_text(_submitted_today())
    check_page(page)
    main.get_by_role("link", name=danish("See the report")).click()
    expect(page).to_have_url(url_of(live_server, "expectations:review_report", review_round.pk))
    expect(main.get_by_role("heading", level=1)).to_have_text(
        danish("Report: %(title)s") % {"title": ROUND_TITLE}
    )

    # The figures were computed when the round opened; Erik asks for them again after the answers came.
    expect(main).to_contain_text(
        danish("The figures were computed %(date)s. Open rounds get new figures every night.").split(
            "%(date)s"
        )[0]
    )
    main.get_by_role("button", name=danish("Compute the figures again")).click()
    expect(page.get_by_role("status").first).to_contain_text(
        danish("The figures are being computed again. Reload the report in a minute to see the new figures.")
    )
    check_page(page)

    municipality = main.get_by_role("table", name=danish("Figures for %(name)s") % {"name": cast.aarhus.name})
    expect(municipality).to_be_visible()
    expect(
        main.get_by_role("table", name=danish("Figures by kind of institution"), exact=True)
    ).to_be_visible()
    institutions = main.get_by_role("table", name=danish("Figures by institution"), exact=True)
    expect(institutions).to_be_visible()
    for chart in (
        "Share of children with an agreement in force, by kind of institution",
        "Share of children with an agreement in force, by institution",
    ):
        svg = main.get_by_role("img", name=danish(chart), exact=True)
        expect(svg).to_be_visible()
        expect(svg.locator("rect").first).to_be_attached()
    box = main.locator("figure.portal-review-chart svg").first.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 10, box

    # Only one parent answered about Solsikken: the count, means and comment are held back.
    note = danish(
        "Survey figures are shown only when at least %(n)s parents have answered; "
        "“–” means there is nothing to show."
    ) % {"n": MIN_ANSWERS}
    expect(main).to_contain_text(note)
    solsikken = institutions.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=cast.solsikken.name, exact=True)
    )
    expect(solsikken).to_have_count(1)
    cells = solsikken.get_by_role("cell")
    for attribute in ("answers", "clear", "equal", "concrete"):
        expect(cells.nth(_column(attribute))).to_have_text("–")
    expect(main).to_contain_text(
        danish("Fewer than %(n)s comments: they are not shown, to keep the parents anonymous.")
        % {"n": MIN_ANSWERS}
    )
    expect(main).not_to_contain_text(COMMENT)

    reflections = main.locator("section[aria-labelledby=answers-heading]")
    expect(reflections.get_by_role("heading", level=3, name=cast.solsikken.name)).to_be_visible()
    expect(reflections).to_contain_text(EDITED_QUESTION)
    expect(reflections).to_contain_text(NEXT_STEPS)
    check_page(page)

    # The CSV, through the link's own download.
    with page.expect_download() as download:
        main.get_by_role("link", name=danish("Download the institution table (CSV)")).click()
    assert download.value.suggested_filename == f"review-{review_round.pk}-institutions.csv"
    saved = Path(tmp_path) / download.value.suggested_filename
    download.value.save_as(saved)
    raw = saved.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "the CSV lacks the BOM spreadsheets need for æøå"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header = rows[0]
    assert header[0] == danish("Institution") and danish("Survey answers") in header
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert by_name[cast.solsikken.name][danish("Survey answers")] == f"<{MIN_ANSWERS}"
    assert by_name[cast.solsikken.name][danish("Clear (mean 1–5)")] == ""
    assert COMMENT not in raw.decode("utf-8-sig")
    response = page.request.get(
        live_server.url + reverse("expectations:review_report_csv", args=[review_round.pk])
    )
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment")
    assert response.body() == raw
