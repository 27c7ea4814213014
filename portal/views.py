from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from portal.access import roles_of


def home(request):
    """Send each person to their own start page; anonymous visitors see the welcome page."""
    if not request.user.is_authenticated:
        return render(request, "portal/welcome.html")
    roles = roles_of(request.user)
    if roles.pupil:
        return redirect("children:pupil_home")
    if roles.administrator:
        return redirect("organisation:admin_home")
    if roles.staff:
        return redirect("children:staff_home")
    if roles.guardian:
        return redirect("children:parent_home")
    return render(request, "portal/no_role.html")


@never_cache
def healthz(request):
    """Liveness and database check for the load balancer and docker-compose."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def accessibility_statement(request):
    """The accessibility statement in the EU model's parts (Decision 2018/1523), for everyone."""
    return render(
        request,
        "portal/accessibility.html",
        {
            "contact_email": settings.ACCESSIBILITY_EMAIL,
            "contact_phone": settings.ACCESSIBILITY_PHONE,
            "reviewed_on": settings.ACCESSIBILITY_REVIEWED_ON,
        },
    )


def was(request):
    """The short address /was that Digitaliseringsstyrelsen asks every public website to keep."""
    return redirect(settings.ACCESSIBILITY_STATEMENT_URL or "accessibility_statement")
