""" "Not right" on a reason: the overflow menu beside each quote records a signal-level correction per AE.

Acknowledged at once; the lazy listener stores one row per (score, evidence item, AE), so Slack retries and
double clicks change nothing, then re-renders the card where it lives with the corrected signal struck out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App
from structlog import get_logger

from bot.blocks import NOT_RIGHT, SAID_BY_US
from bot.deps import BotDeps
from bot.feedback import GONE, STALE, card_ref_from_action
from bot.replies import refresh_card, reply
from bot.text import one_line
from store.db import session_scope
from store.repositories import corrections
from store.text import is_row_id

log = get_logger(__name__)
SAID_BY_US_COMMENT = "said by our rep, not the prospect"
MAX_ITEMS = 5


@dataclass(frozen=True)
class NotRight:
    """What a "not right" option names: a score, evidence indexes of it, and the kind of correction."""

    score_id: int
    items: tuple[int, ...]
    kind: str


def parse_not_right(value: str) -> NotRight | None:
    """Parse an option value written by `bot.blocks.not_right_value`; None when malformed."""
    parts = value.split(":")
    if len(parts) != 3 or parts[2] not in ("", SAID_BY_US):
        return None
    try:
        score_id = int(parts[0])
        items = tuple(int(i) for i in parts[1].split(".") if i != "")
    except ValueError:
        return None
    if not is_row_id(score_id) or not items or len(items) > MAX_ITEMS or any(not 0 <= i < 1000 for i in items):
        return None
    return NotRight(score_id, items, parts[2])


def register(app: App, deps: BotDeps) -> None:
    """Attach the "not right" overflow menu to the app."""

    def ack_pick(ack: Ack) -> None:
        ack()

    def run_pick(body: dict[str, Any], action: dict[str, Any]) -> None:
        user = body.get("user") or {}
        user_id = str(user.get("id") or "")
        value = str((action.get("selected_option") or {}).get("value") or "")
        picked = parse_not_right(value)
        ref = card_ref_from_action(body, {"value": str(picked.score_id)}) if picked else None
        if picked is None or ref is None:
            reply(deps, body.get("response_url"), STALE)
            return
        if not deps.recent.first_time(f"not_right:{user_id}:{value}:{action.get('action_ts')}"):
            return
        if not deps.gate.allows(user_id):
            group = deps.settings.slack.feedback_user_group
            reply(deps, body.get("response_url"), f"Corrections are limited to members of <!subteam^{group}>.")
            return
        comment = SAID_BY_US_COMMENT if picked.kind == SAID_BY_US else None
        name = one_line(str(user.get("username") or user.get("name") or ""))[:255] or None
        try:
            with session_scope(deps.engine) as session:
                for item in picked.items:
                    corrections.record_correction(
                        session=session,
                        score_id=picked.score_id,
                        evidence_index=item,
                        user_id=user_id,
                        user_name=name,
                        comment=comment,
                        source="slack",
                    )
        except corrections.UnknownEvidenceError:
            reply(deps, body.get("response_url"), GONE)
            return
        log.info("slack.not_right", score_id=picked.score_id, items=list(picked.items), user=user_id, kind=picked.kind)
        refresh_card(deps, picked.score_id, channel=ref.channel, ts=ref.ts, response_url=ref.response_url)

    app.action(NOT_RIGHT)(ack=ack_pick, lazy=[run_pick])
