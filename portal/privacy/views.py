"""A guardian's copies of their child's data: ask for one, see when it is ready, download it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from children.policies import can_see_access_log, get_child_for_user_or_404
from portal.access import has_custody_of
from portal.audit.models import AccessEvent
from portal.audit.services import access_record
from portal.privacy import services
from portal.privacy.models import DataExport

SHOWN = 10
FORMATS = {"json": ("json_key", "application/json"), "pdf": ("pdf_key", "application/pdf")}


def _guardians_child(request, child_pk):
    child = get_child_for_user_or_404(request.user, child_pk)
    if not can_see_access_log(request.user, child):
        raise Http404
    return child


@login_required
@require_http_methods(["GET", "POST"])
def export_list(request, child_pk):
    child = _guardians_child(request, child_pk)
    custody = has_custody_of(request.user, child)
    if request.method == "POST":
        if not custody:
            raise Http404
        try:
            export = services.data_export_request(child=child, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(
                request, " ".join(getattr(error, "messages", [_("Only a parent with custody can ask.")]))
            )
        else:
            access_record(
                request=request,
                child=child,
                action=AccessEvent.Action.CREATE,
                subject="data_export",
                object_id=export.pk,
            )
            messages.success(
                request,
                _("We are making the copy. You get a message when it is ready, usually within minutes."),
            )
        return redirect("privacy:export_list", child.pk)
    exports = list(DataExport.objects.filter(child=child, requested_by=request.user)[:SHOWN])
    now = timezone.now()
    for export in exports:
        export.available = export.status == DataExport.Status.READY and export.expires_at > now
    return render(
        request,
        "privacy/export_list.html",
        {
            "child": child,
            "exports": exports,
            "custody": custody,
            "making": any(e.status == DataExport.Status.QUEUED for e in exports),
            "export_ttl_days": settings.EXPORT_TTL_DAYS,
        },
    )


@login_required
@require_GET
def export_download(request, child_pk, pk, fmt):
    child = _guardians_child(request, child_pk)
    if fmt not in FORMATS:
        raise Http404
    export = get_object_or_404(
        DataExport,
        pk=pk,
        child=child,
        requested_by=request.user,
        status=DataExport.Status.READY,
        expires_at__gt=timezone.now(),
    )
    field, content_type = FORMATS[fmt]
    key = getattr(export, field)
    if not key:
        raise Http404
    try:
        handle = storages["exports"].open(key, "rb")
    except FileNotFoundError:
        raise Http404 from None
    access_record(
        request=request,
        child=child,
        action=AccessEvent.Action.VIEW,
        subject="data_export",
        object_id=export.pk,
    )
    services.data_export_downloaded(export=export)
    return FileResponse(
        handle, as_attachment=True, filename=services._filename(export, fmt), content_type=content_type
    )
