"""Slack never gates start-up: the Bolt app is built without calling `auth.test`, and this task verifies the token
in the background, reporting Slack as degraded (in /ready and the log) until it answers, retrying with backoff."""

from __future__ import annotations

import asyncio
from collections.abc import MutableMapping

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from starlette.concurrency import run_in_threadpool
from structlog import get_logger

log = get_logger(__name__)
FIRST_RETRY_SECONDS = 2.0
MAX_RETRY_SECONDS = 300.0


def _check(client: WebClient) -> str | None:
    """None when `auth.test` accepts the token, else a one-line reason (never the token)."""
    try:
        client.auth_test()
    except SlackApiError as exc:
        return f"auth.test answered {exc.response.get('error') or exc.response.status_code}"
    except Exception as exc:  # unreachable: DNS, refused, TLS, timeout — any of them means degraded, not dead
        return f"auth.test failed: {type(exc).__name__}"
    return None


async def verify_slack(
    client: WebClient, problems: MutableMapping[str, str], *, first_retry: float = FIRST_RETRY_SECONDS
) -> None:
    """Until Slack accepts the token: mark it degraded in `problems`, log, wait (doubling up to 5 min), retry."""
    wait = first_retry
    while True:
        reason = await run_in_threadpool(_check, client)
        if reason is None:
            if problems.pop("slack", None) is not None:
                log.info("slack.recovered")
            return
        if problems.get("slack") != reason:
            log.warning("slack.degraded", reason=reason, retry_in_seconds=wait)
        problems["slack"] = reason
        await asyncio.sleep(wait)
        wait = min(wait * 2, MAX_RETRY_SECONDS)
