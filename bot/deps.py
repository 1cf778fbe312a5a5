"""What the bot's listeners share: settings, database, scoring backend, CRM lookup, Slack clients, de-dupe, gate."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk import WebClient
from sqlalchemy.engine import Engine

from bot.backend import LeadLookup, QualifyBackend
from bot.dedupe import RecentKeys
from bot.gate import FeedbackGate
from config import Settings


@dataclass(frozen=True)
class BotDeps:
    """Dependencies handed to every listener module's `register`.

    `client` answers on the request path (no sleeping retries); `background` posts and edits cards after
    the acknowledgement and may wait out a short rate limit.
    """

    settings: Settings
    engine: Engine
    backend: QualifyBackend
    client: WebClient
    background: WebClient
    recent: RecentKeys
    gate: FeedbackGate
    lookup: LeadLookup | None = None

    @property
    def timeout_seconds(self) -> float:
        """Timeout for response_url posts."""
        return self.settings.sync.http_timeout_seconds
