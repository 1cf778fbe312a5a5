"""Sending things back to Slack after the acknowledgement: ephemeral replies and fresh renderings of a card."""

from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackApiError
from structlog import get_logger

from bot.blocks import Block, card_blocks, card_text
from bot.cards import load_card
from bot.clients import post_to_response_url
from bot.deps import BotDeps
from bot.messages import notice_blocks
from bot.text import clip
from store.db import session_scope

log = get_logger(__name__)


def reply(
    deps: BotDeps, response_url: str | None, text: str, blocks: list[Block] | None = None, *, replace: bool = False
) -> bool:
    """Ephemeral answer through the response_url (replacing the message that carried a button if asked)."""
    if not response_url:
        log.warning("slack.reply_without_response_url")
        return False
    message: dict[str, Any] = {
        "response_type": "ephemeral",
        "text": clip(text, 3000),
        "blocks": blocks if blocks is not None else notice_blocks(text),
        "replace_original": replace,
    }
    return post_to_response_url(response_url, message, timeout_seconds=deps.timeout_seconds)


def render_card(deps: BotDeps, score_id: int) -> tuple[list[Block], str] | None:
    """Blocks and fallback text of a score's card from the current data, or None if the score is gone."""
    with session_scope(deps.engine) as session:
        card = load_card(score_id, session=session, settings=deps.settings)
    if card is None:
        return None
    return card_blocks(card), card_text(card)


def refresh_card(
    deps: BotDeps, score_id: int, *, channel: str | None, ts: str | None, response_url: str | None
) -> bool:
    """Re-render a card where it is shown: chat.update for channel messages, response_url for ephemeral ones."""
    rendered = render_card(deps, score_id)
    if rendered is None:
        return False
    blocks, text = rendered
    if channel and ts:
        try:
            deps.background.chat_update(channel=channel, ts=ts, blocks=blocks, text=text)
            return True
        except SlackApiError as exc:
            log.warning("slack.card_update_failed", score_id=score_id, error=exc.response.get("error"))
            return False
        except OSError as exc:
            log.warning("slack.card_update_failed", score_id=score_id, error=type(exc).__name__)
            return False
    return reply(deps, response_url, text, blocks, replace=True)
