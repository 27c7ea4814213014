from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from portal.api.permissions import client_of
from portal.client_address import client_ip


class ApiClientThrottle(SimpleRateThrottle):
    """Requests per client (per address on the public schema and docs pages), counted in the default
    cache: Redis in production, so the limit holds across processes. DRF checks it after the key and
    the scope, so refused requests are not counted."""

    scope = "api"

    def get_rate(self):
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view):
        client = client_of(request)
        ident = f"client-{client.pk}" if client else f"ip-{client_ip(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
