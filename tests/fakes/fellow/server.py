"""FakeFellow: the Fellow developer API at `{url}/api/v1` (me, recordings, notes) with faults.

Endpoint names for `calls()` / `inject()`: me, recordings, notes, unknown.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal

from tests.fakes.core import FakeServer, Fault, Request, Response
from tests.fakes.core.clock import Clock, utc_now
from tests.fakes.fellow.listing import ListError, list_page
from tests.fakes.fellow.store import FellowStore

AuthMode = Literal["x-api-key", "authorization"]
Envelope = Literal["flat", "nested"]
MALFORMED_PAGES: dict[str, Fault] = {
    "invalid_json": Fault(200, '{"page_info": {"cursor": null', {"Content-Type": "application/json"}),
    "missing_page_info": Fault(200, {"data": []}),
    "missing_data": Fault(200, {"page_info": {"cursor": None, "page_size": 20}}),
    "record_without_id": Fault(200, {"page_info": {"cursor": None, "page_size": 20}, "data": [{"title": "?"}]}),
}


class FakeFellow(FakeServer):
    """Fake Fellow API: API-key auth, list endpoints with cursors, configurable envelope, 429/500/slow/malformed."""

    def __init__(
        self,
        api_key: str = "fellow-test-key",
        auth_mode: AuthMode = "x-api-key",
        envelope: Envelope = "flat",
        attendees_as_emails: bool = False,
        clock: Clock = utc_now,
    ) -> None:
        super().__init__()
        self.api_key = api_key
        self.auth_mode = auth_mode
        self.envelope = envelope
        self.attendees_as_emails = attendees_as_emails
        self.store = FellowStore(clock)

    @property
    def api_url(self) -> str:
        """Base URL of the API, like https://<workspace>.fellow.app/api/v1 (no trailing slash)."""
        return f"{self.url}/api/v1"

    def auth_headers(self) -> dict[str, str]:
        """Headers a correctly configured client sends for the current auth mode."""
        if self.auth_mode == "authorization":
            return {"Authorization": f"ApiKey {self.api_key}"}
        return {"X-API-KEY": self.api_key}

    # seeding ------------------------------------------------------------------------------------------------
    def add_call(
        self,
        title: str,
        attendees: list[str | tuple[str, str]] | None = None,
        transcript: list[tuple[str, str]] | None = None,
        content_markdown: str = "",
        created_at: datetime | None = None,
        with_recording: bool = True,
    ) -> tuple[str, str | None]:
        """Add a call's note (+ recording); returns (note_id, recording_id or None)."""
        return self.store.add_call(
            title, attendees or [], transcript or [], content_markdown, created_at, with_recording
        )

    def seed_calls(
        self, count: int, domain_pattern: str = "prospect-{n}.example", start: datetime | None = None
    ) -> list[tuple[str, str | None]]:
        """Add `count` calls (one a minute from `start`), each with a prospect at its own domain."""
        base = start or self.store.clock()
        calls = []
        for n in range(count):
            domain = domain_pattern.format(n=n)
            calls.append(
                self.add_call(
                    f"Intro call: Prospect {n} <> Us",
                    attendees=[(f"buyer@{domain}", f"Buyer {n}"), ("ae@ourcompany.example", "Our AE")],
                    transcript=[("Our AE", "What brings you here?"), (f"Buyer {n}", "We need a voice AI agent.")],
                    content_markdown=f"# Intro with Prospect {n}\n\n* Wants voice automation for support calls",
                    created_at=base + timedelta(minutes=n),
                )
            )
        return calls

    def edit_note(self, note_id: str, **changes: Any) -> None:
        """Change a note (e.g. content_markdown=...) and bump updated_at."""
        self.store.touch_note(note_id, **changes)

    # faults --------------------------------------------------------------------------------------------------
    def rate_limit(self, endpoint: str, retry_after: int = 1, times: int = 1) -> None:
        """Answer the next `times` calls with 429 and Retry-After."""
        fault = Fault(429, {"detail": "Request was throttled."}, {"Retry-After": str(int(retry_after))})
        self.inject(endpoint, fault, times)

    def server_error(self, endpoint: str, times: int = 1, status: int = 500) -> None:
        """Answer the next `times` calls with an HTTP 5xx."""
        self.inject(endpoint, Fault(status, {"detail": "Internal server error"}), times)

    def malformed_page(self, endpoint: str, kind: str = "invalid_json", times: int = 1) -> None:
        """Answer with a broken 200 page: invalid_json, missing_page_info, missing_data or record_without_id."""
        self.inject(endpoint, MALFORMED_PAGES[kind], times)

    def slow(self, endpoint: str, seconds: float, times: int = 1) -> None:
        """Delay the next `times` (otherwise correct) responses of `endpoint`."""
        self.inject(endpoint, Fault(0, delay=seconds), times)

    # HTTP ----------------------------------------------------------------------------------------------------
    def route(self, request: Request) -> str:
        """`me`, `recordings`, `notes` for the matching /api/v1 paths."""
        name = request.path.removeprefix("/api/v1/").rstrip("/")
        return name if name in ("me", "recordings", "notes") else "unknown"

    def handle(self, request: Request, endpoint: str) -> Response:
        """Check the API key, then serve /me or a list page."""
        if not self._authorized(request):
            return Response(401, {"detail": "Authentication credentials were not provided or are invalid."})
        if endpoint == "me" and request.method == "GET":
            return Response(200, self._me())
        if endpoint in ("recordings", "notes") and request.method == "POST":
            return self._list(endpoint, request)
        return Response(404, {"detail": "Not found."})

    def _authorized(self, request: Request) -> bool:
        if self.auth_mode == "authorization":
            return request.header("Authorization") == f"ApiKey {self.api_key}"
        return request.header("X-API-KEY") == self.api_key

    @staticmethod
    def _me() -> dict[str, Any]:
        return {
            "user": {"id": "Fuser00001", "email": "service@ourcompany.example", "full_name": "Service User"},
            "workspace": {"id": "Fwksp00001", "name": "Our Company", "subdomain": "ourcompany"},
        }

    def _list(self, kind: str, request: Request) -> Response:
        if not isinstance(request.body, dict | type(None)):
            return Response(400, {"detail": "JSON object body expected."})
        with self.store.lock:
            items = list((self.store.recordings if kind == "recordings" else self.store.notes).values())
            try:
                data, page_info = list_page(kind, request.body, items, self.store.notes, self.attendees_as_emails)
            except ListError as exc:
                return Response(400, {"detail": str(exc)})
        page = {"page_info": page_info, "data": data}
        return Response(200, {kind: page} if self.envelope == "nested" else page)
