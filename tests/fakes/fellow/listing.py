"""The list endpoints (POST /recordings, POST /notes): filters, include flags, cursor pagination, envelopes.

Documented: body {"filters", "include", "pagination": {"cursor", "page_size"}}, page_size 1-50,
`page_info.cursor` null on the last page, envelope {page_info, data}. Unconfirmed (see INTEGRATIONS.md):
the created_at/updated_at filters, include.event_attendees and the nested envelope; both envelopes are
served so clients can prove they accept either. Ordering (created_at, id ascending) is our choice.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Any

from tests.fakes.fellow.store import Note, Recording, iso

FILTERS = ("created_at_start", "created_at_end", "updated_at_start", "updated_at_end")
INCLUDES = {"recordings": ("transcript", "event_attendees"), "notes": ("content_markdown", "event_attendees")}
MAX_PAGE_SIZE = 50
DEFAULT_PAGE_SIZE = 20


class ListError(ValueError):
    """A 400 answer: bad filter, include, page size or cursor."""


def _parse_time(name: str, value: Any) -> datetime:
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise ListError(f"{name}: invalid datetime {value!r}") from exc
    if parsed.tzinfo is None:
        raise ListError(f"{name}: datetime needs a timezone")
    return parsed


def _matches(item: Note | Recording, filters: dict[str, datetime]) -> bool:
    checks = {
        "created_at_start": lambda t: item.created_at >= t,
        "created_at_end": lambda t: item.created_at < t,
        "updated_at_start": lambda t: item.updated_at >= t,
        "updated_at_end": lambda t: item.updated_at < t,
    }
    return all(checks[name](moment) for name, moment in filters.items())


def _attendees(note: Note | None, emails_only: bool) -> list[Any]:
    people = note.attendees if note else []
    return [p["email"] for p in people] if emails_only else [dict(p) for p in people]


def serialize(
    kind: str, item: Note | Recording, include: dict[str, bool], notes: dict[str, Note], emails_only: bool
) -> dict[str, Any]:
    """One note/recording as JSON with only the included heavy fields."""
    body: dict[str, Any] = {
        "id": item.id,
        "title": item.title,
        "created_at": iso(item.created_at),
        "updated_at": iso(item.updated_at),
        "event_start": iso(item.event_start) if item.event_start else None,
        "event_end": iso(item.event_end) if item.event_end else None,
        "event_guid": item.event_guid,
        "call_url": item.call_url,
    }
    note = item if isinstance(item, Note) else notes.get(item.note_id)
    if isinstance(item, Recording):
        body["note_id"] = item.note_id
        if include.get("transcript"):
            body["transcript"] = {"language_code": item.language_code, "speech_segments": list(item.segments)}
    elif include.get("content_markdown"):
        body["content_markdown"] = item.content_markdown
    if include.get("event_attendees"):
        body["event_attendees"] = _attendees(note, emails_only)
    return body


def _encode_cursor(offset: int, fingerprint: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset, "f": fingerprint}).encode()).decode()


def _decode_cursor(cursor: str, fingerprint: str) -> int:
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        offset = int(data["o"])
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise ListError("invalid cursor") from exc
    if data.get("f") != fingerprint:
        raise ListError("cursor does not match the filters of this request")
    return offset


def list_page(
    kind: str, body: Any, items: list[Note | Recording], notes: dict[str, Note], emails_only: bool
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """(data, page_info) for one list request; raises ListError for a 400."""
    body = body if isinstance(body, dict) else {}
    raw_filters = body.get("filters") or {}
    include = body.get("include") or {}
    pagination = body.get("pagination") or {}
    unknown = set(raw_filters) - set(FILTERS)
    if unknown:
        raise ListError(f"unknown filters: {sorted(unknown)}")
    bad_includes = set(include) - set(INCLUDES[kind])
    if bad_includes:
        raise ListError(f"unknown include fields: {sorted(bad_includes)}")
    page_size = pagination.get("page_size", DEFAULT_PAGE_SIZE)
    if not isinstance(page_size, int) or isinstance(page_size, bool) or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ListError(f"page_size must be an integer between 1 and {MAX_PAGE_SIZE}")
    filters = {name: _parse_time(name, value) for name, value in raw_filters.items() if value is not None}
    fingerprint = json.dumps(raw_filters, sort_keys=True)
    cursor = pagination.get("cursor")
    offset = _decode_cursor(cursor, fingerprint) if cursor else 0
    matching = sorted((i for i in items if _matches(i, filters)), key=lambda i: (i.created_at, i.id))
    page = matching[offset : offset + page_size]
    next_offset = offset + page_size
    page_info = {
        "cursor": _encode_cursor(next_offset, fingerprint) if next_offset < len(matching) else None,
        "page_size": page_size,
    }
    return [serialize(kind, i, include, notes, emails_only) for i in page], page_info
