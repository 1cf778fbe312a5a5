"""Progress hooks for long crm_sync jobs (history import, call import, Salesforce backfill): the caller (the CLI)
passes a callback; the jobs never know how it is shown."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, int, int | None], None]
"""`progress(stage, done, total)`: the stage's name ("rows", "calls", "scoring", "leads"), units finished so far
and the total, or None while the total is unknown (a Salesforce query's pages)."""


def no_progress(stage: str, done: int, total: int | None) -> None:
    """The default hook: report nothing (the worker's scheduled runs log their own summaries)."""
