"""The throttled log: a budget of lines per event a minute, and a count of what was dropped."""

from __future__ import annotations

from structlog.testing import capture_logs

from config.log_throttle import ThrottledLog


def test_lines_over_the_budget_are_dropped_and_counted() -> None:
    now = [0.0]
    log = ThrottledLog("test", per_minute=2, clock=lambda: now[0])
    with capture_logs() as lines:
        assert [log.warning("edge.refused") for _ in range(5)] == [True, True, False, False, False]
        assert log.warning("other.event")
        now[0] = 61.0
        assert log.warning("edge.refused")
    assert [line["event"] for line in lines] == ["edge.refused", "edge.refused", "other.event", "edge.refused"]
    assert lines[-1]["suppressed"] == 3
