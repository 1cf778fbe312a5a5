"""Who may give feedback: everyone, or only members of a configured Slack user group (cached briefly)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from structlog import get_logger

log = get_logger(__name__)


class FeedbackGate:
    """Checks user-group membership with usergroups.users.list, caching the member list for `ttl_seconds`."""

    def __init__(
        self,
        client: WebClient,
        usergroup_id: str | None,
        *,
        ttl_seconds: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.usergroup_id = usergroup_id
        self.ttl_seconds = ttl_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._members: frozenset[str] | None = None
        self._expires = 0.0

    def allows(self, user_id: str) -> bool:
        """True when feedback is open to everyone or the user is in the group; False if it cannot be checked."""
        if not self.usergroup_id:
            return True
        members = self._current_members(self.usergroup_id)
        return members is not None and user_id in members

    def _current_members(self, usergroup_id: str) -> frozenset[str] | None:
        with self._lock:
            if self._members is not None and self._clock() < self._expires:
                return self._members
        try:
            response = self.client.usergroups_users_list(usergroup=usergroup_id)
        except (SlackApiError, OSError) as exc:
            log.error("slack.usergroup_check_failed", usergroup=usergroup_id, error=str(exc)[:200])
            return None
        members = frozenset(response.get("users") or ())
        with self._lock:
            self._members, self._expires = members, self._clock() + self.ttl_seconds
        return members
