"""``Authorization: Bearer <key>`` for the API: the key is looked up by its SHA-256 hash. Nothing else
authenticates there: a signed-in person's session cookie gives nothing."""

import hmac

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from portal.api.models import ApiClient
from portal.api.services import api_client_touch


class ApiPrincipal:
    """The ``request.user`` of an API request: the client, never a person."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    pk = id = None
    is_api_client = True

    def __init__(self, client: ApiClient):
        self.client = client

    def __str__(self):
        return self.client.name


class ApiKeyAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Send the key as: Authorization: Bearer <key>."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The API key is not valid.")) from None
        digest = ApiClient.hash_key(key)
        client = ApiClient.objects.filter(key_hash=digest, revoked_at__isnull=True).first()
        if client is None or not hmac.compare_digest(client.key_hash, digest):
            raise exceptions.AuthenticationFailed(_("The API key is not valid."))
        api_client_touch(client=client)
        return ApiPrincipal(client), client

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
