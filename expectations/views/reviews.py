"""Policy expectation reviews: rounds the municipality runs, leaders' answers, the parents' survey and the
report for the political discussion.

Who may do what is in ``expectations/policies/reviews.py``; every write goes through
``expectations/services/reviews.py``; the report renders the figures a Celery task computed and stored
(``RoundFigures``); a round whose figures were never computed gets them on its report's first view.
"""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from expectations.forms.reviews import (
    InstitutionReviewForm,
    ReflectionQuestionForm,
    ReviewRoundForm,
    SatisfactionForm,
)
from expectations.models import ReviewRound
from expectations.policies.reviews import (
    get_leader_review_or_404,
    get_question_for_admin_or_404,
    get_review_round_for_admin_or_404,
    get_survey_target_or_404,
    institutions_led_by,
    is_survey_guardian,
    review_rounds_for_leader,
    survey_institutions_for,
    survey_rounds_for,
)
from expectations.selectors import reviews as selectors
from expectations.services import reviews as services
from portal.forms import add_service_errors
from portal.organisation.policies import get_admin_municipality_or_404
from portal.pdf import pdf_engine, pdf_response

Status = ReviewRound.Status


def _save(form, service, **kwargs):
    """Call the service with the form's data; True if it succeeded, else its errors are on the form."""
    try:
        service(**kwargs, **form.cleaned_data)
    except ValidationError as e:
        add_service_errors(form, e)
        return False
    return True


def _action(request, service, success, **kwargs):
    """A POST-only state change: call the service, say how it went; the caller redirects."""
    try:
        service(**kwargs)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return False
    messages.success(request, success)
    return True


