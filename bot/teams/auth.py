"""Bot Framework authentication, both ways.

Inbound: every activity on /api/messages carries a JWT signed by the Bot Framework. We check the
signature against the keys named in the configured OpenID metadata, the issuer, the audience (our
app id), the expiry, and that the token was issued for the `serviceUrl` the activity names, so a
stolen token cannot point Schakel's replies elsewhere.

Outbound: Schakel's own replies carry a token from the client-credentials flow (app id and
password), cached until shortly before it expires.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
import jwt

from bot.settings import Settings

CLOCK_SKEW_SECONDS = 300  # the Bot Framework allows five minutes of clock skew
BOT_SCOPE = "https://api.botframework.com/.default"
DEFAULT_LOGIN_TENANT = "botframework.com"  # multi-tenant bots get their token here
REFRESH_MARGIN_SECONDS = 300
HTTP_TIMEOUT = 10.0


class AuthError(Exception):
    """The request is not from the Bot Framework (or not for us): answer 401."""


class InboundValidator:
    def __init__(self, settings: Settings) -> None:
        if not settings.teams_app_id:
            raise ValueError("TEAMS_APP_ID is needed to validate Bot Framework tokens")
        self._app_id = settings.teams_app_id
        self._issuer = settings.teams_token_issuer
        self._openid_url = settings.teams_openid_url
        self._jwks: jwt.PyJWKClient | None = None
        self._lock = threading.Lock()

    def validate(self, authorization: str | None) -> dict[str, Any]:
        """The claims of a valid token for this app, or AuthError."""
        if not authorization or not authorization.startswith("Bearer "):
            raise AuthError("missing bearer token")
        token = authorization.removeprefix("Bearer ").strip()
        try:
            key = self._keys().get_signing_key_from_jwt(token)
            claims: dict[str, Any] = jwt.decode(
                token, key.key, algorithms=["RS256"], audience=self._app_id, issuer=self._issuer,
                leeway=CLOCK_SKEW_SECONDS, options={"require": ["exp", "iss", "aud"]},
            )
        except (jwt.PyJWTError, httpx.HTTPError, ValueError) as error:
            raise AuthError(type(error).__name__) from None
        return claims

    @staticmethod
    def check_service_url(claims: dict[str, Any], service_url: str) -> None:
        """The activity's serviceUrl must be the one the token was issued for (where replies go)."""
        claimed_url = str(claims.get("serviceurl") or claims.get("serviceUrl") or "")
        if not service_url or claimed_url.rstrip("/") != service_url.rstrip("/"):
            raise AuthError("serviceUrl does not match the token")

    def _keys(self) -> jwt.PyJWKClient:
        # The metadata names the key set; PyJWKClient caches the keys and refetches on an unknown kid.
        with self._lock:
            if self._jwks is None:
                response = httpx.get(self._openid_url, timeout=HTTP_TIMEOUT)
                response.raise_for_status()
                self._jwks = jwt.PyJWKClient(str(response.json()["jwks_uri"]), cache_keys=True)
            return self._jwks


class OutboundTokens:
    """Schakel's own bearer token for the Bot Connector API (None without an app id: local emulator)."""

    def __init__(self, settings: Settings) -> None:
        self._app_id = settings.teams_app_id
        self._password = settings.teams_app_password
        tenant = settings.teams_tenant_id or DEFAULT_LOGIN_TENANT
        self._token_url = f"{settings.teams_login_url.rstrip('/')}/{tenant}/oauth2/v2.0/token"
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = threading.Lock()

    def authorization(self) -> str | None:
        if not self._app_id:
            return None
        with self._lock:
            if self._token is None or time.time() > self._expires_at - REFRESH_MARGIN_SECONDS:
                self._token, self._expires_at = self._fetch()
            return f"Bearer {self._token}"

    def _fetch(self) -> tuple[str, float]:
        if self._password is None:
            raise ValueError("TEAMS_APP_PASSWORD ontbreekt: zonder wachtwoord kan Schakel niet posten in Teams.")
        response = httpx.post(self._token_url, timeout=HTTP_TIMEOUT, data={
            "grant_type": "client_credentials",
            "client_id": self._app_id,
            "client_secret": self._password.get_secret_value(),
            "scope": BOT_SCOPE,
        })
        response.raise_for_status()
        body = response.json()
        return str(body["access_token"]), time.time() + float(body.get("expires_in", 3600))
