"""The doctor's runner and report: deadlines, crashes as findings, exit status, one line per check."""

from __future__ import annotations

import threading

from admin_api.cli.doctor.domain import Check, Status, exit_code, fail, integration_off, ok, skip, warn
from admin_api.cli.doctor.report import as_json, render_text
from admin_api.cli.doctor.runner import run_check, run_checks


def test_a_check_that_hangs_fails_at_its_deadline_and_the_next_still_runs() -> None:
    release = threading.Event()

    def hang() -> object:
        release.wait(30)
        return ok("late")

    results = run_checks([Check("g", "hangs", hang), Check("g", "fine", lambda: ok("fine"))], timeout_seconds=0.2)
    release.set()
    assert results[0].status is Status.FAIL and "no answer within 0.2 s" in results[0].verdict.summary
    assert results[0].verdict.fix and "--timeout" in results[0].verdict.fix
    assert results[1].status is Status.OK


def test_a_check_that_raises_becomes_a_failure_naming_the_error() -> None:
    def boom() -> object:
        raise KeyError("channel")

    result = run_check(Check("g", "boom", boom), timeout_seconds=5)  # type: ignore[arg-type]
    assert result.status is Status.FAIL and "KeyError" in result.verdict.summary


def test_exit_status_is_one_only_when_something_failed() -> None:
    passing = run_checks(
        [
            Check("g", "a", lambda: ok("a")),
            Check("g", "b", lambda: warn("b", "fix b")),
            Check("g", "c", lambda: integration_off("Fellow", "off (set X)")),
            Check("g", "d", lambda: skip("d")),
        ]
    )
    assert exit_code(passing) == 0
    assert exit_code([*passing, *run_checks([Check("g", "e", lambda: fail("e", "fix e"))])]) == 1


def test_report_prints_one_line_per_check_and_fixes_for_the_rest() -> None:
    results = run_checks(
        [Check("slack", "token", lambda: ok("valid")), Check("slack", "channel", lambda: fail("not in #x", "/invite"))]
    )
    text = render_text(results)
    assert text.splitlines() == [
        "[ok  ] slack / token: valid",
        "[FAIL] slack / channel: not in #x",
        "         fix: /invite",
        "not ready: 1 ok, 1 fail",
    ]
    assert [row["status"] for row in as_json(results)] == ["ok", "fail"]


def test_off_verdict_takes_the_how_to_from_the_settings_text() -> None:
    verdict = integration_off("Slack", "off (set FELLOW_SLACK_BOT_TOKEN and FELLOW_SLACK_SIGNING_SECRET)")
    assert verdict.status is Status.OFF
    assert verdict.fix == "set FELLOW_SLACK_BOT_TOKEN and FELLOW_SLACK_SIGNING_SECRET"
