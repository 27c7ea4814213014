"""Evidence in learning plans: staff add a photo or file to a goal or focus point; the files are served
only here, to whoever may see them, each read recorded; guardians ask for one to be taken down, staff
remove it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from children.forms.evidence import EvidenceForm
from children.models import FocusPoint, LearningGoal
from children.policies.evidence import (
    can_add_evidence,
    can_remove_evidence,
    can_request_takedown,
    get_evidence_for_user_or_404,
)
from children.policies.plans import get_plan_for_user_or_404, plan_viewer
from children.services import evidence as services
from children.views.plans import _plan_url, _render_plan
from portal.audit.models import AccessEvent
from portal.audit.services import access_record
from portal.forms import add_service_errors

CHUNK = 64 * 1024
# A served file runs nothing and is kept by nobody on the way.
FILE_HEADERS = {
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cross-Origin-Resource-Policy": "same-origin",
}


@login_required
@require_http_methods(["POST"])
def evidence_upload(request, pk):
    """Staff who write the plan attach a photo or file to a goal or focus point of the draft."""
    plan = get_plan_for_user_or_404(request.user, pk)
    viewer = plan_viewer(request.user, plan)
    if not can_add_evidence(viewer):
        raise Http404
    entries = {f"goal-{g.pk}": g for g in LearningGoal.objects.filter(plan=plan)}
    entries |= {f"focus-{p.pk}": p for p in FocusPoint.objects.filter(plan=plan)}
    form = EvidenceForm(request.POST, request.FILES, entries=entries)
    if form.is_valid():
        entry = form.cleaned_data["entry"]
        try:
            services.evidence_add(
                request=request,
                plan=plan,
                upload=form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
                actor_role=viewer.role_label,
                goal=entry if isinstance(entry, LearningGoal) else None,
                focus_point=entry if isinstance(entry, FocusPoint) else None,
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request, _("The file is saved in the draft. The family sees it when you publish the plan.")
            )
            return redirect(_plan_url(plan, request.POST.get("entry", "")))
    return _render_plan(request, plan, viewer, evidence_form=form)


def _stream(key, *, as_attachment: bool, content_type: str, filename: str):
    try:
        handle = storages["evidence"].open(key, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None

    def chunks():
        with handle:
            while chunk := handle.read(CHUNK):
                yield chunk

    response = StreamingHttpResponse(chunks(), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    for header, value in FILE_HEADERS.items():
        response[header] = value
    return response


def _serve(request, pk, *, thumbnail: bool):
    evidence, viewer = get_evidence_for_user_or_404(request.user, pk)
    if thumbnail and not evidence.thumbnail_key:
        raise Http404
    if thumbnail:
        access_record(
            request=request,
            child=evidence.plan.child,
            action=AccessEvent.Action.VIEW,
            subject="evidence_thumbnail",
            object_id=evidence.pk,
            actor_role=viewer.role_label,
        )
        return _stream(
            evidence.thumbnail_key, as_attachment=False, content_type="image/jpeg", filename="thumb.jpg"
        )
    access_record(
        request=request,
        child=evidence.plan.child,
        action=AccessEvent.Action.VIEW,
        subject="evidence",
        object_id=evidence.pk,
        actor_role=viewer.role_label,
    )
    response = _stream(
        evidence.storage_key,
        # Photos and videos open in the browser; documents are downloaded.
        as_attachment=evidence.kind == evidence.Kind.DOCUMENT,
        content_type=evidence.content_type,
        filename=evidence.original_name,
    )
    response["Content-Length"] = str(evidence.size)
    return response


@login_required
@require_GET
def evidence_file(request, pk):
    return _serve(request, pk, thumbnail=False)


@login_required
@require_GET
def evidence_thumbnail(request, pk):
    return _serve(request, pk, thumbnail=True)


@login_required
@require_http_methods(["POST"])
def evidence_takedown(request, pk):
    """A guardian asks for the photo or file to be taken down: nobody sees it from now on."""
    evidence, viewer = get_evidence_for_user_or_404(request.user, pk)
    if not can_request_takedown(viewer):
        raise Http404
    services.evidence_takedown_request(request=request, evidence=evidence, actor_role=viewer.role_label)
    messages.success(
        request, _("The file is hidden now. The staff have been asked to remove it, and nobody sees it.")
    )
    return redirect(_plan_url(evidence.plan))


@login_required
@require_http_methods(["POST"])
def evidence_remove(request, pk):
    """Staff who write the plan remove a photo or file for good (also one asked to be taken down)."""
    evidence, viewer = get_evidence_for_user_or_404(request.user, pk, taken_down=True)
    if not can_remove_evidence(viewer):
        raise Http404
    services.evidence_remove(request=request, evidence=evidence, actor_role=viewer.role_label)
    messages.success(request, _("The file is removed."))
    return redirect(_plan_url(evidence.plan))
