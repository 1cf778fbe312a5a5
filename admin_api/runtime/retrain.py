"""Retraining on request: runs the learning loop's retrain job in a background thread, one run at a time, and
remembers the last run's state and outcome so the dashboard can show running / finished / failed."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from structlog import get_logger

from learning.flows import RetrainResult
from store.types import utcnow

log = get_logger(__name__)

RETRAIN_JOB = "retrain"
STATE_LABELS = {
    "idle": "No retraining started from this server yet.",
    "running": "Retraining is running…",
    "finished": "Retraining finished.",
    "failed": "Retraining failed.",
}


@dataclass(frozen=True)
class RetrainStatus:
    """The last run started here: its state, times, and the outcome in plain words."""

    state: str
    started_at: datetime | None = None
    finished_at: datetime | None = None
    detail: str = ""
    version: str | None = None
    promoted: bool | None = None

    @property
    def label(self) -> str:
        """One sentence for the state."""
        return STATE_LABELS[self.state]

    def to_dict(self) -> dict[str, Any]:
        """JSON form for the status endpoint."""
        data = asdict(self)
        for key in ("started_at", "finished_at"):
            data[key] = None if data[key] is None else data[key].isoformat()
        return {**data, "label": self.label}


def describe_outcome(outcome: object) -> tuple[str, str | None, bool | None]:
    """What a finished run decided, in plain words, with the version it trained and whether it was promoted."""
    if not isinstance(outcome, RetrainResult):
        return "The run ended without a new model version.", None, None
    reasons = "; ".join(outcome.decision.reasons)
    if outcome.promoted:
        verdict = f"{outcome.version} was promoted over the {outcome.decision.incumbent}"
    else:
        verdict = f"{outcome.version} was trained but not promoted"
    return (f"{verdict}: {reasons}." if reasons else f"{verdict}."), outcome.version, outcome.promoted


class RetrainRunner:
    """Starts `job` off the request path; a second request while one runs is told so rather than queued."""

    def __init__(self, job: Callable[[], object]) -> None:
        self._job = job
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._status = RetrainStatus("idle")

    @property
    def running(self) -> bool:
        """Whether a retraining run started here is still going."""
        return self._thread is not None and self._thread.is_alive()

    @property
    def status(self) -> RetrainStatus:
        """The state of the last run started in this process."""
        return self._status

    def start(self, reason: str | None = None) -> bool:
        """Start a run; False when one is already running in this process."""
        with self._lock:
            if self.running:
                return False
            self._status = RetrainStatus("running", started_at=utcnow())
            self._thread = threading.Thread(target=self._run, args=(reason,), name="retrain", daemon=True)
            self._thread.start()
            return True

    def join(self, timeout: float | None = None) -> None:
        """Wait for the current run (tests and graceful shutdown)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _run(self, reason: str | None) -> None:
        log.info("retrain.started", reason=reason)
        started = self._status.started_at
        try:
            outcome = self._job()
        except Exception as exc:  # the job records its own failure; here it must not kill the thread silently
            log.error("retrain.failed", error_type=type(exc).__name__, error=str(exc))
            self._status = RetrainStatus("failed", started, utcnow(), detail=str(exc)[:500] or type(exc).__name__)
            return
        detail, version, promoted = describe_outcome(outcome)
        self._status = RetrainStatus("finished", started, utcnow(), detail, version, promoted)
        log.info("retrain.finished", outcome=str(outcome)[:500])
