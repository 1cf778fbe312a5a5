"""What a doctor check returns: a status, a one-line verdict, and a concrete fix when something is wrong."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    """ok: works; warn: works with a caveat; fail: broken (exit non-zero); off: not configured; skip: not
    checked because an earlier check it depends on failed."""

    OK = "ok"
    WARN = "warn"
    FAIL = "fail"
    OFF = "off"
    SKIP = "skip"


@dataclass(frozen=True)
class Verdict:
    """The outcome of one check: status, a one-line summary, and the fix when it is not ok."""

    status: Status
    summary: str
    fix: str | None = None


@dataclass(frozen=True)
class Check:
    """A named check in a group; `run` performs it (the runner adds the timeout)."""

    group: str
    name: str
    run: Callable[[], Verdict]


@dataclass(frozen=True)
class CheckResult:
    """A check's verdict with where it belongs and how long it took."""

    group: str
    name: str
    verdict: Verdict
    seconds: float

    @property
    def status(self) -> Status:
        """Shortcut to the verdict's status."""
        return self.verdict.status


def ok(summary: str) -> Verdict:
    """A passing verdict."""
    return Verdict(Status.OK, summary)


def warn(summary: str, fix: str) -> Verdict:
    """Works, but something deserves attention."""
    return Verdict(Status.WARN, summary, fix)


def fail(summary: str, fix: str) -> Verdict:
    """Broken: the doctor exits non-zero."""
    return Verdict(Status.FAIL, summary, fix)


def off(summary: str, fix: str) -> Verdict:
    """Not configured (not a failure): `fix` says how to turn it on."""
    return Verdict(Status.OFF, summary, fix)


def integration_off(name: str, state: str) -> Verdict:
    """The off verdict for an integration, from `Settings.integrations()`'s "off (set …)" text."""
    how = state.removeprefix("off").strip().removeprefix("(").removesuffix(")")
    return off(f"{name} is off (not configured)", how or f"configure {name} to turn it on")


def skip(summary: str) -> Verdict:
    """Not checked because a check it depends on did not pass."""
    return Verdict(Status.SKIP, summary)


def exit_code(results: Sequence[CheckResult]) -> int:
    """1 when any check failed, else 0 (warnings and integrations that are off do not fail the doctor)."""
    return 1 if any(result.status is Status.FAIL for result in results) else 0
