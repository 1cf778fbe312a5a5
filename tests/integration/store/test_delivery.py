"""The shared outbox delivery loop: delivered, retried with backoff, given up, handler crashes."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.engine import Engine

from store.db import session_scope
from store.delivery import DeliveryPolicy, GiveUp, Retry, deliver_once
from store.repositories import outbox
from store.tables import OutboxEvent


def _enqueue(engine: Engine, count: int) -> None:
    with session_scope(engine) as session:
        for index in range(count):
            outbox.enqueue("slack.post", f"score:{index}", {"index": index}, session=session)


def test_results_are_recorded_per_event(engine: Engine) -> None:
    _enqueue(engine, 3)
    seen: list[int] = []

    def handler(batch: Sequence[OutboxEvent]) -> dict:
        seen.extend(event.payload["index"] for event in batch)
        first, second, third = (event.id for event in batch)
        return {first: None, second: Retry("429", after_seconds=0), third: GiveUp("lead deleted")}

    report = deliver_once(engine, "slack.post", handler, worker_id="w")
    assert seen == [0, 1, 2]
    assert (report.delivered, report.retried, report.dead) == (1, 1, 1)
    with session_scope(engine) as session:
        assert [event.status for event in outbox.events(session=session)] == ["delivered", "pending", "dead"]
    again = deliver_once(engine, "slack.post", lambda batch: {event.id: None for event in batch}, worker_id="w")
    assert again.delivered == 1


def test_a_crashing_handler_loses_nothing(engine: Engine) -> None:
    _enqueue(engine, 2)

    def broken(batch: Sequence[OutboxEvent]) -> dict:
        raise RuntimeError("bug")

    report = deliver_once(engine, "slack.post", broken, worker_id="w", policy=DeliveryPolicy(base_delay_seconds=0))
    assert report.retried == 2 and report.delivered == 0
    with session_scope(engine) as session:
        assert outbox.depth(session=session) == {"slack.post": 2}
        assert all(event.attempts == 1 for event in outbox.events(session=session))
