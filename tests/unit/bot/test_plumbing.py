"""Small helpers: recent-key de-duplication and Retry-After parsing."""

from __future__ import annotations

from bot.clients import retry_after_seconds
from bot.dedupe import RecentKeys


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_recent_keys_expire_and_are_bounded() -> None:
    clock = Clock()
    keys = RecentKeys(ttl_seconds=10, capacity=2, clock=clock)
    assert keys.first_time("a") and not keys.first_time("a")
    clock.now = 11
    assert keys.first_time("a")
    assert keys.first_time("b") and keys.first_time("c")
    assert keys.first_time("a")


def test_retry_after_parsing() -> None:
    assert retry_after_seconds({"Retry-After": ["30"]}) == 30.0
    assert retry_after_seconds({"retry-after": "2"}) == 2.0
    assert retry_after_seconds({"Retry-After": "soon"}) == 1.0
    assert retry_after_seconds({}, default=5.0) == 5.0
