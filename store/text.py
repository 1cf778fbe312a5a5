"""Text and id hygiene shared by every input and output path: no NUL or other C0 controls (PostgreSQL refuses
NUL), no bidirectional overrides (U+202E makes shown text lie about what it says), ids within the columns' range."""

from __future__ import annotations

import re

MAX_ROW_ID = 2**31 - 1  # the largest id an integer primary key holds on PostgreSQL (INTEGER); SQLite holds more
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
SAFE_URL_SCHEMES = ("https://", "http://")


def strip_unsafe(text: str) -> str:
    """`text` without NUL, C0 controls other than tab/newline/carriage return, and bidi controls."""
    return _UNSAFE.sub("", text)


def is_row_id(value: int) -> bool:
    """Whether an integer can be a row id on every supported database."""
    return 1 <= value <= MAX_ROW_ID


def safe_link(url: str | None) -> str | None:
    """The URL when it is an http(s) link (never `javascript:`, `data:` …), else None."""
    if not url:
        return None
    cleaned = strip_unsafe(url).strip()
    return cleaned if cleaned.lower().startswith(SAFE_URL_SCHEMES) else None
