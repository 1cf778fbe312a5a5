"""FakeSlack: the Slack Web API at `{url}/api/<method>` plus response_url receivers at `{url}/response/<id>`."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

from tests.fakes.core import FakeServer, Fault, Request, Response
from tests.fakes.slack.blocks import MESSAGE_MAX_BLOCKS, validate_blocks
from tests.fakes.slack.web_api import METHODS, error, json_arg
from tests.fakes.slack.workspace import RESPONSE_URL_MAX_USES, Channel, Message, ResponseUrl, User, Workspace

RESPONSE_URL_ENDPOINT = "response_url"
DEFAULT_CHANNEL = "fellow-learning-ml"
# Match the defaults of tests.fakes.slack.payloads so a default click/command refers to known ids.
DEFAULT_USER_ID = "U0FAKEUSR1"
DEFAULT_USER_CHANNEL_ID = "C0FAKECHN1"
DEFAULT_USER_CHANNEL_NAME = "sales"


class FakeSlack(FakeServer):
    """Fake Slack Web API: token checks, messages, views, Block Kit limits, 429/500/slow faults."""

    def __init__(
        self,
        token: str = "xoxb-fake-bot-token",
        team_id: str = "T0FAKE0001",
        bot_user_id: str = "U0FAKEBOT1",
        bot_id: str = "B0FAKEBOT1",
        default_channel: str = DEFAULT_CHANNEL,
    ) -> None:
        super().__init__()
        self.token = token
        self.workspace = Workspace(team_id, bot_user_id, bot_id)
        self._response_seq = itertools.count(1)
        self.default_channel_id = self.add_channel(default_channel)
        self.add_channel(DEFAULT_USER_CHANNEL_NAME, channel_id=DEFAULT_USER_CHANNEL_ID)
        self.add_user(DEFAULT_USER_ID, "alex", "alex@example.com", "Alex Seller", channels=(DEFAULT_USER_CHANNEL_ID,))

    @property
    def api_url(self) -> str:
        """Base URL for `WebClient(base_url=...)` (ends with "/", as slack_sdk requires)."""
        return f"{self.url}/api/"

    @property
    def team_id(self) -> str:
        """Team id the fake reports from auth.test."""
        return self.workspace.team_id

    @property
    def bot_user_id(self) -> str:
        """User id of the bot (author of chat.postMessage messages)."""
        return self.workspace.bot_user_id

    # seeding ---------------------------------------------------------------------------------------------
    def add_channel(
        self, name: str, members: tuple[str, ...] = (), bot_member: bool = True, channel_id: str | None = None
    ) -> str:
        """Create a channel (the bot joins unless `bot_member=False`); returns its id."""
        ws = self.workspace
        with ws.lock:
            channel = Channel(channel_id or ws.next_id("C"), name, set(members))
            if bot_member:
                channel.members.add(ws.bot_user_id)
            ws.channels[channel.id] = channel
            for member in members:
                ws.users.setdefault(member, User(member, member.lower()))
            return channel.id

    def add_user(
        self, user_id: str, name: str, email: str | None = None, real_name: str = "", channels: tuple[str, ...] = ()
    ) -> None:
        """Add a human user and put them in the given channels (ids or names)."""
        ws = self.workspace
        with ws.lock:
            ws.users[user_id] = User(user_id, name, real_name or name, email)
            for ref in channels:
                channel = ws.resolve_channel(ref)
                if channel is None:
                    raise KeyError(f"no channel {ref!r}")
                channel.members.add(user_id)

    def add_usergroup(self, usergroup_id: str, user_ids: list[str]) -> None:
        """Define a user group for usergroups.users.list."""
        with self.workspace.lock:
            self.workspace.usergroups[usergroup_id] = list(user_ids)

    def add_user_message(self, channel: str, text: str, user: str) -> str:
        """A message written by a human (the bot may not chat.update it); returns its ts."""
        ws = self.workspace
        with ws.lock:
            found = ws.resolve_channel(channel)
            if found is None:
                raise KeyError(f"no channel {channel!r}")
            message = Message(found.id, ws.next_ts(), user, text, None)
            ws.messages.append(message)
            return message.ts

    # inspection -------------------------------------------------------------------------------------------
    def messages(self, channel: str | None = None) -> list[Message]:
        """Channel messages (bot and seeded human ones), oldest first; `channel` is an id or name."""
        ws = self.workspace
        with ws.lock:
            found = ws.resolve_channel(channel) if channel else None
            if channel and found is None:
                raise KeyError(f"no channel {channel!r}")
            return [m for m in ws.messages if found is None or m.channel == found.id]

    def message(self, channel: str, ts: str) -> Message | None:
        """One channel message by channel (id or name) and ts."""
        found = self.workspace.resolve_channel(channel)
        return self.workspace.find_message(found.id, ts) if found else None

    def ephemerals(self, user: str | None = None) -> list[dict[str, Any]]:
        """Ephemeral messages sent with chat.postEphemeral (optionally for one user)."""
        with self.workspace.lock:
            return [e for e in self.workspace.ephemerals if user is None or e["user"] == user]

    def opened_views(self) -> list[dict[str, Any]]:
        """Modals opened with views.open, oldest first."""
        with self.workspace.lock:
            return list(self.workspace.views)

    def home_view(self, user_id: str) -> dict[str, Any] | None:
        """The App Home view last published for a user."""
        with self.workspace.lock:
            return self.workspace.home_views.get(user_id)

    # response_url ------------------------------------------------------------------------------------------
    def response_url(self, url_id: str | None = None) -> str:
        """Register a response_url on this fake (5 uses, like Slack) and return it."""
        url_id = url_id or f"r{next(self._response_seq)}-{uuid.uuid4().hex[:8]}"
        with self.workspace.lock:
            self.workspace.response_urls.setdefault(url_id, ResponseUrl(url_id))
        return f"{self.url}/response/{url_id}"

    def responses(self, url: str) -> list[dict[str, Any]]:
        """JSON payloads accepted on a response_url (pass the URL or its id)."""
        url_id = url.rstrip("/").rsplit("/", 1)[-1]
        with self.workspace.lock:
            entry = self.workspace.response_urls.get(url_id)
            return list(entry.payloads) if entry else []

    def expire_response_url(self, url: str) -> None:
        """Make a response_url answer 404 expired_url, as after Slack's 30 minutes."""
        url_id = url.rstrip("/").rsplit("/", 1)[-1]
        with self.workspace.lock:
            self.workspace.response_urls[url_id].expired = True

    # faults ------------------------------------------------------------------------------------------------
    def rate_limit(self, method: str, retry_after: int = 1, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with HTTP 429, Retry-After and error=ratelimited."""
        fault = Fault(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(int(retry_after))})
        self.inject(method, fault, times)

    def server_error(self, method: str, times: int = 1, status: int = 500) -> None:
        """Answer the next `times` calls of `method` with an HTTP 5xx."""
        self.inject(method, Fault(status, {"ok": False, "error": "fatal_error"}), times)

    def slow(self, method: str, seconds: float, times: int = 1) -> None:
        """Delay the next `times` (otherwise correct) responses of `method` by `seconds`."""
        self.inject(method, Fault(0, delay=seconds), times)

    # HTTP ---------------------------------------------------------------------------------------------------
    def route(self, request: Request) -> str:
        """`chat.postMessage` for /api/chat.postMessage; `response_url` for response URLs."""
        if request.path.startswith("/api/"):
            return request.path.removeprefix("/api/")
        if request.path.startswith("/response/"):
            return RESPONSE_URL_ENDPOINT
        return "unknown"

    def handle(self, request: Request, endpoint: str) -> Response:
        """Dispatch to the Web API method or the response_url receiver."""
        if endpoint == RESPONSE_URL_ENDPOINT:
            return self._receive_response(request)
        if endpoint == "unknown":
            return Response(404, "Not Found")
        args = self._arguments(request)
        auth_problem = self._check_token(request, args)
        if auth_problem:
            return Response(200, auth_problem)
        method = METHODS.get(endpoint)
        if method is None:
            return Response(200, error("unknown_method"))
        return Response(200, method(self.workspace, args))

    @staticmethod
    def _arguments(request: Request) -> dict[str, Any]:
        args: dict[str, Any] = {k: v[-1] for k, v in request.query.items()}
        if isinstance(request.body, dict):
            args.update(request.body)
        return args

    def _check_token(self, request: Request, args: dict[str, Any]) -> dict[str, Any] | None:
        header = request.header("Authorization") or ""
        token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else args.get("token")
        if not token:
            return error("not_authed")
        if token != self.token:
            return error("invalid_auth")
        return None

    def _receive_response(self, request: Request) -> Response:
        url_id = request.path.rstrip("/").rsplit("/", 1)[-1]
        payload = request.body
        if isinstance(payload, dict) and isinstance(payload.get("payload"), str):
            payload = json_arg(payload["payload"])
        with self.workspace.lock:
            entry = self.workspace.response_urls.get(url_id)
            if entry is None:
                return Response(404, "no_service")
            if entry.expired:
                return Response(404, "expired_url")
            if len(entry.payloads) >= RESPONSE_URL_MAX_USES:
                return Response(404, "used_url")
            if not isinstance(payload, dict):
                return Response(400, "invalid_payload")
            if "blocks" in payload and validate_blocks(payload["blocks"], MESSAGE_MAX_BLOCKS):
                return Response(400, "invalid_blocks")
            if not (payload.get("text") or payload.get("blocks") or payload.get("delete_original")):
                return Response(400, "no_text")
            entry.payloads.append(payload)
        return Response(200, {"ok": True})
