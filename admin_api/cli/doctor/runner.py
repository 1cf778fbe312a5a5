"""Run doctor checks one after another, each in a daemon thread with a deadline, so a hung service cannot
hang the doctor; a check that raises becomes a failed verdict naming the error."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable

from structlog import get_logger

from admin_api.cli.doctor.domain import Check, CheckResult, Verdict, fail

log = get_logger(__name__)
DEFAULT_TIMEOUT_SECONDS = 30.0
MAX_ERROR_CHARS = 200


def _unexpected(exc: BaseException) -> Verdict:
    return fail(
        f"check crashed: {type(exc).__name__}: {str(exc)[:MAX_ERROR_CHARS]}",
        "run with FELLOW_LOG_LEVEL=debug for details and report it if the message does not explain it",
    )


def run_check(check: Check, *, timeout_seconds: float) -> CheckResult:
    """Run one check with a deadline; a timeout or an exception becomes a failed verdict."""
    box: list[Verdict] = []

    def target() -> None:
        try:
            box.append(check.run())
        except Exception as exc:  # any error in a check is a finding to report, never a doctor crash
            log.warning("doctor.check_crashed", check=check.name, error_type=type(exc).__name__)
            box.append(_unexpected(exc))

    started = time.monotonic()
    worker = threading.Thread(target=target, name=f"doctor-{check.name}", daemon=True)
    worker.start()
    worker.join(timeout_seconds)
    elapsed = time.monotonic() - started
    if not box:
        verdict = fail(
            f"no answer within {timeout_seconds:g} s",
            "check the network path to the service (proxy, firewall, DNS) or raise the limit with --timeout",
        )
    else:
        verdict = box[0]
    log.debug(
        "doctor.check", group=check.group, check=check.name, status=str(verdict.status), seconds=round(elapsed, 3)
    )
    return CheckResult(check.group, check.name, verdict, elapsed)


def run_checks(checks: Iterable[Check], *, timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS) -> list[CheckResult]:
    """Run checks in order (later checks may reuse what earlier ones learned), each with its own deadline."""
    return [run_check(check, timeout_seconds=timeout_seconds) for check in checks]
