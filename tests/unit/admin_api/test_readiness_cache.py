"""Readiness touches the database at most once per second however often it is polled."""

from __future__ import annotations

from typing import Any

from admin_api.api.routes.system import CachedCheck


def test_the_database_check_runs_once_per_second() -> None:
    now = [100.0]
    calls: list[float] = []

    def check() -> tuple[bool, dict[str, Any], dict[str, Any]]:
        calls.append(now[0])
        return True, {"ok": True}, {"n": len(calls)}

    cached = CachedCheck(max_age=1.0, clock=lambda: now[0])
    for step in range(50):
        now[0] = 100.0 + step * 0.1
        assert cached.get(check)[2]["n"] == len(calls)
    assert calls == [100.0, 101.0, 102.0, 103.0, 104.0]


def test_a_failed_check_is_also_reused_until_it_is_stale() -> None:
    now = [0.0]
    results = iter([(False, {"ok": False, "error": "down"}, {}), (True, {"ok": True}, {})])
    cached = CachedCheck(max_age=1.0, clock=lambda: now[0])
    assert cached.get(lambda: next(results))[0] is False
    now[0] = 0.5
    assert cached.get(lambda: next(results))[0] is False
    now[0] = 1.0
    assert cached.get(lambda: next(results))[0] is True
