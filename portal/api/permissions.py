from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.permissions import BasePermission

from portal.api.models import ApiClient


def client_of(request) -> ApiClient | None:
    return request.auth if isinstance(request.auth, ApiClient) else None


class HasScope(BasePermission):
    """An API client whose key carries the view's ``required_scope``; no scope named: nobody."""

    message = _("This API key may not read this.")

    def has_permission(self, request, view):
        client = client_of(request)
        if client is None:
            raise exceptions.NotAuthenticated()
        scope = getattr(view, "required_scope", None)
        return bool(scope) and client.has_scope(scope)
