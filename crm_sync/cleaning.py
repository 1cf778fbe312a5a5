"""Cleaning shared by the Salesforce and Fellow readers: text without control characters, lenient timestamps."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def parse_datetime(value: Any) -> datetime | None:
    """Salesforce's '2024-01-01T00:00:00.000+0000' (or ISO forms) as aware UTC; None for empty or unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    if len(text) >= 5 and text[-5] in "+-" and text[-3] != ":":
        text = f"{text[:-2]}:{text[-2:]}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def clean_text(value: Any, limit: int | None = None) -> str | None:
    """Trimmed text without control characters (PostgreSQL rejects NUL), cut to `limit`; None when empty."""
    if value is None:
        return None
    text = _CONTROL.sub("", str(value)).strip()
    if not text:
        return None
    return text[:limit] if limit else text
