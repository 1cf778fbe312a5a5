"""Sessions (bearer tokens), the OAuth token endpoint (JWT bearer, client credentials, password grants) and the
legacy SOAP login (partner API `login` call: username and password+security token in an XML envelope)."""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

import jwt

from tests.fakes.core import Request, Response
from tests.fakes.salesforce.ids import API_USER_ID

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"


class Sessions:
    """Valid access tokens; expiring them makes every API call answer 401 INVALID_SESSION_ID."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: set[str] = set()

    def issue(self) -> str:
        """Mint and remember a new access token."""
        token = f"00DFAKE0000000001!{secrets.token_urlsafe(24)}"
        with self._lock:
            self._tokens.add(token)
        return token

    def is_valid(self, token: str | None) -> bool:
        """Whether a bearer token is currently accepted."""
        with self._lock:
            return token is not None and token in self._tokens

    def expire_all(self) -> None:
        """Invalidate every issued token (as when a session times out or is revoked)."""
        with self._lock:
            self._tokens.clear()


@dataclass
class OAuthConfig:
    """What the token endpoint checks. None means "accept any well-formed value"."""

    consumer_key: str | None = None
    consumer_secret: str | None = None
    jwt_public_key: str | bytes | None = None
    users: dict[str, str] = field(default_factory=dict)


def _oauth_error(error: str, description: str, status: int = 400) -> Response:
    return Response(status, {"error": error, "error_description": description})


def _b64url_json(segment: str) -> Any:
    padded = segment + "=" * (-len(segment) % 4)
    return json.loads(base64.urlsafe_b64decode(padded))


def _check_assertion(assertion: str, config: OAuthConfig) -> str | None:
    """Problem with a JWT bearer assertion, or None when acceptable."""
    parts = assertion.split(".")
    if len(parts) != 3:
        return "invalid assertion"
    try:
        header, claims = _b64url_json(parts[0]), _b64url_json(parts[1])
    except (ValueError, binascii.Error):
        return "invalid assertion"
    if header.get("alg") != "RS256" or not all(k in claims for k in ("iss", "sub", "aud", "exp")):
        return "invalid assertion"
    if float(claims["exp"]) < time.time():
        return "expired authorization code"
    if config.consumer_key is not None and claims["iss"] != config.consumer_key:
        return "client identifier invalid"
    if config.jwt_public_key is not None:
        try:
            jwt.decode(
                assertion,
                config.jwt_public_key,
                algorithms=["RS256"],
                options={"verify_aud": False, "verify_exp": False},
            )
        except jwt.PyJWTError:
            return "invalid assertion"
    return None


def _client_credentials(request: Request, form: dict[str, str]) -> tuple[str | None, str | None]:
    header = request.header("Authorization") or ""
    if header.startswith("Basic "):
        try:
            key, _, secret = base64.b64decode(header[6:]).decode().partition(":")
        except (ValueError, binascii.Error):
            return None, None
        return key, secret
    return form.get("client_id"), form.get("client_secret")


def token_endpoint(request: Request, sessions: Sessions, config: OAuthConfig, instance_url: str) -> Response:
    """Answer POST /services/oauth2/token the way Salesforce does (errors as {error, error_description})."""
    form = request.body if isinstance(request.body, dict) else {}
    grant = form.get("grant_type")
    if grant == JWT_BEARER:
        problem = _check_assertion(form.get("assertion", ""), config)
        if problem:
            return _oauth_error("invalid_grant", problem)
    elif grant in ("client_credentials", "password"):
        key, secret = _client_credentials(request, form)
        if not key or not secret:
            return _oauth_error("invalid_client", "invalid client credentials", 401)
        if (config.consumer_key, config.consumer_secret) != (None, None) and (key, secret) != (
            config.consumer_key,
            config.consumer_secret,
        ):
            return _oauth_error("invalid_client", "invalid client credentials", 401)
        if grant == "password" and config.users.get(form.get("username", "")) != form.get("password"):
            return _oauth_error("invalid_grant", "authentication failure")
    else:
        return _oauth_error("unsupported_grant_type", "grant type not supported")
    return Response(
        200,
        {
            "access_token": sessions.issue(),
            "instance_url": instance_url,
            "id": f"{instance_url}/id/00DFAKE0000000001/{API_USER_ID}",
            "token_type": "Bearer",
            "issued_at": str(int(time.time() * 1000)),
            "signature": base64.b64encode(secrets.token_bytes(32)).decode(),
        },
    )


_SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
_PARTNER = "urn:partner.soap.sforce.com"


def _soap_fault(code: str, message: str) -> Response:
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="{_SOAP_ENV}" '
        'xmlns:sf="urn:fault.partner.soap.sforce.com"><soapenv:Body><soapenv:Fault>'
        f"<faultcode>sf:{code}</faultcode><faultstring>{code}: {message}</faultstring><detail>"
        f"<sf:LoginFault><sf:exceptionCode>{code}</sf:exceptionCode><sf:exceptionMessage>{message}"
        "</sf:exceptionMessage></sf:LoginFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>"
    )
    return Response(500, body, {"Content-Type": "text/xml; charset=utf-8"})


def soap_login_endpoint(request: Request, sessions: Sessions, config: OAuthConfig, url: str, version: str) -> Response:
    """Answer POST /services/Soap/u/{version} (SOAPAction: login) as Salesforce does: a session id and serverUrl,
    or a LoginFault (HTTP 500) such as INVALID_LOGIN. `config.users` maps username -> password+security token."""
    if request.method != "POST":
        return _soap_fault("INVALID_REQUEST", "must use HTTP POST")
    try:
        root = ET.fromstring(request.raw_body)
    except ET.ParseError:
        return _soap_fault("INVALID_REQUEST", "malformed SOAP envelope")
    username = root.findtext(f".//{{{_PARTNER}}}username")
    password = root.findtext(f".//{{{_PARTNER}}}password")
    if not username or password is None or config.users.get(username) != password:
        return _soap_fault("INVALID_LOGIN", "Invalid username, password, security token; or user locked out.")
    session_id = sessions.issue()
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="{_SOAP_ENV}" '
        f'xmlns="{_PARTNER}"><soapenv:Body><loginResponse><result>'
        f"<metadataServerUrl>{url}/services/Soap/m/{version}/00DFAKE0000000001</metadataServerUrl>"
        "<passwordExpired>false</passwordExpired><sandbox>false</sandbox>"
        f"<serverUrl>{url}/services/Soap/u/{version}/00DFAKE0000000001</serverUrl>"
        f"<sessionId>{session_id}</sessionId><userId>005FAKE0000000001</userId>"
        "</result></loginResponse></soapenv:Body></soapenv:Envelope>"
    )
    return Response(200, body, {"Content-Type": "text/xml; charset=utf-8"})
