"""Print doctor results: one line per check with its verdict, the fix indented under anything not ok."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from admin_api.cli.doctor.domain import CheckResult, Status

MARKS = {Status.OK: "ok  ", Status.WARN: "warn", Status.FAIL: "FAIL", Status.OFF: "off ", Status.SKIP: "skip"}


def render_text(results: Sequence[CheckResult]) -> str:
    """Human-readable report ending with a one-line total."""
    lines: list[str] = []
    for result in results:
        verdict = result.verdict
        lines.append(f"[{MARKS[verdict.status]}] {result.group} / {result.name}: {verdict.summary}")
        if verdict.fix and verdict.status is not Status.OK:
            lines.append(f"         fix: {verdict.fix}")
    counts = {status: sum(1 for r in results if r.status is status) for status in Status}
    total = ", ".join(f"{count} {status.value}" for status, count in counts.items() if count)
    failed = counts[Status.FAIL]
    lines.append(f"{'not ready' if failed else 'ready'}: {total}")
    return "\n".join(lines)


def as_json(results: Sequence[CheckResult]) -> list[dict[str, Any]]:
    """Results as plain dicts for `--json`."""
    return [
        {
            "group": r.group,
            "check": r.name,
            "status": r.status.value,
            "summary": r.verdict.summary,
            "fix": r.verdict.fix,
            "seconds": round(r.seconds, 3),
        }
        for r in results
    ]
