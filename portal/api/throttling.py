from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from portal.api.permissions import client_of
from portal.client_address import client_ip


class ApiClientThrottle(SimpleRateThrottle):
    """Requests per client (per address for requests without a valid key), counted in the default
    cache: Redis in production, so the limit holds across processes."""

    scope = "api"

    def get_rate(self):
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view):
        client = client_of(request)
        ident = f"client-{client.pk}" if client else f"ip-{client_ip(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
