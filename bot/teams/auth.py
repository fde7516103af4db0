"""Bot Framework authentication, both ways, done by the Teams SDK for Python and configured from Settings.

Inbound: the SDK's `TokenValidator` checks every activity's JWT: the signature against the key set
next to the configured OpenID metadata, the issuer, the audience (our app id), the expiry, and that
the token was issued for the activity's `serviceUrl`, so a stolen token cannot point Schakel's
replies elsewhere.

Outbound: the SDK's `BotTokenClient` gets Schakel's own token with the client-credentials grant
(`ClientCredentials`), from the login endpoint of the configured `CloudEnvironment`. We keep the
token until shortly before it expires.
"""

from __future__ import annotations

import asyncio
import time
import warnings
from typing import Any

import jwt
from microsoft_teams.api import ClientCredentials
from microsoft_teams.api.auth.cloud_environment import PUBLIC, CloudEnvironment, with_overrides
from microsoft_teams.api.clients.api_client_settings import ApiClientSettings
from microsoft_teams.api.clients.bot.token_client import BotTokenClient
from microsoft_teams.common.experimental import ExperimentalWarning
from microsoft_teams.common.http import ClientOptions

with warnings.catch_warnings():
    # Importing the apps package announces preview features Schakel does not use (HTML widgets).
    warnings.simplefilter("ignore", ExperimentalWarning)
    from microsoft_teams.apps.auth.token_validator import TokenValidator

from bot.settings import Settings

REFRESH_MARGIN_SECONDS = 300
HTTP_TIMEOUT = 10.0


class AuthError(Exception):
    """The request is not from the Bot Framework (or not for us): answer 401."""


def cloud_environment(settings: Settings) -> CloudEnvironment:
    """Microsoft's public cloud, with the endpoints Settings overrides (a sovereign cloud, or the test connector)."""
    return with_overrides(PUBLIC, openid_metadata_url=settings.teams_openid_url,
                          token_issuer=settings.teams_token_issuer,
                          login_endpoint=settings.teams_login_url.rstrip("/"))


class InboundValidator:
    def __init__(self, settings: Settings) -> None:
        if not settings.teams_app_id:
            raise ValueError("TEAMS_APP_ID is needed to validate Bot Framework tokens")
        self._validator = TokenValidator.for_service(settings.teams_app_id, cloud=cloud_environment(settings))

    def validate(self, authorization: str | None) -> dict[str, Any]:
        """The claims of a valid token for this app (signature, issuer, audience, expiry), or AuthError.

        Runs before the body is parsed; `check_service_url` then ties the token to the activity.
        """
        if not authorization or not authorization.startswith("Bearer "):
            raise AuthError("missing bearer token")
        token = authorization.removeprefix("Bearer ").strip()
        try:
            # A coroutine without awaits (PyJWT fetches the keys synchronously): run it on this thread.
            claims = asyncio.run(self._validator.validate_token(token))
        except jwt.PyJWTError as error:
            raise AuthError(type(error).__name__) from None
        if "exp" not in claims:  # the SDK checks the expiry only when the claim is there
            raise AuthError("the token has no expiry")
        return claims

    @staticmethod
    def check_service_url(claims: dict[str, Any], service_url: str | None) -> None:
        """The token must have been issued for the serviceUrl Schakel would reply to (compared as the SDK
        does, without a trailing slash). Only activities Schakel ignores (typing) come without one."""
        if not service_url:
            return
        issued_for = claims.get("serviceurl")
        if not isinstance(issued_for, str) or issued_for.rstrip("/") != service_url.rstrip("/"):
            raise AuthError("the token was issued for another serviceUrl")


class OutboundTokens:
    """Schakel's own bearer token for the Bot Connector API (None without an app id: local emulator).

    `authorization` is a coroutine: the SDK's HTTP client awaits it before each call.
    """

    def __init__(self, settings: Settings) -> None:
        self._credentials: ClientCredentials | None = None
        if settings.teams_app_id and settings.teams_app_password is not None:
            self._credentials = ClientCredentials(client_id=settings.teams_app_id,
                                                  client_secret=settings.teams_app_password.get_secret_value(),
                                                  tenant_id=settings.teams_tenant_id)
        self._enabled = bool(settings.teams_app_id)
        cloud = cloud_environment(settings)
        self._client = BotTokenClient(ClientOptions(timeout=HTTP_TIMEOUT),
                                      ApiClientSettings(oauth_url=cloud.token_service_url), cloud=cloud)
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock: asyncio.Lock | None = None

    @property
    def enabled(self) -> bool:
        return self._enabled

    async def token(self) -> str | None:
        if not self._enabled:
            return None
        if self._lock is None:
            self._lock = asyncio.Lock()  # created on the connector's event loop, where it is used
        async with self._lock:
            if self._token is None or time.time() > self._expires_at - REFRESH_MARGIN_SECONDS:
                if self._credentials is None:
                    raise ValueError("TEAMS_APP_PASSWORD ontbreekt: zonder wachtwoord kan Schakel niet posten in Teams.")
                response = await self._client.get(self._credentials)
                self._token, self._expires_at = response.access_token, time.time() + response.expires_in
            return self._token
