"""Channel poster: the outbox consumer for "slack.post" (score cards) and "slack.report" (learning reports).

Each event is posted at most once: a receipt (channel + ts) is stored in the event right after Slack accepts
the message, and an event that already has one is acknowledged without posting again. Rate limits (429 +
Retry-After) and server errors go back to the outbox as retries; permanent problems (bad payload, deleted
score, blocks Slack refuses) are given up with their reason. Scores a user asked for with /qualify
(trigger "slack") are not repeated in the channel: the requester already has the card.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.engine import Engine
from structlog import get_logger

from bot.blocks import card_blocks, card_text
from bot.cards import load_card
from bot.clients import retry_after_seconds
from bot.messages import report_blocks, report_text
from config import Settings
from store.db import session_scope
from store.delivery import DeliveryPolicy, DeliveryReport, GiveUp, Result, Retry, deliver_once
from store.enums import ScoreTrigger
from store.repositories import outbox
from store.tables import OutboxEvent
from store.topics import Topic

log = get_logger(__name__)
POST_KINDS = ("new", "rescore")
PERMANENT_ERRORS = frozenset({"invalid_blocks", "msg_too_long", "no_text", "invalid_arguments", "too_many_attachments"})
DEFAULT_POLICY = DeliveryPolicy(batch_size=20, lease_seconds=300.0)


def post_kind(payload: dict[str, Any]) -> object:
    """'new' or 'rescore': the payload's `kind`, else inferred from `previous_score_id` (scoring's payload)."""
    if "kind" in payload:
        return payload["kind"]
    return "rescore" if payload.get("previous_score_id") else "new"


class _RateLimited(Exception):
    def __init__(self, after_seconds: float) -> None:
        super().__init__(f"rate limited for {after_seconds:g}s")
        self.after_seconds = after_seconds


class SlackPoster:
    """Delivers Slack outbox events to the configured channel; `run_once` is one pass over both topics."""

    def __init__(
        self,
        settings: Settings,
        *,
        engine: Engine,
        client: WebClient,
        worker_id: str = "slack-poster",
        policy: DeliveryPolicy = DEFAULT_POLICY,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.client = client
        self.worker_id = worker_id
        self.policy = policy

    def run_once(self) -> dict[str, DeliveryReport]:
        """Deliver one batch of due events per topic; returns what happened per topic."""
        return {
            topic: deliver_once(self.engine, topic, handler, worker_id=self.worker_id, policy=self.policy)
            for topic, handler in ((Topic.SLACK_POST, self.handle_posts), (Topic.SLACK_REPORT, self.handle_reports))
        }

    def handle_posts(self, batch: Sequence[OutboxEvent]) -> Mapping[int, Result]:
        """Post a card for each score event (new scores only at or above the threshold)."""
        return self._each(batch, self._post_score)

    def handle_reports(self, batch: Sequence[OutboxEvent]) -> Mapping[int, Result]:
        """Post each learning report or drift alert."""
        return self._each(batch, self._post_report)

    def _each(self, batch: Sequence[OutboxEvent], deliver: Any) -> dict[int, Result]:
        results: dict[int, Result] = {}
        for index, event in enumerate(batch):
            if event.id is None:
                continue
            try:
                results[event.id] = self._once(event, deliver)
            except _RateLimited as limited:
                wait = Retry("slack rate limited (429)", after_seconds=limited.after_seconds)
                results.update({later.id: wait for later in batch[index:] if later.id is not None})
                log.warning(
                    "slack.poster_rate_limited", retry_after=limited.after_seconds, postponed=len(batch) - index
                )
                break
        return results

    def _once(self, event: OutboxEvent, deliver: Any) -> Result:
        """Skip events already posted (receipt present), else deliver and store the receipt."""
        with session_scope(self.engine) as session:
            fresh = outbox.get_outbox_event(event.id or 0, session=session)
            receipt = (fresh.payload if fresh else event.payload).get("receipt")
        if receipt:
            log.info("slack.poster_already_posted", key=event.idempotency_key, ts=receipt.get("ts"))
            return None
        outcome = deliver(event.payload)
        if isinstance(outcome, Retry | GiveUp) or outcome is None:
            return outcome
        with session_scope(self.engine) as session:
            outbox.record_delivery_receipt(event.id or 0, outcome, session=session)
        log.info("slack.posted", key=event.idempotency_key, channel=outcome["channel"], ts=outcome["ts"])
        return None

    def _post_score(self, payload: dict[str, Any]) -> dict[str, str] | Result:
        score_id, kind = payload.get("score_id"), post_kind(payload)
        if not isinstance(score_id, int) or isinstance(score_id, bool) or kind not in POST_KINDS:
            return GiveUp(f"bad slack.post payload: score_id={score_id!r} kind={kind!r}")
        if payload.get("trigger") in (ScoreTrigger.SLACK, ScoreTrigger.RESCORE):
            log.info("slack.poster_skip_quiet", score_id=score_id, trigger=payload.get("trigger"))
            return None
        with session_scope(self.engine) as session:
            card = load_card(score_id, session=session, settings=self.settings)
        if card is None:
            return GiveUp(f"score {score_id} no longer exists")
        if kind == "new" and card.current.qualification_score < self.settings.slack.post_threshold:
            log.info("slack.poster_below_threshold", score_id=score_id, score=card.current.qualification_score)
            return None
        return self._post(card_blocks(card), card_text(card))

    def _post_report(self, payload: dict[str, Any]) -> dict[str, str] | Result:
        kind, title, text = payload.get("kind"), payload.get("title"), payload.get("text")
        fields = payload.get("fields") or {}
        if not isinstance(kind, str) or not isinstance(title, str | None) or not isinstance(fields, dict):
            return GiveUp("bad slack.report payload")
        body = text if isinstance(text, str) else ""
        return self._post(report_blocks(kind, title or kind, body, fields), report_text(kind, title or kind))

    def _post(self, blocks: list[dict[str, Any]], text: str) -> dict[str, str] | Result:
        """chat.postMessage to the configured channel; a receipt, or the Retry/GiveUp the failure calls for."""
        try:
            response = self.client.chat_postMessage(
                channel=self.settings.slack_channel, blocks=blocks, text=text, unfurl_links=False
            )
        except SlackApiError as exc:
            status, error = exc.response.status_code, str(exc.response.get("error"))
            if status == 429:
                raise _RateLimited(retry_after_seconds(exc.response.headers)) from None
            if error in PERMANENT_ERRORS:
                return GiveUp(f"slack refused the message: {error}")
            return Retry(f"slack error {status} {error}")
        except OSError as exc:
            return Retry(f"slack unreachable: {type(exc).__name__}")
        return {"channel": str(response.get("channel")), "ts": str(response.get("ts"))}
