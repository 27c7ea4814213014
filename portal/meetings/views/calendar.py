"""The personal calendar feed: the settings page (the private address, a new address, stop the feed)
and the feed itself, which calendar apps fetch without logging in. The token in the address is the
only key, so an unknown or revoked token is a plain 404, and the feed shows only its owner's meetings
whoever fetches it. Only the token's hash is stored: the new address goes through the session to the
page shown right after it is made, once. Making a new address or stopping the feed asks for the
password (or an e-mailed code) again, like the other security settings."""

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from portal.accounts.models import hash_token
from portal.meetings.services import calendar as services

NEW_ADDRESS_SESSION_KEY = "meetings.calendar_feed_new"


def feed_url(token: str) -> str:
    return settings.SITE_URL + reverse("meetings:calendar_feed", kwargs={"token": token})


@login_required
def calendar_settings(request):
    feed = services.calendar_feed_for(request.user)
    # The address just made, shown this once (not if another tab has made a newer one since).
    token = request.session.pop(NEW_ADDRESS_SESSION_KEY, "")
    url = feed_url(token) if feed and token and hash_token(token) == feed.token_hash else ""
    webcal = "webcal://" + url.split("://", 1)[1] if url else ""
    return render(request, "meetings/calendar/settings.html", {"feed": feed, "url": url, "webcal": webcal})


@login_required
@require_POST
@reauthentication_required
def calendar_rotate(request):
    """Make a (new) private address; the old one stops working at once."""
    had_one = services.calendar_feed_for(request.user) is not None
    _feed, token = services.calendar_feed_rotate(user=request.user)
    request.session[NEW_ADDRESS_SESSION_KEY] = token
    # Whoever holds the address sees the family's meetings: every confirmed address is told.
    get_account_adapter(request).send_notification_mail(
        "account/email/calendar_address_changed", request.user, {"stopped": False}
    )
    if had_one:
        messages.success(
            request,
            _("You have a new address. The old one no longer works: add the new one to your calendar."),
        )
    else:
        messages.success(request, _("Your calendar address is ready. Add it to your calendar below."))
    return redirect("meetings:calendar_settings")


@login_required
@require_POST
@reauthentication_required
def calendar_delete(request):
    """Stop the feed: the address no longer works."""
    if services.calendar_feed_delete(user=request.user):
        get_account_adapter(request).send_notification_mail(
            "account/email/calendar_address_changed", request.user, {"stopped": True}
        )
        messages.success(
            request, _("The calendar feed is stopped. You can remove it from your calendar app too.")
        )
    return redirect("meetings:calendar_settings")


@require_safe
def calendar_feed(request, token):
    """The iCalendar feed of the token's owner; no login (calendar apps fetch it)."""
    feed = services.calendar_feed_by_token(token)
    if feed is None:
        raise Http404
    body, children = services.calendar_feed_render(feed)
    services.calendar_feed_touch(feed)
    services.calendar_feed_access_record(request=request, feed=feed, token=token, children=children)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="godtpaavej.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
