"""Retraining on request: runs the learning loop's retrain job in a background thread, one run at a time."""

from __future__ import annotations

import threading
from collections.abc import Callable

from structlog import get_logger

log = get_logger(__name__)

RETRAIN_JOB = "retrain"


class RetrainRunner:
    """Starts `job` off the request path; a second request while one runs is told so rather than queued."""

    def __init__(self, job: Callable[[], object]) -> None:
        self._job = job
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        """Whether a retraining run started here is still going."""
        return self._thread is not None and self._thread.is_alive()

    def start(self, reason: str | None = None) -> bool:
        """Start a run; False when one is already running in this process."""
        with self._lock:
            if self.running:
                return False
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
        try:
            outcome = self._job()
        except Exception as exc:  # the job records its own failure; here it must not kill the thread silently
            log.error("retrain.failed", error_type=type(exc).__name__, error=str(exc))
            return
        log.info("retrain.finished", outcome=str(outcome)[:500])
