"""API-key authentication: constant-time key checks, a brake on key guessing, and signed dashboard sessions."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Protocol

from pydantic import SecretStr

SESSION_COOKIE = "fellow_session"


class KeyRing:
    """The configured API keys; `matches` compares a candidate against every key in constant time."""

    def __init__(self, keys: tuple[SecretStr, ...]) -> None:
        self._keys = tuple(key.get_secret_value().encode() for key in keys)

    @property
    def configured(self) -> bool:
        """Whether any key is configured (without keys every protected route refuses)."""
        return bool(self._keys)

    def matches(self, candidate: str) -> bool:
        """True when the candidate equals one of the keys; every key is compared so timing reveals nothing."""
        raw = candidate.encode()
        found = False
        for key in self._keys:
            found |= hmac.compare_digest(raw, key)
        return found

    def signing_secret(self) -> bytes:
        """A secret derived from the keys for signing sessions: rotating the keys ends every session."""
        digest = hashlib.sha256(b"fellow-dashboard-session\x00")
        for key in self._keys:
            digest.update(hashlib.sha256(key).digest())
        return digest.digest()


class FailureLimiter:
    """Counts wrong keys per client in a sliding window and blocks a client that guesses too often."""

    def __init__(self, *, max_failures: int = 10, window_seconds: float = 60.0, max_clients: int = 10_000) -> None:
        self.max_failures = max_failures
        self.window_seconds = window_seconds
        self.max_clients = max_clients
        self._failures: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> list[float]:
        times = [t for t in self._failures.get(client, ()) if now - t < self.window_seconds]
        if times:
            self._failures[client] = times
        else:
            self._failures.pop(client, None)
        return times

    def retry_after(self, client: str, now: float | None = None) -> int | None:
        """Seconds until this client may try again, or None when it is not blocked."""
        now = time.monotonic() if now is None else now
        with self._lock:
            times = self._recent(client, now)
            if len(times) < self.max_failures:
                return None
            return max(1, int(self.window_seconds - (now - times[0])) + 1)

    def record_failure(self, client: str, now: float | None = None) -> None:
        """Remember one wrong key from this client (oldest clients are forgotten past `max_clients`)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            times = self._recent(client, now)
            times.append(now)
            self._failures[client] = times
            self._failures.move_to_end(client)
            while len(self._failures) > self.max_clients:
                self._failures.popitem(last=False)


@dataclass(frozen=True)
class DashboardSession:
    """A signed-in dashboard session: when it expires and the nonce its CSRF token is bound to."""

    expires_at: int
    nonce: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Revocations(Protocol):
    """Where ended sessions are recorded so that every process serving the dashboard refuses them."""

    def revoke(self, nonce: str, expires_at: int) -> None:
        """Record a session as ended until it expires."""

    def is_revoked(self, nonce: str) -> bool:
        """Whether a session was ended."""


class SessionSigner:
    """Issues and verifies HMAC-signed session cookies and the CSRF tokens bound to them.

    Logout is recorded in `revocations` (the database in the app, so every API process sees it) and remembered in
    this process; without `revocations` only this process knows (unit tests)."""

    def __init__(
        self,
        secret: bytes,
        *,
        lifetime_seconds: int = 8 * 3600,
        max_revoked: int = 10_000,
        revocations: Revocations | None = None,
    ) -> None:
        self._secret = secret
        self.lifetime_seconds = lifetime_seconds
        self.max_revoked = max_revoked
        self._revocations = revocations
        self._revoked: OrderedDict[str, int] = OrderedDict()
        self._revoked_lock = threading.Lock()

    def _remember(self, nonce: str, expires_at: int) -> None:
        with self._revoked_lock:
            self._revoked[nonce] = expires_at
            now = time.time()
            while self._revoked and (len(self._revoked) > self.max_revoked or next(iter(self._revoked.values())) < now):
                self._revoked.popitem(last=False)

    def revoke(self, session: DashboardSession) -> None:
        """End a session before it expires (logout): its cookie is refused from now on, by every process."""
        if self._revocations is not None:
            self._revocations.revoke(session.nonce, session.expires_at)
        self._remember(session.nonce, session.expires_at)

    def _is_revoked(self, session: DashboardSession) -> bool:
        with self._revoked_lock:
            if session.nonce in self._revoked:
                return True
        if self._revocations is not None and self._revocations.is_revoked(session.nonce):
            self._remember(session.nonce, session.expires_at)
            return True
        return False

    def _sign(self, payload: bytes) -> str:
        return _b64(hmac.new(self._secret, payload, hashlib.sha256).digest())

    def issue(self, now: float | None = None) -> tuple[str, DashboardSession]:
        """A new session and its cookie value."""
        now = time.time() if now is None else now
        session = DashboardSession(expires_at=int(now) + self.lifetime_seconds, nonce=secrets.token_urlsafe(16))
        payload = json.dumps({"exp": session.expires_at, "nonce": session.nonce}, separators=(",", ":")).encode()
        return f"{_b64(payload)}.{self._sign(payload)}", session

    def verify(self, cookie: str | None, now: float | None = None) -> DashboardSession | None:
        """The session a cookie carries, or None when it is missing, forged, malformed or expired."""
        if not cookie or cookie.count(".") != 1:
            return None
        encoded, signature = cookie.split(".")
        try:
            payload = _unb64(encoded)
        except ValueError:
            return None
        if not hmac.compare_digest(signature, self._sign(payload)):
            return None
        try:
            data = json.loads(payload)
            session = DashboardSession(expires_at=int(data["exp"]), nonce=str(data["nonce"]))
        except (ValueError, KeyError, TypeError):
            return None
        now = time.time() if now is None else now
        return session if session.expires_at > now and not self._is_revoked(session) else None

    def csrf_token(self, session: DashboardSession) -> str:
        """The CSRF token for forms rendered in this session."""
        return self._sign(b"csrf\x00" + session.nonce.encode())

    def check_csrf(self, session: DashboardSession, token: str | None) -> bool:
        """Whether a submitted CSRF token belongs to this session."""
        return bool(token) and hmac.compare_digest(str(token), self.csrf_token(session))


def bearer_token(header: str | None) -> str | None:
    """The token from an `Authorization: Bearer …` header, or None."""
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None
