"""Getting a Salesforce access token from Settings: direct token, OAuth JWT bearer, client credentials,
OAuth username-password, or the legacy SOAP login.

The token endpoint comes from `settings.salesforce_login_url` (default `https://{salesforce_domain}.salesforce.com`)
so a fake can serve it; simple_salesforce hard-codes the salesforce.com host for OAuth, so the OAuth grants are
posted here and the library is then used in its "direct" (instance URL + token) mode.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal

import jwt
import requests
from simple_salesforce import SalesforceLogin
from simple_salesforce.exceptions import SalesforceAuthenticationFailed

from config import Settings
from crm_sync.salesforce.errors import SalesforceAuthError

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
JWT_LIFETIME_SECONDS = 180
AuthMode = Literal["jwt", "client_credentials", "password_oauth", "soap", "direct"]


@dataclass(frozen=True)
class Token:
    """An access token and the instance it is valid for (https URL, no trailing slash)."""

    access_token: str
    instance_url: str


def login_url(settings: Settings) -> str:
    """Base URL of the OAuth/SOAP login host (configurable so tests can point it at a fake)."""
    return settings.salesforce_login_url or f"https://{settings.salesforce_domain}.salesforce.com"


def auth_mode(settings: Settings) -> AuthMode | None:
    """Which login the settings allow, preferring the ones Salesforce recommends; None if only a token is set."""
    client_id, username = settings.salesforce_client_id, settings.salesforce_username
    if client_id and settings.salesforce_private_key_file and username:
        return "jwt"
    if client_id and settings.salesforce_client_secret and username and settings.salesforce_password:
        return "password_oauth"
    if client_id and settings.salesforce_client_secret:
        return "client_credentials"
    if username and settings.salesforce_password and settings.salesforce_security_token:
        return "soap"
    return None


class Authenticator:
    """Obtains fresh tokens with the configured login (used at start and after a session expires)."""

    def __init__(self, settings: Settings, session: requests.Session) -> None:
        self.settings = settings
        self.session = session
        self.mode = auth_mode(settings)

    def initial_token(self) -> Token:
        """The configured direct token when there is one, else a fresh login."""
        settings = self.settings
        if settings.salesforce_instance_url and settings.salesforce_access_token:
            return Token(settings.salesforce_access_token.get_secret_value(), settings.salesforce_instance_url)
        return self.login()

    @property
    def can_login(self) -> bool:
        """Whether an expired session can be renewed without an operator."""
        return self.mode is not None

    def login(self) -> Token:
        """Log in with the configured method; raises SalesforceAuthError with a reason (never the secret)."""
        if self.mode is None:
            raise SalesforceAuthError(
                "Salesforce session expired and no login method is configured; set FELLOW_SALESFORCE_CLIENT_ID "
                "with FELLOW_SALESFORCE_PRIVATE_KEY_FILE (JWT) or FELLOW_SALESFORCE_CLIENT_SECRET"
            )
        if self.mode == "soap":
            return self._soap()
        return self._oauth(self._grant())

    def _grant(self) -> tuple[dict[str, str], tuple[str, str] | None]:
        settings = self.settings
        client_id = settings.salesforce_client_id or ""
        if self.mode == "jwt":
            path = settings.salesforce_private_key_file
            try:
                key = path.read_bytes() if path else b""
            except OSError as exc:
                raise SalesforceAuthError(f"cannot read Salesforce private key file {path}: {exc.strerror}") from None
            claims = {
                "iss": client_id,
                "sub": settings.salesforce_username,
                "aud": login_url(settings),
                "exp": int(time.time()) + JWT_LIFETIME_SECONDS,
            }
            try:
                assertion = jwt.encode(claims, key, algorithm="RS256")
            except (ValueError, TypeError, jwt.PyJWTError) as exc:
                raise SalesforceAuthError(f"cannot sign the JWT with {path}: {type(exc).__name__}") from None
            return {"grant_type": JWT_BEARER, "assertion": assertion}, None
        secret = settings.salesforce_client_secret.get_secret_value() if settings.salesforce_client_secret else ""
        if self.mode == "client_credentials":
            return {"grant_type": "client_credentials"}, (client_id, secret)
        password = settings.salesforce_password.get_secret_value() if settings.salesforce_password else ""
        token = settings.salesforce_security_token.get_secret_value() if settings.salesforce_security_token else ""
        form = {
            "grant_type": "password",
            "client_id": client_id,
            "client_secret": secret,
            "username": settings.salesforce_username or "",
            "password": password + token,
        }
        return form, None

    def _oauth(self, grant: tuple[dict[str, str], tuple[str, str] | None]) -> Token:
        form, basic = grant
        url = f"{login_url(self.settings)}/services/oauth2/token"
        try:
            response = self.session.post(url, data=form, auth=basic)
        except requests.RequestException as exc:
            raise SalesforceAuthError(f"Salesforce login at {url} failed: {type(exc).__name__}") from None
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code != 200 or not isinstance(body, dict) or "access_token" not in body:
            error = body.get("error", "") if isinstance(body, dict) else ""
            reason = body.get("error_description", "") if isinstance(body, dict) else ""
            raise SalesforceAuthError(
                f"Salesforce {self.mode} login refused ({response.status_code} {error}: {reason})".strip()
            )
        return Token(body["access_token"], str(body["instance_url"]).rstrip("/"))

    def _soap(self) -> Token:
        settings = self.settings
        custom = settings.salesforce_login_url
        try:
            session_id, instance = SalesforceLogin(
                username=settings.salesforce_username,
                password=settings.salesforce_password.get_secret_value() if settings.salesforce_password else None,
                security_token=settings.salesforce_security_token.get_secret_value()
                if settings.salesforce_security_token
                else None,
                sf_version=settings.salesforce_api_version,
                session=self.session,
                domain=settings.salesforce_domain,
                scratch_url=custom,
            )
        except SalesforceAuthenticationFailed as exc:
            raise SalesforceAuthError(f"Salesforce SOAP login refused: {exc.code}") from None
        except requests.RequestException as exc:
            raise SalesforceAuthError(f"Salesforce SOAP login failed: {type(exc).__name__}") from None
        return Token(session_id, f"https://{instance}")
