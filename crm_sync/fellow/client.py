"""The Fellow developer API client: API-key header, POST list endpoints with cursor pagination (both envelope
shapes), 429 Retry-After, bounded retries on 5xx/timeouts, a timeout on every call and self-throttling
(Fellow documents no rate limit, so we stay at a few requests per second)."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any, Protocol

import requests
from pydantic import SecretStr
from structlog import get_logger

from config import Settings
from crm_sync.http import make_session

log = get_logger(__name__)
PAGE_SIZE = 50
MAX_RETRY_AFTER_SECONDS = 120.0
MIN_INTERVAL_SECONDS = 0.25
MAX_PAGES = 10_000


class FellowError(RuntimeError):
    """A Fellow API failure (the message never contains the key)."""


class FellowAuthError(FellowError):
    """The API key was refused (401/403)."""


class FellowUnavailable(FellowError):
    """Fellow kept failing (429, 5xx, timeouts, unreadable pages) after bounded retries."""


class FellowApi(Protocol):
    """What ingestion needs from Fellow (the real client, or a fake in tests)."""

    def list_notes(self, updated_since: datetime | None) -> Iterator[dict[str, Any]]:
        """Notes (markdown content, attendees) updated at or after a time, oldest first."""
        ...

    def list_recordings(self, updated_since: datetime | None) -> Iterator[dict[str, Any]]:
        """Recordings (diarized transcripts) updated at or after a time, oldest first."""
        ...


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _decode(response: requests.Response) -> Any:
    """JSON body; bytes that are not UTF-8 are replaced rather than failing the page."""
    return json.loads(response.content.decode("utf-8", errors="replace"))


def unwrap_page(kind: str, body: Any) -> tuple[list[dict[str, Any]], str | None]:
    """(items, next cursor) from `{page_info, data}` or `{kind: {page_info, data}}`; ValueError if neither."""
    envelope = body.get(kind) if isinstance(body, dict) and isinstance(body.get(kind), dict) else body
    if not isinstance(envelope, dict) or not isinstance(envelope.get("data"), list):
        raise ValueError(f"{kind} page has no data list")
    page_info = envelope.get("page_info")
    if not isinstance(page_info, dict):
        raise ValueError(f"{kind} page has no page_info")
    cursor = page_info.get("cursor")
    items = [item for item in envelope["data"] if isinstance(item, dict)]
    return items, cursor if isinstance(cursor, str) and cursor else None


class FellowClient:
    """Fellow developer API over a requests session with timeouts, retries and throttling."""

    def __init__(
        self,
        base_url: str,
        api_key: SecretStr,
        *,
        auth_header: str = "X-API-KEY",
        session: requests.Session,
        max_retries: int = 5,
        min_interval: float = MIN_INTERVAL_SECONDS,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session
        self.max_retries = max_retries
        self.min_interval = min_interval
        self.sleep = sleep
        self.monotonic = monotonic
        self.rng = rng or random.Random()
        key = api_key.get_secret_value()
        self._headers = {"Authorization": f"ApiKey {key}"} if auth_header == "Authorization" else {"X-API-KEY": key}
        self._last_request: float | None = None

    @classmethod
    def from_settings(cls, settings: Settings, *, sleep: Callable[[float], None] = time.sleep) -> FellowClient:
        """Build from Settings (fellow_api_url, fellow_api_key, fellow_auth_header, sync timeouts/retries)."""
        if settings.fellow_api_url is None or settings.fellow_api_key is None:
            raise FellowError("Fellow is off: set FELLOW_FELLOW_API_URL and FELLOW_FELLOW_API_KEY")
        return cls(
            settings.fellow_api_url,
            settings.fellow_api_key,
            auth_header=settings.fellow_auth_header,
            session=make_session(settings.sync.http_timeout_seconds),
            max_retries=settings.sync.max_retries,
            sleep=sleep,
        )

    def _throttle(self) -> None:
        if self._last_request is not None:
            wait = self.min_interval - (self.monotonic() - self._last_request)
            if wait > 0:
                self.sleep(wait)
        self._last_request = self.monotonic()

    def _backoff(self, attempt: int) -> float:
        ceiling = min(30.0, 2.0**attempt)
        return self.rng.uniform(ceiling / 2, ceiling)

    def request(self, method: str, path: str, body: dict[str, Any] | None = None, kind: str = "") -> Any:
        """One API call with throttling and bounded retries; returns the decoded JSON."""
        url = f"{self.base_url}/{path.lstrip('/')}"
        for attempt in range(self.max_retries + 1):
            self._throttle()
            delay: float | None = None
            try:
                response = self.session.request(method, url, json=body, headers=self._headers)
            except (requests.Timeout, requests.ConnectionError) as exc:
                reason = type(exc).__name__
            else:
                if response.status_code in (401, 403):
                    raise FellowAuthError(f"Fellow refused the API key ({response.status_code}) for {path}")
                if response.status_code == 429:
                    reason = "429 rate limited"
                    delay = _retry_after(response.headers.get("Retry-After"))
                elif response.status_code >= 500:
                    reason = f"{response.status_code} server error"
                elif response.status_code >= 400:
                    raise FellowError(f"Fellow answered {response.status_code} for {path}: {response.text[:200]}")
                else:
                    try:
                        data = _decode(response)
                        if kind:
                            unwrap_page(kind, data)
                        return data
                    except ValueError as exc:
                        reason = f"unreadable page: {exc}"
            if attempt >= self.max_retries:
                raise FellowUnavailable(f"Fellow {path} failed {attempt + 1} times; last: {reason}")
            wait = delay if delay is not None else self._backoff(attempt)
            log.warning("fellow.retry", path=path, reason=reason, attempt=attempt + 1, delay_seconds=round(wait, 2))
            self.sleep(wait)
        raise FellowUnavailable(f"Fellow {path} failed")

    def me(self) -> dict[str, Any]:
        """GET /me: checks the key and names the user and workspace."""
        return self.request("GET", "me")

    def _list(self, kind: str, include: dict[str, bool], updated_since: datetime | None) -> Iterator[dict[str, Any]]:
        filters = {"updated_at_start": _iso(updated_since)} if updated_since else {}
        cursor: str | None = None
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            body = {"filters": filters, "include": include, "pagination": {"cursor": cursor, "page_size": PAGE_SIZE}}
            items, cursor = unwrap_page(kind, self.request("POST", kind, body, kind=kind))
            yield from items
            if cursor is None:
                return
            if cursor in seen:
                raise FellowUnavailable(f"Fellow {kind} pagination repeated a cursor")
            seen.add(cursor)
        raise FellowUnavailable(f"Fellow {kind} pagination did not end after {MAX_PAGES} pages")

    def list_notes(self, updated_since: datetime | None) -> Iterator[dict[str, Any]]:
        """POST /notes with markdown content and attendees, following cursors."""
        return self._list("notes", {"content_markdown": True, "event_attendees": True}, updated_since)

    def list_recordings(self, updated_since: datetime | None) -> Iterator[dict[str, Any]]:
        """POST /recordings with transcripts, following cursors."""
        return self._list("recordings", {"transcript": True}, updated_since)


def _retry_after(value: str | None) -> float:
    """Seconds from a Retry-After header (integer seconds; unreadable -> 5 s), capped."""
    try:
        seconds = float(value) if value is not None else 5.0
    except ValueError:
        seconds = 5.0
    return max(0.0, min(MAX_RETRY_AFTER_SECONDS, seconds))
