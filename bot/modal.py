"""The 👎 reason modal: its view, the private metadata that carries the card's whereabouts, and its parsing."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.blocks import plain
from bot.domain import REASON_LABELS
from store.repositories.feedback import REASONS
from store.text import is_row_id

CALLBACK_ID = "fellow_feedback_modal"
REASON_BLOCK, REASON_ACTION = "fellow_reason", "reason"
COMMENT_BLOCK, COMMENT_ACTION = "fellow_comment", "comment"
MAX_COMMENT = 2000
MAX_METADATA = 3000


@dataclass(frozen=True)
class CardRef:
    """Which score was judged and where its card lives (channel message or ephemeral via response_url)."""

    score_id: int
    channel: str | None = None
    ts: str | None = None
    response_url: str | None = None

    def to_metadata(self) -> str:
        """JSON for `private_metadata` (≤ 3,000 characters; the response_url is dropped if it would not fit)."""
        data: dict[str, Any] = {"score_id": self.score_id, "channel": self.channel, "ts": self.ts}
        with_url = json.dumps({**data, "response_url": self.response_url})
        return with_url if len(with_url) <= MAX_METADATA else json.dumps(data)

    @classmethod
    def from_metadata(cls, text: str | None) -> CardRef | None:
        """Parse `private_metadata`; None when it is missing or not ours."""
        try:
            data = json.loads(text or "")
            score_id = data["score_id"]
        except (ValueError, TypeError, KeyError):
            return None
        if not isinstance(score_id, int) or isinstance(score_id, bool) or not is_row_id(score_id):
            return None

        def text_or_none(key: str) -> str | None:
            value = data.get(key)
            return value if isinstance(value, str) and value else None

        return cls(score_id, text_or_none("channel"), text_or_none("ts"), text_or_none("response_url"))


def feedback_modal(ref: CardRef, company: str) -> dict[str, Any]:
    """The modal asking why a score is wrong: a required reason and optional free text."""
    options = [{"text": plain(label, 75), "value": code} for code, label in REASON_LABELS.items() if code in REASONS]
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "private_metadata": ref.to_metadata(),
        "title": plain("Not a fit?", 24),
        "submit": plain("Send", 24),
        "close": plain("Cancel", 24),
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": "Tell the model what it got wrong."}},
            {"type": "context", "elements": [{"type": "plain_text", "text": plain(company, 150)["text"]}]},
            {
                "type": "input",
                "block_id": REASON_BLOCK,
                "label": plain("Reason", 48),
                "element": {"type": "static_select", "action_id": REASON_ACTION, "options": options},
            },
            {
                "type": "input",
                "block_id": COMMENT_BLOCK,
                "optional": True,
                "label": plain("Anything else?", 48),
                "element": {
                    "type": "plain_text_input",
                    "action_id": COMMENT_ACTION,
                    "multiline": True,
                    "max_length": MAX_COMMENT,
                },
            },
        ],
    }


def _dig(data: Any, *keys: str) -> Any:
    """Follow dict keys, returning None as soon as a level is missing or not a dict."""
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def parse_submission(view: dict[str, Any]) -> tuple[str | None, str | None, dict[str, str]]:
    """(reason, comment, errors by block id) from a view_submission's state; odd shapes count as missing."""
    values = _dig(view, "state", "values")
    reason = _dig(values, REASON_BLOCK, REASON_ACTION, "selected_option", "value")
    comment = _dig(values, COMMENT_BLOCK, COMMENT_ACTION, "value")
    errors: dict[str, str] = {}
    if not isinstance(reason, str) or reason not in REASONS:
        errors[REASON_BLOCK] = "Pick one of the reasons."
        reason = None
    comment = comment.strip() if isinstance(comment, str) else None
    if comment and len(comment) > MAX_COMMENT:
        errors[COMMENT_BLOCK] = f"Please keep it under {MAX_COMMENT} characters."
    return reason, comment or None, errors
