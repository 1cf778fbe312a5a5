"""Safe text for Slack: escape user data for mrkdwn and clip to Block Kit limits without breaking entities.

Slack's limits are applied to the text as sent. Lengths here are measured in UTF-16 code units, which is
never less than the number of characters, so clipped text fits whichever way Slack counts.
"""

from __future__ import annotations

import re

from store.text import strip_unsafe

ELLIPSIS = "…"
_ENTITY_TAIL = re.compile(r"&[a-z]{0,3}$")
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,20}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def slack_len(text: str) -> int:
    """Length in UTF-16 code units (emoji and other astral characters count twice)."""
    return len(text.encode("utf-16-le")) // 2


def clip(text: str, limit: int) -> str:
    """`text` if it fits in `limit`, else its longest prefix that fits with a trailing ellipsis."""
    if slack_len(text) <= limit:
        return text
    budget = limit - 1
    out: list[str] = []
    used = 0
    for char in text:
        size = 2 if ord(char) > 0xFFFF else 1
        if used + size > budget:
            break
        out.append(char)
        used += size
    head = _ENTITY_TAIL.sub("", "".join(out)).rstrip()
    return head + ELLIPSIS


def one_line(text: str) -> str:
    """Collapse whitespace and drop control characters (quotes and names become single lines)."""
    return " ".join(strip_unsafe(_CONTROL.sub(" ", text)).split())


def escape(text: str) -> str:
    """Escape &, < and > so user data cannot form links, mentions (<!channel>) or broken markup; NUL and bidi
    controls are dropped so text cannot pretend to say something else."""
    return strip_unsafe(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def safe(text: str | None, limit: int, *, fallback: str = "—") -> str:
    """Escaped, single-line, clipped text; `fallback` when there is nothing to show."""
    cleaned = one_line(text or "")
    return clip(escape(cleaned), limit) if cleaned else fallback


def mention(user_id: str) -> str:
    """A `<@U…>` mention for a well-formed Slack user id, else the escaped id as plain text."""
    return f"<@{user_id}>" if _USER_ID.match(user_id) else escape(one_line(user_id))[:40]
