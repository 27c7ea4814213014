"""Expectation agreements: staff and families agree what each side does for one child.

Every page that shows an agreement records the read, and every write is audited by its service.
Outsiders get 404 from the policies; people who may see but not decide get 404 on the deciding actions.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from children.policies import get_child_for_user_or_404
from expectations.forms.agreements import AgreementForm, CommentForm, ProgressForm, ProposeForm
from expectations.models import Commitment, ExpectationAgreement
from expectations.policies.agreements import (
    AgreementAccess,
    acting_role_label,
    get_agreement_for_user_or_404,
    get_commitment_or_404,
    guardianship_of,
    institutions_for_new_agreement,
)
from expectations.selectors import agreements as selectors
from expectations.services import agreements as services
from portal.access import roles_of
from portal.audit.models import AccessEvent
from portal.audit.services import access_record, access_record_many, access_record_parts
from portal.forms import add_service_errors


def _access(request, pk) -> tuple[ExpectationAgreement, AgreementAccess, str]:
    agreement = get_agreement_for_user_or_404(request.user, pk)
    access = AgreementAccess(request.user, agreement)
    role = acting_role_label(
        request.user,
        guardianship=access.guardianship,
        institution_id=agreement.institution_id,
    )
    return agreement, access, role


# ---------------------------------------------------------------------------------------------------
# Lists
# ---------------------------------------------------------------------------------------------------
@login_required
def agreement_list(request):
    """Staff: agreements of the children they serve, due for review soon and waiting for answers first."""
    if not roles_of(request.user).staff:
        raise Http404
    overview = selectors.staff_overview(request.user)
    shown = [*overview.due_for_review, *overview.waiting, *overview.drafts, *overview.in_force]
    children = list({a.child_id: a.child for a in shown}.values())
    access_record_many(
        request=request,
        children=children,
        action=AccessEvent.Action.LIST,
        subject="agreement_list",
        actor_role=acting_role_label(request.user),
    )
    return render(
        request,
        "expectations/agreements/agreement_list.html",
        {"overview": overview, "window": selectors.REVIEW_WINDOW_DAYS},
    )


@login_required
def child_agreements(request, child_pk):
    """One child's agreements: the one in force, open ones, and earlier versions."""
    child = get_child_for_user_or_404(request.user, child_pk)
    guardianship = guardianship_of(request.user, child)
    agreements = selectors.child_agreements(request.user, child)
    access_record(
        request=request,
        child=child,
        action=AccessEvent.Action.LIST,
        subject="agreement_list",
        actor_role=acting_role_label(request.user, guardianship=guardianship),
    )
    return render(
        request,
        "expectations/agreements/child_agreements.html",
        {
            "child": child,
            "agreements": agreements,
            "guardianship": guardianship,
            "can_start": institutions_for_new_agreement(request.user, child).exists(),
        },
    )


# ---------------------------------------------------------------------------------------------------
# Start and change
# ---------------------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request, child_pk):
    child = get_child_for_user_or_404(request.user, child_pk)
    institutions = list(institutions_for_new_agreement(request.user, child))
    if not institutions:
        raise Http404
    wanted = request.POST.get("institution") or request.GET.get("institution")
    institution = next((i for i in institutions if str(i.pk) == wanted), institutions[0])
    guardianship = guardianship_of(request.user, child)
    form = AgreementForm(request.POST or None, suggestions=selectors.suggestions_for(child, institution))
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_create(
                request=request,
                child=child,
                institution=institution,
                actor_role=acting_role_label(
                    request.user, guardianship=guardianship, institution_id=institution.pk
                ),
                **form.service_kwargs(),
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request,
                _("The draft is saved. Propose it when you are ready, and everyone can answer."),
            )
            return redirect("expectations:agreement_detail", pk=agreement.pk)
    return render(
        request,
        "expectations/agreements/agreement_form.html",
        {
            "child": child,
            "form": form,
            "agreement": None,
            "institution": institution,
            "institutions": institutions,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request, pk):
    agreement, access, role = _access(request, pk)
    if not access.decides:
        raise Http404
    if not access.can_edit:
        messages.info(request, _("This agreement can no longer be changed. Start a new one to change it."))
        return redirect("expectations:agreement_detail", pk=agreement.pk)
    suggestions = selectors.suggestions_for(agreement.child, agreement.institution)
    commitments = list(agreement.commitments.all())
    form = AgreementForm(
        request.POST or None, agreement=agreement, suggestions=suggestions, commitments=commitments
    )
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_update(
                request=request,
                agreement=agreement,
                based_on_revision=form.cleaned_data["revision"],
                actor_role=role,
                **form.service_kwargs(),
            )
        except ValidationError as e:
            if getattr(e, "code", None) != "conflict":
                add_service_errors(form, e)
            else:
                # Show the current version next to the person's own input, now based on the current
                # revision: nothing of either edit is lost, and saving again is a conscious choice.
                agreement = get_agreement_for_user_or_404(request.user, pk)
                if agreement.status not in (
                    ExpectationAgreement.Status.DRAFT,
                    ExpectationAgreement.Status.PROPOSED,
                ):
                    messages.error(
                        request, _("Someone else changed this agreement; it can no longer be changed.")
                    )
                    return redirect("expectations:agreement_detail", pk=agreement.pk)
                data = request.POST.copy()
                data["revision"] = str(agreement.revision)
                commitments = list(agreement.commitments.all())
                form = AgreementForm(
                    data, agreement=agreement, suggestions=suggestions, commitments=commitments
                )
                form.is_valid()
                form.add_error(None, services.CONFLICT_MESSAGE)
                current = selectors.agreement_page(agreement, request.user)
        else:
            if agreement.status == ExpectationAgreement.Status.PROPOSED:
                messages.success(
                    request, _("The changes are saved. Everyone needs to accept the new version again.")
                )
            else:
                messages.success(request, _("The changes are saved."))
            return redirect("expectations:agreement_detail", pk=agreement.pk)
    return render(
        request,
        "expectations/agreements/agreement_form.html",
        {
            "child": agreement.child,
            "form": form,
            "agreement": agreement,
            "institution": agreement.institution,
            "current": current,
        },
    )


# ---------------------------------------------------------------------------------------------------
# The agreement page and its actions
# ---------------------------------------------------------------------------------------------------
def _render_detail(request, agreement, access, role, *, comment_form=None, status=200):
    """The agreement page; it records that the reader saw the agreement and, when the page shows
    them, its comments and who has accepted it."""
    page = selectors.agreement_page(agreement, request.user, family=access.guardianship is not None)
    access_record_parts(
        request=request,
        child=agreement.child,
        action=AccessEvent.Action.VIEW,
        subjects=[
            subject
            for subject, shown in [
                ("agreement", True),
                ("agreement_comment", bool(page.comments)),
                ("agreement_acceptance", page.shows_acceptances),
            ]
            if shown
        ],
        object_id=agreement.pk,
        actor_role=role,
    )
    return render(
        request,
        "expectations/agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "child": agreement.child,
            "page": page,
            "access": access,
            "comment_form": comment_form or CommentForm(),
            "propose_form": ProposeForm(),
            "progress_choices": Commitment.Progress.choices,
        },
        status=status,
    )


