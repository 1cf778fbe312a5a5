"""Progress of long `fellow` jobs: a live bar (or status line) on a terminal, plain progress lines in logs."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any, TextIO

LINE_STEP = 0.1  # without a terminal, one line per tenth of the work (and the last)


class Reporter:
    """Reports a job's progress on stderr: `step(done, total)` for counted work, `message(text)` for stages."""

    def __init__(self, label: str, *, stream: TextIO | None = None, terminal: bool | None = None) -> None:
        self.label = label
        self._stream = stream or sys.stderr
        self._terminal = self._stream.isatty() if terminal is None else terminal
        self._bar: Any = None
        self._task: Any = None
        self._next_line = 0  # the next tenth (in LINE_STEPs) that gets a line
        self._stage = ""

    def __enter__(self) -> Reporter:
        if self._terminal:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            console = Console(file=self._stream, force_terminal=True)
            self._bar = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                console=console, transient=True,
            )  # fmt: skip
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=None)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._bar.stop()

    def _line(self, text: str) -> None:
        self._stream.write(f"{self.label}: {text}\n")
        self._stream.flush()

    def step(self, done: int, total: int, note: str = "") -> None:
        """`done` of `total` units finished (`note` names the current stage)."""
        if self._bar is not None:
            description = f"{self.label} ({note})" if note else self.label
            self._bar.update(self._task, completed=done, total=total, description=description)
            return
        if note != self._stage:  # a new stage gets its own tenths
            self._stage, self._next_line = note, 0
        steps = round(1 / LINE_STEP)
        reached = done * steps // total if total else steps  # whole steps, so 3/10 is the third tenth exactly
        if reached >= self._next_line or done >= total:
            self._line(f"{done}/{total}" + (f" {note}" if note else ""))
            self._next_line = reached + 1

    def count(self, done: int, note: str = "") -> None:
        """`done` units finished of a total not yet known (a Salesforce query read page by page)."""
        if self._bar is not None:
            description = f"{self.label} ({note})" if note else self.label
            self._bar.update(self._task, completed=done, total=None, description=description)
        else:
            self._line(f"{done}" + (f" {note}" if note else ""))

    def hook(self, stage: str, done: int, total: int | None) -> None:
        """The crm_sync progress callback (`crm_sync.progress.Progress`): counted or open-ended work by stage."""
        if total is None:
            self.count(done, stage)
        else:
            self.step(done, total, stage)

    def message(self, text: str) -> None:
        """A stage of uncounted work: the live line shows it on a terminal, a log gets it as a line."""
        if self._bar is not None:
            self._bar.update(self._task, description=f"{self.label}: {text}")
            self._bar.console.print(f"{self.label}: {text}", highlight=False)
        else:
            self._line(text)

    def stage_step(self, stage: str, done: int, total: int) -> None:
        """`step` for callbacks that name their stage first (the demo seeder's)."""
        self.step(done, total, stage)
