"""Slack HTTP clients built from Settings: the request-path WebClient, the background one, response_url posts.

Only the background client retries on HTTP 429 (that retry sleeps for Retry-After, which must never happen
while Slack waits for an acknowledgement) and only for short waits; longer ones go back to the caller.
"""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.http_retry import ConnectionErrorRetryHandler, HttpRequest, HttpResponse, RetryState
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient
from structlog import get_logger

from config import Settings

log = get_logger(__name__)
MAX_INLINE_RETRY_AFTER_SECONDS = 5


class ShortRateLimitRetryHandler(RateLimitErrorRetryHandler):
    """Retry a 429 once after its Retry-After, but only when that wait is short."""

    def __init__(self, max_wait_seconds: float = MAX_INLINE_RETRY_AFTER_SECONDS) -> None:
        super().__init__(max_retry_count=1)
        self.max_wait_seconds = max_wait_seconds

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        return retry_after_seconds(response.headers) <= self.max_wait_seconds


def retry_after_seconds(headers: Any, default: float = 1.0) -> float:
    """Retry-After from response headers (any case; list or str values), or `default`."""
    for name, value in dict(headers or {}).items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list | tuple) else value
            try:
                return max(0.0, float(raw))
            except (TypeError, ValueError):
                return default
    return default


def _token(settings: Settings) -> str:
    if settings.slack_bot_token is None:
        raise ValueError("Slack is off: set FELLOW_SLACK_BOT_TOKEN and FELLOW_SLACK_SIGNING_SECRET")
    return settings.slack_bot_token.get_secret_value()


def build_web_client(settings: Settings, *, background: bool = False) -> WebClient:
    """A WebClient for the configured Slack API with a timeout; `background=True` adds the 429 retry."""
    handlers: list[Any] = [ConnectionErrorRetryHandler(max_retry_count=1)]
    if background:
        handlers.append(ShortRateLimitRetryHandler())
    return WebClient(
        token=_token(settings),
        base_url=settings.slack_api_url,
        timeout=settings.sync.http_timeout_seconds,  # type: ignore[arg-type]  # urllib takes float seconds
        retry_handlers=handlers,
    )


def post_to_response_url(url: str, message: dict[str, Any], *, timeout_seconds: float) -> bool:
    """POST a message to a response_url; False (logged) when Slack refuses it (expired, used 5 times…)."""
    client = WebhookClient(url, timeout=timeout_seconds, retry_handlers=[ConnectionErrorRetryHandler()])  # type: ignore[arg-type]
    try:
        response = client.send_dict(message)
    except OSError as exc:
        log.warning("slack.response_url_failed", error=type(exc).__name__)
        return False
    if response.status_code != 200:
        log.warning("slack.response_url_refused", status=response.status_code, body=str(response.body)[:200])
        return False
    return True
