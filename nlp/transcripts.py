"""Render transcript segments into one analysable document with known speaker spans."""

from __future__ import annotations

from typing import Any

SEGMENT_SEPARATOR = "\n\n"


def render_document(
    text: str, transcript: list[dict[str, Any]] | None
) -> tuple[str, list[tuple[int, int, str]] | None]:
    """Return the analysed document and speaker spans: `text`, then one "Speaker: words" line per segment.

    Evidence offsets index into this document; without a transcript it is `text` unchanged.
    """
    if not transcript:
        return text, None
    parts = [text, SEGMENT_SEPARATOR] if text else []
    pos = sum(len(p) for p in parts)
    spans = []
    for segment in transcript:
        if not isinstance(segment, dict):
            continue
        words = str(segment.get("text") or "").replace("\n", " ").strip()
        if not words:
            continue
        speaker = str(segment.get("speaker") or "Unknown").replace("\n", " ").strip()[:80] or "Unknown"
        line = f"{speaker}: {words}\n"
        spans.append((pos, pos + len(line), speaker))
        parts.append(line)
        pos += len(line)
    return "".join(parts), spans
