"""Request/response value objects the fakes' handlers work with, and body parsing by content type."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs


@dataclass(frozen=True)
class Request:
    """An incoming HTTP request with its body parsed by content type (JSON, form, or text)."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    raw_body: bytes
    body: Any

    def header(self, name: str) -> str | None:
        """Header value by case-insensitive name."""
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)

    def param(self, name: str) -> str | None:
        """Last value of a query-string parameter, or None."""
        values = self.query.get(name)
        return values[-1] if values else None


@dataclass(frozen=True)
class Response:
    """What a handler answers: status, a JSON-able or bytes/str body, and extra headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> tuple[bytes, str]:
        """Body bytes and the Content-Type to send with them."""
        if self.body is None:
            return b"", "text/plain; charset=utf-8"
        if isinstance(self.body, bytes):
            return self.body, "application/octet-stream"
        if isinstance(self.body, str):
            return self.body.encode(), "text/plain; charset=utf-8"
        return json.dumps(self.body).encode(), "application/json; charset=utf-8"


def parse_body(raw: bytes, content_type: str | None) -> Any:
    """Decode a request body: JSON objects, form fields (last value wins), else text; None when empty."""
    if not raw:
        return None
    kind = (content_type or "").split(";")[0].strip().lower()
    text = raw.decode("utf-8", errors="replace")
    if kind == "application/x-www-form-urlencoded":
        return {k: v[-1] for k, v in parse_qs(text, keep_blank_values=True).items()}
    if kind.endswith("json") or kind == "":
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def parse_query(query_string: str) -> dict[str, list[str]]:
    """Query-string parameters as lists of values (blank values kept)."""
    return parse_qs(query_string, keep_blank_values=True)
