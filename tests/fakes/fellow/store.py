"""Fellow workspace data: notes (agenda, markdown, attendees) and recordings (diarized transcripts)."""

from __future__ import annotations

import itertools
import string
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.fakes.core.clock import Clock, utc_now

_ALPHABET = string.ascii_letters + string.digits


def iso(moment: datetime) -> str:
    """Fellow-style UTC timestamp, e.g. 2024-01-15T10:00:00Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Note:
    """A meeting note: event metadata, markdown content, attendee emails (and names when known)."""

    id: str
    title: str
    created_at: datetime
    updated_at: datetime
    event_start: datetime | None
    event_end: datetime | None
    event_guid: str | None
    call_url: str | None
    content_markdown: str
    attendees: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Recording:
    """A recorded call linked to its note, with transcript segments."""

    id: str
    note_id: str
    title: str
    created_at: datetime
    updated_at: datetime
    event_start: datetime | None
    event_end: datetime | None
    event_guid: str | None
    call_url: str | None
    language_code: str = "en-US"
    segments: list[dict[str, Any]] = field(default_factory=list)


class FellowStore:
    """Lock-protected notes and recordings, with seeding helpers."""

    def __init__(self, clock: Clock = utc_now) -> None:
        self.clock = clock
        self.lock = threading.Lock()
        self.notes: dict[str, Note] = {}
        self.recordings: dict[str, Recording] = {}
        self._seq = itertools.count(1)

    def _new_id(self) -> str:
        number, chars = next(self._seq), []
        for _ in range(9):
            number, rem = divmod(number, len(_ALPHABET))
            chars.append(_ALPHABET[rem])
        return "F" + "".join(reversed(chars))

    def add_call(
        self,
        title: str,
        attendees: list[str | tuple[str, str]] = (),  # type: ignore[assignment]
        transcript: list[tuple[str, str]] = (),  # type: ignore[assignment]
        content_markdown: str = "",
        created_at: datetime | None = None,
        with_recording: bool = True,
        call_url: str | None = "https://meet.google.com/abc-defg-hij",
    ) -> tuple[str, str | None]:
        """Add a note (and a recording of it) for one call; returns (note_id, recording_id).

        `attendees` are emails or (email, name) pairs; `transcript` is (speaker, text) pairs, 5 s each.
        """
        created = (created_at or self.clock()).astimezone(UTC).replace(microsecond=0)
        start, end = created - timedelta(minutes=30), created
        guid = f"evt-{next(self._seq)}"
        people = [{"email": a, "name": ""} if isinstance(a, str) else {"email": a[0], "name": a[1]} for a in attendees]
        with self.lock:
            note = Note(self._new_id(), title, created, created, start, end, guid, call_url, content_markdown, people)
            self.notes[note.id] = note
            if not with_recording:
                return note.id, None
            segments = [
                {"speaker": speaker, "text": text, "start_time": 5.0 * i, "end_time": 5.0 * i + 4.5}
                for i, (speaker, text) in enumerate(transcript)
            ]
            recording = Recording(
                self._new_id(), note.id, title, created, created, start, end, guid, call_url, segments=segments
            )
            self.recordings[recording.id] = recording
            return note.id, recording.id

    def touch_note(self, note_id: str, **changes: Any) -> None:
        """Edit a note (e.g. content_markdown) and bump its updated_at."""
        with self.lock:
            note = self.notes[note_id]
            for name, value in changes.items():
                setattr(note, name, value)
            note.updated_at = self.clock().astimezone(UTC).replace(microsecond=0)
