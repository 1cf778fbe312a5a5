"""Fellow notes and recordings as clean call data: ids, times, attendee emails, markdown, transcripts.

Input is cleaned, not trusted: control characters removed, oversized notes and transcripts cut (with a
warning), attendee lists accepted as emails or {email, name} objects, and odd timestamps reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from crm_sync.cleaning import clean_text, parse_datetime

MAX_NOTES_CHARS = 200_000
MAX_SEGMENTS = 5_000
MAX_SEGMENT_CHARS = 2_000
MAX_TRANSCRIPT_CHARS = 400_000
MAX_FUTURE = timedelta(days=1)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# When a call started: Fellow's API says event_start; exports say started_at (or start_time); created_at last.
START_FIELDS = ("event_start", "started_at", "start_time", "created_at")
EXPORT_FIELDS = frozenset(
    {
        *START_FIELDS, "id", "note_id", "title", "updated_at", "attendees", "event_attendees", "notes",
        "content_markdown", "transcript", "call_url",
    }
)  # fmt: skip


class CallRecordError(ValueError):
    """A Fellow item that cannot be stored (the message is the reason reported)."""


@dataclass
class CallData:
    """One call as ingestion stores it; `None` fields are unknown and never overwrite stored values."""

    fellow_id: str
    updated_at: datetime | None = None
    title: str | None = None
    started_at: datetime | None = None
    attendees: list[str] | None = None
    notes: str | None = None
    transcript: list[dict[str, Any]] | None = None
    call_url: str | None = None
    warnings: list[str] = field(default_factory=list)

    def fields(self) -> dict[str, Any]:
        """The known Call columns (for store.repositories.calls.upsert_call)."""
        values = {
            "title": self.title,
            "started_at": self.started_at,
            "attendees": self.attendees,
            "notes": self.notes,
            "transcript": self.transcript,
            "call_url": self.call_url,
        }
        return {name: value for name, value in values.items() if value is not None}


def attendee_emails(value: Any) -> list[str]:
    """Lower-cased unique attendee emails from a list of strings or {email, ...} objects."""
    emails: list[str] = []
    for item in value if isinstance(value, list) else []:
        email = item.get("email") if isinstance(item, dict) else item
        if isinstance(email, str):
            email = email.strip().lower()
            if _EMAIL.match(email) and email not in emails:
                emails.append(email)
    return emails


def _text_segments(text: str) -> list[dict[str, Any]]:
    """Segments from a plain-text transcript, one per line, "Speaker: words" when a line names its speaker."""
    segments = []
    for line in text.splitlines():
        speaker, sep, words = line.partition(":")
        named = bool(sep) and 0 < len(speaker.strip()) <= 60 and len(speaker.split()) <= 5
        segments.append({"speaker": speaker.strip() if named else None, "text": words if named else line})
    return segments


def clean_transcript(value: Any) -> tuple[list[dict[str, Any]] | None, list[str]]:
    """Segments {speaker, text, start_time, end_time} from {speech_segments: [...]}, a list, or plain text
    ("Speaker: words" lines), size-capped."""
    if isinstance(value, str):
        value = _text_segments(value)
    segments = value.get("speech_segments") if isinstance(value, dict) else value
    if not isinstance(segments, list):
        return None, []
    cleaned: list[dict[str, Any]] = []
    total, warnings = 0, []
    for segment in segments:
        if not isinstance(segment, dict):
            continue
        text = clean_text(segment.get("text"), MAX_SEGMENT_CHARS)
        if not text:
            continue
        if len(cleaned) >= MAX_SEGMENTS or total + len(text) > MAX_TRANSCRIPT_CHARS:
            warnings.append(f"transcript cut at {len(cleaned)} segments / {total} characters")
            break
        total += len(text)
        cleaned.append(
            {
                "speaker": clean_text(segment.get("speaker"), 200),
                "text": text,
                "start_time": _seconds(segment.get("start_time")),
                "end_time": _seconds(segment.get("end_time")),
            }
        )
    return cleaned, warnings


def _seconds(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _times(raw: dict[str, Any], now: datetime, data: CallData) -> None:
    data.updated_at = parse_datetime(raw.get("updated_at")) or parse_datetime(raw.get("created_at"))
    starts = (raw.get(key) for key in START_FIELDS)
    data.started_at = next((t for t in map(parse_datetime, starts) if t is not None), None)
    if data.started_at is not None and data.started_at > now + MAX_FUTURE:
        data.warnings.append(f"start {data.started_at.isoformat()} is in the future (clock skew?)")
    if data.updated_at is not None and data.updated_at > now:
        data.warnings.append(f"updated_at {data.updated_at.isoformat()} is ahead of local time (clock skew?)")


def _identity(raw: Any, key: str = "id") -> str:
    if not isinstance(raw, dict):
        raise CallRecordError("item is not a JSON object")
    value = raw.get(key)
    if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
        raise CallRecordError(f"item has no {key}")
    return str(value).strip()[:120]


def unread_fields(raw: Any) -> list[str]:
    """Top-level keys of an exported call that the import does not read (reported once per import)."""
    return sorted(k for k in raw if k not in EXPORT_FIELDS) if isinstance(raw, dict) else []


def parse_note(raw: Any, now: datetime) -> CallData:
    """Call data from a Fellow note (or an exported call with the same keys)."""
    data = CallData(fellow_id=_identity(raw))
    _times(raw, now, data)
    data.title = clean_text(raw.get("title"), 500)
    data.call_url = clean_text(raw.get("call_url"), 2000)
    attendees = raw.get("event_attendees", raw.get("attendees"))
    data.attendees = attendee_emails(attendees) if attendees is not None else None
    if data.attendees == [] and attendees is not None:
        data.warnings.append("note has no attendee emails")
    markdown = raw.get("content_markdown", raw.get("notes"))
    notes = clean_text(markdown)
    if notes and len(notes) > MAX_NOTES_CHARS:
        data.warnings.append(f"notes cut from {len(notes)} to {MAX_NOTES_CHARS} characters")
        notes = notes[:MAX_NOTES_CHARS]
    data.notes = notes
    if "transcript" in raw:
        data.transcript, warnings = clean_transcript(raw.get("transcript"))
        data.warnings.extend(warnings)
    return data


def parse_recording(raw: Any, now: datetime) -> CallData:
    """Call data from a Fellow recording, keyed by its note id (one call = one note) when it has one."""
    recording_id = _identity(raw)
    note_id = raw.get("note_id")
    data = CallData(
        fellow_id=str(note_id).strip()[:120] if isinstance(note_id, str) and note_id.strip() else recording_id
    )
    _times(raw, now, data)
    data.title = clean_text(raw.get("title"), 500)
    data.call_url = clean_text(raw.get("call_url"), 2000)
    if raw.get("event_attendees") is not None:
        data.attendees = attendee_emails(raw.get("event_attendees"))
    data.transcript, warnings = clean_transcript(raw.get("transcript"))
    data.warnings.extend(warnings)
    return data
