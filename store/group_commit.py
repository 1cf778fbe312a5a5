"""Group commit: concurrent small writes from many request threads share one transaction.

Under concurrent API traffic each request used to open a session, insert a row and commit on its own, and on
SQLite those commits queue one by one. Here the first waiting thread becomes the leader, takes every request
queued so far (up to `max_group`) and writes them in one transaction; the others wait for their own results.
Each caller still returns only after its rows are committed, so nothing is acknowledged before it is stored.
When a group's transaction fails, the leader retries each request on its own, so one bad request fails alone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import structlog
from sqlalchemy.engine import Engine
from sqlmodel import Session

from store.db import write_scope

log = structlog.get_logger(__name__)

Item = TypeVar("Item")
Out = TypeVar("Out")

DEFAULT_MAX_GROUP = 256


@dataclass
class _Request(Generic[Item, Out]):
    items: Sequence[Item]
    done: bool = False
    result: list[Out] = field(default_factory=list)
    error: BaseException | None = None


class GroupWriter(Generic[Item, Out]):
    """Writes items through `write(session, items) -> outputs` (one output per item, in order), grouping the
    items of concurrent callers into one transaction."""

    def __init__(
        self, engine: Engine, write: Callable[[Session, Sequence[Item]], list[Out]], max_group: int = DEFAULT_MAX_GROUP
    ) -> None:
        if max_group < 1:
            raise ValueError("max_group must be positive")
        self.engine = engine
        self._write = write
        self.max_group = max_group
        self._cond = threading.Condition()
        self._queue: list[_Request[Item, Out]] = []
        self._leading = False

    def write(self, items: Sequence[Item]) -> list[Out]:
        """Store `items` (committed when this returns) and return their outputs in order."""
        if not items:
            return []
        request: _Request[Item, Out] = _Request(items)
        with self._cond:
            self._queue.append(request)
        while True:
            with self._cond:
                while not request.done and self._leading:
                    self._cond.wait()
                if request.done:
                    break
                self._leading = True
                group = self._take()
            try:
                self._run(group)
            finally:
                with self._cond:
                    self._leading = False
                    self._cond.notify_all()
        if request.error is not None:
            raise request.error
        return request.result

    def _take(self) -> list[_Request[Item, Out]]:
        """The queued requests that fit in one group (at least one, however large); caller holds the lock."""
        group: list[_Request[Item, Out]] = []
        size = 0
        while self._queue and (not group or size + len(self._queue[0].items) <= self.max_group):
            request = self._queue.pop(0)
            group.append(request)
            size += len(request.items)
        return group

    def _run(self, group: list[_Request[Item, Out]]) -> None:
        try:
            try:
                self._commit(group)
            except Exception as exc:
                if len(group) == 1:
                    group[0].error = exc
                else:
                    log.warning("store.group_commit.retry_alone", requests=len(group), error=type(exc).__name__)
                    for request in group:
                        try:
                            self._commit([request])
                        except Exception as alone:
                            request.error = alone
        except BaseException as exc:
            for request in group:
                if not request.result and request.error is None:
                    request.error = exc
            raise
        finally:
            for request in group:
                request.done = True

    def _commit(self, group: list[_Request[Item, Out]]) -> None:
        items = [item for request in group for item in request.items]
        with write_scope(self.engine) as session:
            outputs = self._write(session, items)
            if len(outputs) != len(items):
                raise RuntimeError(f"group write returned {len(outputs)} outputs for {len(items)} items")
        at = 0
        for request in group:
            request.result = outputs[at : at + len(request.items)]
            at += len(request.items)
