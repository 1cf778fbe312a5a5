"""`/qualify`: acknowledge at once, then resolve, score and answer from a lazy listener.

The acknowledgement only parses the text (no database, no Slack calls), so it stays far inside Slack's
3-second limit. The lazy part resolves the target, asks the scoring backend, and answers through the
response_url, or posts the card in the channel when the user asked to share it.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App
from slack_sdk.errors import SlackApiError
from structlog import get_logger

from bot.command import QualifyCommand, parse_qualify
from bot.deps import BotDeps
from bot.messages import (
    QUALIFY_DOMAIN_ONLY,
    QUALIFY_PICK_PREFIX,
    candidate_blocks,
    help_blocks,
    scoring_text,
    unknown_blocks,
)
from bot.replies import render_card, reply
from bot.resolve import Candidates, DomainTarget, LeadTarget, Resolution, Unknown, resolve_domain, resolve_target
from bot.text import safe
from store.db import session_scope
from store.normalize import InvalidDomainError, normalize_domain

log = get_logger(__name__)
SCORING_FAILED = ":x: Scoring failed; nothing was saved. Please try again in a minute."


def _retried(request: Any) -> bool:
    headers = getattr(request, "headers", None) or {}
    return bool(headers.get("x-slack-retry-num"))


def _score(deps: BotDeps, target: LeadTarget | DomainTarget, user_id: str) -> int | None:
    """Ask the backend for a score; None (logged) when scoring fails."""
    try:
        if isinstance(target, LeadTarget):
            return deps.backend.score_lead(target.lead_id, requested_by=user_id)
        return deps.backend.score_domain(target.domain, requested_by=user_id)
    except Exception:  # the backend is outside the bot: any failure becomes a friendly message
        log.exception("slack.qualify_scoring_failed", target=repr(target), user=user_id)
        return None


def _share(deps: BotDeps, channel_id: str, blocks: list[dict[str, Any]], text: str) -> str | None:
    """Post the card in the channel; returns a problem to tell the user, or None when posted."""
    try:
        deps.background.chat_postMessage(channel=channel_id, blocks=blocks, text=text, unfurl_links=False)
        return None
    except SlackApiError as exc:
        error = exc.response.get("error")
        log.warning("slack.qualify_share_failed", channel=channel_id, error=error)
        if error in ("not_in_channel", "channel_not_found"):
            return "I can't post in this channel; invite me to share cards here. Here is the card just for you."
        return "Sharing failed; here is the card just for you."
    except OSError:
        return "Sharing failed; here is the card just for you."


def answer(
    deps: BotDeps,
    resolution: Resolution,
    *,
    user_id: str,
    response_url: str | None,
    share_channel: str | None,
    replace: bool,
) -> None:
    """Turn a resolution into a reply: candidates, what to try for an unknown name or Lead Id, or a fresh card
    (provisional for a domain nobody knows)."""
    if isinstance(resolution, Unknown) and resolution.domain is not None:
        resolution = DomainTarget(resolution.domain, resolution.domain)
    if isinstance(resolution, Unknown):
        reply(
            deps,
            response_url,
            f"No lead or company for {safe(resolution.searched, 200)} yet",
            unknown_blocks(resolution.searched, resolution.checked),
            replace=replace,
        )
        return
    if isinstance(resolution, Candidates):
        reply(
            deps,
            response_url,
            "Several companies match; pick one",
            candidate_blocks(resolution.searched, list(resolution.options)),
            replace=replace,
        )
        return
    score_id = _score(deps, resolution, user_id)
    rendered = render_card(deps, score_id) if score_id is not None else None
    if rendered is None:
        reply(deps, response_url, SCORING_FAILED, replace=replace)
        return
    blocks, text = rendered
    if share_channel:
        problem = _share(deps, share_channel, blocks, text)
        if problem is None:
            reply(
                deps,
                response_url,
                f":white_check_mark: Shared the card for {safe(resolution.label, 200)}.",
                replace=replace,
            )
            return
        reply(
            deps,
            response_url,
            problem,
            [{"type": "context", "elements": [{"type": "mrkdwn", "text": problem}]}, *blocks],
            replace=replace,
        )
        return
    reply(deps, response_url, text, blocks, replace=replace)


def register(app: App, deps: BotDeps) -> None:
    """Attach /qualify and its follow-up buttons (domain-only score, candidate pick) to the app."""

    def ack_qualify(ack: Ack, command: dict[str, Any]) -> None:
        parsed = parse_qualify(command.get("text"))
        if parsed.kind == "help":
            ack(text="How to use /qualify", blocks=help_blocks(), response_type="ephemeral")
        elif parsed.kind == "invalid":
            ack(text=parsed.problem or "Invalid input", blocks=help_blocks(parsed.problem), response_type="ephemeral")
        else:
            ack(text=scoring_text(parsed.label), response_type="ephemeral")

    def run_qualify(command: dict[str, Any], request: Any) -> None:
        parsed: QualifyCommand = parse_qualify(command.get("text"))
        key = f"qualify:{command.get('trigger_id') or command.get('response_url')}"
        if parsed.kind in ("help", "invalid") or _retried(request) or not deps.recent.first_time(key):
            return
        user_id = str(command.get("user_id") or "")
        log.info("slack.qualify", user=user_id, kind=parsed.kind, share=parsed.share)
        resolution = resolve_target(parsed, engine=deps.engine, lookup=deps.lookup)
        share_channel = command.get("channel_id") if parsed.share else None
        answer(
            deps,
            resolution,
            user_id=user_id,
            response_url=command.get("response_url"),
            share_channel=share_channel,
            replace=False,
        )

    def ack_button(ack: Ack) -> None:
        ack()

    def run_button(body: dict[str, Any], action: dict[str, Any]) -> None:
        user_id = str((body.get("user") or {}).get("id") or "")
        response_url = body.get("response_url")
        if not deps.recent.first_time(f"qualify-button:{user_id}:{action.get('action_ts')}"):
            return
        try:
            domain = normalize_domain(str(action.get("value") or ""))
        except InvalidDomainError:
            reply(deps, response_url, "That button is out of date; run /qualify again.", replace=True)
            return
        if action.get("action_id") == QUALIFY_DOMAIN_ONLY:
            resolution: Resolution = DomainTarget(domain, domain)
        else:
            with session_scope(deps.engine) as session:
                resolution = resolve_domain(domain, session=session)
        reply(deps, response_url, scoring_text(domain), replace=True)
        answer(deps, resolution, user_id=user_id, response_url=response_url, share_channel=None, replace=True)

    app.command("/qualify")(ack=ack_qualify, lazy=[run_qualify])
    app.action(QUALIFY_DOMAIN_ONLY)(ack=ack_button, lazy=[run_button])
    app.action(re.compile(rf"^{QUALIFY_PICK_PREFIX}\d+$"))(ack=ack_button, lazy=[run_button])
