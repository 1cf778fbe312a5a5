"""Thread-safe record of every request a fake server received, for assertions in tests."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RecordedCall:
    """One request as the fake saw it, plus the status it answered with."""

    endpoint: str
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any
    raw_body: bytes
    status: int
    faulted: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        """Header value by case-insensitive name (HTTP headers are case-insensitive)."""
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)


class CallLog:
    """Append-only, lock-protected list of `RecordedCall`s with small query helpers."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: list[RecordedCall] = []

    def append(self, call: RecordedCall) -> None:
        """Record one finished request."""
        with self._lock:
            self._calls.append(call)

    def all(self) -> list[RecordedCall]:
        """Snapshot of every recorded request, oldest first."""
        with self._lock:
            return list(self._calls)

    def calls(
        self, endpoint: str | None = None, where: Callable[[RecordedCall], bool] | None = None
    ) -> list[RecordedCall]:
        """Recorded requests for one endpoint name (all when None), optionally filtered further."""
        return [c for c in self.all() if (endpoint is None or c.endpoint == endpoint) and (where is None or where(c))]

    def count(self, endpoint: str | None = None) -> int:
        """How many requests hit `endpoint` (all endpoints when None), faulted ones included."""
        return len(self.calls(endpoint))

    def clear(self) -> None:
        """Forget every recorded request (state of the fake is kept)."""
        with self._lock:
            self._calls.clear()
