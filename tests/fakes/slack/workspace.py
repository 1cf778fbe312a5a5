"""In-memory Slack workspace behind FakeSlack: channels, users, messages, views and response URLs."""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field
from typing import Any

RESPONSE_URL_MAX_USES = 5


@dataclass
class Channel:
    """A public or private channel and who is in it."""

    id: str
    name: str
    members: set[str] = field(default_factory=set)
    is_private: bool = False
    is_archived: bool = False


@dataclass
class User:
    """A workspace member (or bot user)."""

    id: str
    name: str
    real_name: str = ""
    email: str | None = None
    is_bot: bool = False
    deleted: bool = False


@dataclass
class Message:
    """A channel message; `edits` keeps every earlier version replaced by chat.update."""

    channel: str
    ts: str
    user: str
    text: str | None
    blocks: list[Any] | None
    bot_id: str | None = None
    thread_ts: str | None = None
    metadata: dict[str, Any] | None = None
    edits: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ResponseUrl:
    """A response_url handed to the app: the JSON payloads it received and whether it has expired."""

    id: str
    payloads: list[dict[str, Any]] = field(default_factory=list)
    expired: bool = False


class Workspace:
    """Lock-protected state of one fake Slack team."""

    def __init__(self, team_id: str, bot_user_id: str, bot_id: str) -> None:
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.lock = threading.RLock()
        self.channels: dict[str, Channel] = {}
        self.users: dict[str, User] = {bot_user_id: User(bot_user_id, "fellowbot", "Fellow Bot", is_bot=True)}
        self.usergroups: dict[str, list[str]] = {}
        self.messages: list[Message] = []
        self.ephemerals: list[dict[str, Any]] = []
        self.views: list[dict[str, Any]] = []
        self.home_views: dict[str, dict[str, Any]] = {}
        self.response_urls: dict[str, ResponseUrl] = {}
        self.used_triggers: set[str] = set()
        self._ids = itertools.count(1)
        self._ts_base = int(time.time())
        self._ts_seq = itertools.count(1)

    def next_id(self, prefix: str) -> str:
        """A fresh Slack-looking id such as C0000000012."""
        return f"{prefix}{next(self._ids):010d}"

    def next_ts(self) -> str:
        """A unique, increasing message timestamp in Slack's "seconds.micros" format."""
        return f"{self._ts_base}.{next(self._ts_seq):06d}"

    def resolve_channel(self, ref: str | None) -> Channel | None:
        """Find a channel by id, "#name" or "name"."""
        if not ref:
            return None
        with self.lock:
            if ref in self.channels:
                return self.channels[ref]
            name = ref.removeprefix("#")
            return next((c for c in self.channels.values() if c.name == name), None)

    def find_message(self, channel_id: str, ts: str) -> Message | None:
        """The channel message with this ts, if any."""
        with self.lock:
            return next((m for m in self.messages if m.channel == channel_id and m.ts == ts), None)