@login_required
def agreement_detail(request, pk):
    """'What we agreed': the institution's commitments first, then the family's, and the family's wishes."""
    agreement, access, role = _access(request, pk)
    return _render_detail(request, agreement, access, role)


@login_required
@require_POST
def agreement_propose(request, pk):
    agreement, access, role = _access(request, pk)
    if not access.decides:
        raise Http404
    form = ProposeForm(request.POST)
    accept = form.is_valid() and form.cleaned_data["accept"]
    try:
        services.agreement_propose(
            request=request,
            agreement=agreement,
            actor_role=role,
            accept=accept,
            role=access.acceptance_role,
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        if accept:
            done = _("The agreement is proposed, and you have accepted it. Now the others can answer.")
        else:
            done = _("The agreement is proposed. Everyone who decides can now accept it.")
        messages.success(request, done)
    return redirect("expectations:agreement_detail", pk=agreement.pk)


@login_required
@require_POST
def agreement_accept(request, pk):
    agreement, access, role = _access(request, pk)
    if not access.decides:
        # A guardian without custody reads and comments, but does not decide (portal/access.py).
        raise Http404
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = 0
    try:
        agreement = services.agreement_accept(
            request=request,
            agreement=agreement,
            role=access.acceptance_role,
            revision=revision,
            actor_role=role,
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        if agreement.status == ExpectationAgreement.Status.IN_FORCE:
            messages.success(request, _("Thank you. Everyone has accepted: the agreement is now in force."))
        else:
            messages.success(request, _("Thank you for accepting. We are waiting for the others to answer."))
    return redirect("expectations:agreement_detail", pk=agreement.pk)


@login_required
@require_POST
def agreement_comment(request, pk):
    agreement, access, role = _access(request, pk)
    if not access.can_comment:
        if access.guardianship is None and not access.is_staff_writer:
            raise Http404
        messages.error(request, _("This agreement is closed for comments."))
        return redirect("expectations:agreement_detail", pk=agreement.pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.agreement_comment(
                request=request, agreement=agreement, actor_role=role, **form.cleaned_data
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Your comment is saved. Everyone on the agreement can read it."))
            return redirect("expectations:agreement_detail", pk=agreement.pk)
    return _render_detail(request, agreement, access, role, comment_form=form)


@login_required
@require_POST
@vary_on_headers("HX-Request")
def commitment_progress(request, pk, commitment_pk):
    """Mark how a commitment goes, in place (htmx) or by a plain form post."""
    agreement, access, role = _access(request, pk)
    if not access.decides:
        raise Http404
    commitment = get_commitment_or_404(agreement, commitment_pk)
    form = ProgressForm(request.POST)
    if not access.can_mark_progress:
        messages.error(request, _("You can follow up on the commitments when the agreement is in force."))
    elif not form.is_valid():
        messages.error(request, _("Choose one of the answers in the list."))
    else:
        try:
            commitment = services.commitment_mark_progress(
                request=request, commitment=commitment, actor_role=role, **form.cleaned_data
            )
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("Saved: “%(text)s”.") % {"text": commitment.text})
    if request.htmx:
        commitment = Commitment.objects.select_related("progress_by").get(pk=commitment.pk)
        return render(
            request,
            "expectations/agreements/_commitment_progress.html",
            {
                "c": commitment,
                "agreement": agreement,
                "access": access,
                "progress_choices": Commitment.Progress.choices,
            },
        )
    return redirect(
        reverse("expectations:agreement_detail", args=[agreement.pk]) + f"#commitment-{commitment.pk}"
    )
