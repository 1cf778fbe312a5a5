"""👍 / 👎 on a card: 👍 records a positive label, 👎 opens the reason modal and records on submit.

Every path acknowledges first and works in a lazy listener. One row per (score, user) in the store makes
retries and double clicks harmless; a second verdict by the same AE replaces the first. The card is then
re-rendered where it lives so everyone sees who judged it.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk.errors import SlackApiError
from structlog import get_logger

from bot.blocks import FEEDBACK_DOWN, FEEDBACK_UP
from bot.deps import BotDeps
from bot.modal import CALLBACK_ID, REASON_BLOCK, CardRef, feedback_modal, parse_submission
from bot.replies import refresh_card, reply
from bot.text import one_line
from store.db import session_scope
from store.enums import FeedbackVerdict
from store.repositories import companies, feedback, scores
from store.text import is_row_id

log = get_logger(__name__)
GONE = "This score no longer exists (the lead may have been deleted), so feedback can't be recorded."
STALE = "That button is out of date; run /qualify again for a fresh card."


def _refusal(deps: BotDeps) -> str:
    group = deps.settings.slack.feedback_user_group
    return f"Feedback on scores is limited to members of <!subteam^{group}>; ask an admin if you should be one."


def card_ref_from_action(body: dict[str, Any], action: dict[str, Any]) -> CardRef | None:
    """Which score a button names and where its card is; None for a malformed value."""
    try:
        score_id = int(str(action.get("value") or ""))
    except ValueError:
        return None
    if not is_row_id(score_id):
        return None
    container = body.get("container") or {}
    ephemeral = bool(container.get("is_ephemeral")) or "message" not in body
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts")
    if ephemeral:
        return CardRef(score_id, response_url=body.get("response_url"))
    return CardRef(score_id, channel=channel, ts=ts, response_url=body.get("response_url"))


def save_verdict(
    deps: BotDeps,
    ref: CardRef,
    user: dict[str, Any],
    verdict: str,
    reason: str | None = None,
    comment: str | None = None,
) -> bool:
    """Record (or change) a user's verdict and refresh the card; False when the score is gone."""
    user_id = str(user.get("id") or "")
    try:
        with session_scope(deps.engine) as session:
            _row, created = feedback.record_feedback(
                session=session,
                score_id=ref.score_id,
                user_id=user_id,
                verdict=verdict,
                user_name=one_line(str(user.get("username") or user.get("name") or ""))[:255] or None,
                reason=reason,
                comment=comment,
            )
    except feedback.UnknownScoreError:
        return False
    log.info("slack.feedback", score_id=ref.score_id, user=user_id, verdict=verdict, reason=reason, created=created)
    refresh_card(deps, ref.score_id, channel=ref.channel, ts=ref.ts, response_url=ref.response_url)
    return True


def _tell(deps: BotDeps, ref: CardRef, user_id: str, text: str) -> None:
    """An ephemeral note to one user: via response_url when known, else chat.postEphemeral in the card's channel."""
    if ref.response_url:
        reply(deps, ref.response_url, text)
        return
    if ref.channel:
        try:
            deps.background.chat_postEphemeral(channel=ref.channel, user=user_id, text=text)
        except (SlackApiError, OSError) as exc:
            log.warning("slack.ephemeral_failed", error=str(exc)[:200])


def _company_of(deps: BotDeps, score_id: int) -> str | None:
    """The company name (or domain) a score is about; None when the score does not exist."""
    with session_scope(deps.engine) as session:
        score = scores.get_score(score_id, session=session)
        if score is None:
            return None
        company = companies.get_company(score.company_id, session=session) if score.company_id else None
        return (company.name or company.domain) if company else "this lead"


def register(app: App, deps: BotDeps) -> None:
    """Attach the feedback buttons and the reason modal to the app."""

    def ack_click(ack: Ack) -> None:
        ack()

    def accepted_click(body: dict[str, Any], action: dict[str, Any], verdict: str) -> CardRef | None:
        """The card a click refers to, or None after answering a stale card, a repeat or a refused user."""
        user = body.get("user") or {}
        ref = card_ref_from_action(body, action)
        if ref is None:
            reply(deps, body.get("response_url"), STALE)
            return None
        if not deps.recent.first_time(f"{verdict}:{user.get('id')}:{ref.score_id}:{action.get('action_ts')}"):
            return None
        if not deps.gate.allows(str(user.get("id") or "")):
            reply(deps, body.get("response_url"), _refusal(deps))
            return None
        return ref

    def run_up(body: dict[str, Any], action: dict[str, Any]) -> None:
        ref = accepted_click(body, action, FeedbackVerdict.UP)
        if ref is not None and not save_verdict(deps, ref, body.get("user") or {}, FeedbackVerdict.UP):
            reply(deps, body.get("response_url"), GONE)

    def run_down(body: dict[str, Any], action: dict[str, Any], client: Any) -> None:
        ref = accepted_click(body, action, FeedbackVerdict.DOWN)
        if ref is None:
            return
        company = _company_of(deps, ref.score_id)
        if company is None:
            reply(deps, body.get("response_url"), GONE)
            return
        try:
            client.views_open(trigger_id=body.get("trigger_id"), view=feedback_modal(ref, company))
        except (SlackApiError, OSError) as exc:
            log.warning("slack.modal_open_failed", score_id=ref.score_id, error=str(exc)[:200])
            reply(deps, body.get("response_url"), "I couldn't open the feedback form in time; please click 👎 again.")

    def ack_submit(ack: Ack, view: dict[str, Any]) -> None:
        _reason, _comment, errors = parse_submission(view)
        if CardRef.from_metadata(view.get("private_metadata")) is None:
            errors = {REASON_BLOCK: "This form is out of date; close it and click 👎 on the card again."}
        if errors:
            ack(response_action="errors", errors=errors)
        else:
            ack()

    def run_submit(body: dict[str, Any], view: dict[str, Any]) -> None:
        user = body.get("user") or {}
        reason, comment, errors = parse_submission(view)
        ref = CardRef.from_metadata(view.get("private_metadata"))
        if errors or ref is None:
            return
        if not deps.recent.first_time(f"submit:{view.get('id')}:{view.get('hash')}"):
            return
        user_id = str(user.get("id") or "")
        if not deps.gate.allows(user_id):
            _tell(deps, ref, user_id, _refusal(deps))
            return
        if not save_verdict(deps, ref, user, FeedbackVerdict.DOWN, reason, comment):
            _tell(deps, ref, user_id, GONE)

    app.action(FEEDBACK_UP)(ack=ack_click, lazy=[run_up])
    app.action(FEEDBACK_DOWN)(ack=ack_click, lazy=[run_down])
    app.view(CALLBACK_ID)(ack=ack_submit, lazy=[run_submit])
