"""The one answer to "which address did this request come from?" for the whole portal: the access log,
allauth's rate limits and its session list all ask here."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The client address; X-Forwarded-For counts only as far as NUM_PROXIES trusted proxies vouch for it."""
    hops = settings.NUM_PROXIES
    if hops:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= hops:
            try:
                return str(ipaddress.ip_address(forwarded[-hops]))
            except ValueError:
                return None
    return request.META.get("REMOTE_ADDR") or None