# --------------------------------------------------------------------------------------------------
# Preparing and running rounds (administrators of the municipality)
# --------------------------------------------------------------------------------------------------
@login_required
@require_GET
def review_round_list(request):
    municipality = get_admin_municipality_or_404(request.user)
    rounds = list(
        ReviewRound.objects.filter(municipality=municipality)
        .select_related("previous")
        .order_by("-period_end")
    )
    return render(
        request, "expectations/reviews/round_list.html", {"municipality": municipality, "rounds": rounds}
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_round_create(request):
    municipality = get_admin_municipality_or_404(request.user)
    form = ReviewRoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review_round = services.review_round_create(
                municipality=municipality, created_by=request.user, **form.cleaned_data
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("The round is created with the default questions. Adjust them here."))
            return redirect("expectations:review_round_detail", pk=review_round.pk)
    return render(request, "expectations/reviews/round_form.html", {"form": form})


@login_required
@require_GET
def review_round_detail(request, pk):
    review_round = get_review_round_for_admin_or_404(request.user, pk)
    context = {
        "round": review_round,
        "questions": list(review_round.questions.all()),
        "is_draft": review_round.status == Status.DRAFT,
    }
    if review_round.status != Status.DRAFT:
        institutions = selectors.round_submissions(review_round)
        context["institutions"] = institutions
        context["submitted_count"] = sum(1 for i in institutions if i.submitted_at)
    return render(request, "expectations/reviews/round_detail.html", context)


@login_required
@require_POST
def review_round_open(request, pk):
    review_round = get_review_round_for_admin_or_404(request.user, pk)
    _action(
        request,
        services.review_round_open,
        _("The round is open. Leaders can answer, and parents can take the survey."),
        review_round=review_round,
    )
    return redirect("expectations:review_round_detail", pk=review_round.pk)


@login_required
@require_POST
def review_round_close(request, pk):
    review_round = get_review_round_for_admin_or_404(request.user, pk)
    _action(request, services.review_round_close, _("The round is closed."), review_round=review_round)
    return redirect("expectations:review_round_detail", pk=review_round.pk)


def _question_form_page(request, review_round, question, form):
    return render(
        request,
        "expectations/reviews/question_form.html",
        {"round": review_round, "question": question, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_question_create(request, round_pk):
    review_round = get_review_round_for_admin_or_404(request.user, round_pk)
    if review_round.status != Status.DRAFT:
        messages.error(request, services.NOT_A_DRAFT)
        return _question_form_page(request, review_round, None, None)
    form = ReflectionQuestionForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(form, services.review_question_create, review_round=review_round)
    ):
        messages.success(request, _("The question is added."))
        return redirect("expectations:review_round_detail", pk=review_round.pk)
    return _question_form_page(request, review_round, None, form)


@login_required
@require_http_methods(["GET", "POST"])
def review_question_edit(request, round_pk, pk):
    review_round = get_review_round_for_admin_or_404(request.user, round_pk)
    question = get_question_for_admin_or_404(request.user, review_round, pk)
    if review_round.status != Status.DRAFT:
        messages.error(request, services.NOT_A_DRAFT)
        return _question_form_page(request, review_round, question, None)
    form = ReflectionQuestionForm(
        request.POST or None, initial={"theme": question.theme, "text": question.text}
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(form, services.review_question_update, question=question)
    ):
        messages.success(request, _("The question is saved."))
        return redirect("expectations:review_round_detail", pk=review_round.pk)
    return _question_form_page(request, review_round, question, form)


@login_required
@require_POST
def review_question_delete(request, round_pk, pk):
    review_round = get_review_round_for_admin_or_404(request.user, round_pk)
    question = get_question_for_admin_or_404(request.user, review_round, pk)
    _action(request, services.review_question_delete, _("The question is removed."), question=question)
    return redirect("expectations:review_round_detail", pk=review_round.pk)


@login_required
@require_POST
def review_question_move(request, round_pk, pk):
    review_round = get_review_round_for_admin_or_404(request.user, round_pk)
    question = get_question_for_admin_or_404(request.user, review_round, pk)
    try:
        services.review_question_move(question=question, up=request.POST.get("direction") != "down")
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    url = reverse("expectations:review_round_detail", args=[review_round.pk])
    return redirect(f"{url}#question-{question.pk}")


# --------------------------------------------------------------------------------------------------
# The report (administrators)
# --------------------------------------------------------------------------------------------------
def _report(review_round, select):
    """The report's context from the stored figures; figures never computed are computed now, once."""
    context = select(review_round)
    if context["missing"]:
        for round_id in context["missing"]:
            services.review_figures_store(round_id=round_id)
        context = select(review_round)
    context["round"] = review_round
    return context


@login_required
@require_GET
def review_report(request, pk):
    review_round = get_review_round_for_admin_or_404(request.user, pk)
    return render(request, "expectations/reviews/report.html", _report(review_round, selectors.report_page))


@login_required
@require_POST
def review_figures_refresh(request, pk):
    """Compute the report's figures again, in the background."""
    review_round = get_review_round_for_admin_or_404(request.user, pk)
    services.review_figures_refresh(review_round=review_round)
    messages.success(
        request,
        _("The figures are being computed again. Reload the report in a minute to see the new figures."),
    )
    return redirect("expectations:review_report", pk=review_round.pk)


def _cell(value):
    """A CSV cell: numbers with a decimal point (the file is for spreadsheets of any language); empty when
    there is nothing to show; text that a spreadsheet would run as a formula is quoted with '."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@login_required
@require_GET
def review_report_csv(request, pk):
    """The report's figures as CSV (UTF-8 with BOM so spreadsheets read æøå; decimal point).

    Survey answers are counted only from ``MIN_ANSWERS``: below that the count is written as "<5" and the
    means are empty, as on the page. After the institutions come the kinds and the municipality, whose
    children are counted once each (not the sum of the rows above).
    """
    review_round = get_review_round_for_admin_or_404(request.user, pk)
    page = _report(review_round, selectors.report_tables)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="review-{review_round.pk}-institutions.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Institution"),
            _("Kind"),
            _("Children"),
            _("Places"),
            _("Agreements in force"),
            _("Share with an agreement (%)"),
            _("Share agreed by all custody holders (%)"),
            _("Share with differentiated arrangements (%)"),
            _("Share of commitments going well (%)"),
            _("Share of commitments that are hard (%)"),
            _("Median days since agreed"),
            _("Survey answers"),
            _("Clear (mean 1–5)"),
            _("Equal (mean 1–5)"),
            _("Concrete (mean 1–5)"),
        ]
    )
    tables = page["tables"]
    rows = [
        *((row.now, row.kind) for row in tables.institutions),
        *((row.now, _("All of this kind")) for row in tables.kinds),
        (tables.total.now, _("The whole municipality")),
    ]
    for f, kind in rows:
        answers = f.answers if f.survey_shown or f.answers == 0 else f"<{page['min_answers']}"
        writer.writerow(
            [
                _cell(f.label),
                _cell(str(kind)),
                f.children,
                f.places,
                f.agreements,
                _cell(f.share_with_agreement),
                _cell(f.share_agreed_by_all),
                _cell(f.share_differentiated),
                _cell(f.share_going_well),
                _cell(f.share_hard),
                _cell(f.median_days_since_agreed),
                answers,
                _cell(f.clear),
                _cell(f.equal),
                _cell(f.concrete),
            ]
        )
    return response


@login_required
@require_GET
def review_report_pdf(request, pk):
    """The report as a tagged PDF (PDF/UA-1: structure tree, language and title), made with WeasyPrint
    from a print template that fetches nothing (charts are inline SVG, the CSS is in the page).

    WeasyPrint needs Pango from the operating system, so it is imported here: without it this answers 503
    with an explanation, and the HTML report and the CSV still work.
    """
    review_round = get_review_round_for_admin_or_404(request.user, pk)
    engine = pdf_engine()
    if engine is None:
        return render(
            request,
            "expectations/reviews/report_pdf_unavailable.html",
            {"round": review_round},
            status=503,
        )
    context = _report(review_round, selectors.report_page)
    return pdf_response(
        request,
        engine,
        "expectations/reviews/report_pdf.html",
        context,
        filename=f"review-{review_round.pk}-report.pdf",
    )


# --------------------------------------------------------------------------------------------------
# Leaders answer for their institution
# --------------------------------------------------------------------------------------------------
@login_required
@require_GET
def institution_review_list(request):
    institutions = institutions_led_by(request.user)
    if not institutions.exists():
        raise Http404
    items = selectors.leader_reviews(review_rounds_for_leader(request.user), institutions)
    return render(request, "expectations/reviews/leader_list.html", {"items": items})


@login_required
@require_http_methods(["GET", "POST"])
def institution_review_edit(request, round_pk, institution_pk):
    review_round, institution = get_leader_review_or_404(request.user, round_pk, institution_pk)
    page = selectors.leader_review_page(review_round, institution)
    review = page["review"]
    editable = review_round.status == Status.OPEN and not (review and review.submitted_at)
    context = {"round": review_round, "institution": institution, "editable": editable, **page}
    if not editable:
        if request.method == "POST":
            messages.error(
                request, services.ALREADY_SUBMITTED if review and review.submitted_at else services.NOT_OPEN
            )
        return render(request, "expectations/reviews/leader_form.html", context)
    initial = {f"answer_{pk}": text for pk, text in page["answers"].items()}
    initial["next_steps"] = review.next_steps if review else ""
    form = InstitutionReviewForm(request.POST or None, initial=initial, questions=page["questions"])
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            services.institution_review_save(
                review_round=review_round,
                institution=institution,
                user=request.user,
                answers=form.answers(),
                next_steps=form.cleaned_data["next_steps"],
                submit=submit,
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            if submit:
                messages.success(request, _("Thank you. Your answers are submitted to the municipality."))
                return redirect("expectations:institution_review_list")
            messages.success(request, _("Your answers are saved as a draft."))
            return redirect(
                "expectations:institution_review_edit",
                round_pk=review_round.pk,
                institution_pk=institution.pk,
            )
    return render(request, "expectations/reviews/leader_form.html", {**context, "form": form})


# --------------------------------------------------------------------------------------------------
# The parents' survey
# --------------------------------------------------------------------------------------------------
@login_required
@require_GET
def survey_list(request):
    if not is_survey_guardian(request.user):
        raise Http404
    items = selectors.survey_targets(
        request.user, survey_rounds_for(request.user), survey_institutions_for(request.user)
    )
    return render(request, "expectations/reviews/survey_list.html", {"items": items})


@login_required
@require_http_methods(["GET", "POST"])
def survey_answer(request, round_pk, institution_pk):
    review_round, institution = get_survey_target_or_404(request.user, round_pk, institution_pk)
    context = {"round": review_round, "institution": institution}
    if selectors.has_answered(request.user, review_round, institution):
        if request.method == "POST":
            messages.error(request, services.ALREADY_ANSWERED)
        return render(request, "expectations/reviews/survey_form.html", {**context, "answered": True})
    form = SatisfactionForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(
            form,
            services.satisfaction_answer_create,
            review_round=review_round,
            institution=institution,
            user=request.user,
        )
    ):
        messages.success(request, _("Thank you for your answer."))
        return redirect("expectations:survey_list")
    return render(request, "expectations/reviews/survey_form.html", {**context, "form": form})
