"""Outbox: idempotent enqueue, exclusive leases, retries with give-up, lease expiry re-delivery."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from store.repositories import outbox
from store.types import utcnow


def test_enqueue_is_idempotent_per_key(session: Session) -> None:
    first, created = outbox.enqueue("slack.post", "score:1", {"score_id": 1}, session=session)
    second, created_again = outbox.enqueue("slack.post", "score:1", {"score_id": 1}, session=session)
    session.commit()
    assert created and not created_again and first.id == second.id
    assert outbox.depth(session=session) == {"slack.post": 1}


def test_two_claims_never_lease_the_same_event_even_with_one_worker_id(engine: Engine) -> None:
    with Session(engine) as session:
        for index in range(5):
            outbox.enqueue("salesforce.writeback", f"score:{index}", {"i": index}, session=session)
        session.commit()
    with Session(engine, expire_on_commit=False) as first, Session(engine, expire_on_commit=False) as second:
        leased_a = outbox.claim_due("salesforce.writeback", session=first, worker_id="a", limit=3)
        first.commit()
        leased_b = outbox.claim_due("salesforce.writeback", session=second, worker_id="a", limit=10)
        second.commit()
    ids_a, ids_b = {row.id for row in leased_a}, {row.id for row in leased_b}
    assert len(ids_a) == 3 and len(ids_b) == 2 and not ids_a & ids_b


def test_failed_delivery_retries_then_gives_up(session: Session) -> None:
    row, _ = outbox.enqueue("slack.post", "score:9", {}, session=session)
    session.commit()
    assert outbox.mark_retry(row.id, "HTTP 500", session=session, delay_seconds=0, max_attempts=2) == "pending"
    leased = outbox.claim_due("slack.post", session=session, worker_id="w", now=utcnow() + timedelta(seconds=1))
    assert [event.id for event in leased] == [row.id]
    assert outbox.mark_retry(row.id, "HTTP 500", session=session, delay_seconds=0, max_attempts=2) == "dead"
    session.commit()
    assert outbox.claim_due("slack.post", session=session, worker_id="w", now=utcnow() + timedelta(hours=1)) == []
    assert outbox.events(session=session, status="dead")[0].last_error == "HTTP 500"


def test_expired_lease_is_redelivered_and_delivered_events_are_not(session: Session) -> None:
    row, _ = outbox.enqueue("slack.post", "score:5", {}, session=session)
    session.commit()
    now = utcnow()
    assert outbox.claim_due("slack.post", session=session, worker_id="crashed", lease_seconds=30, now=now)
    session.commit()
    assert outbox.claim_due("slack.post", session=session, worker_id="w2", now=now + timedelta(seconds=10)) == []
    again = outbox.claim_due("slack.post", session=session, worker_id="w2", now=now + timedelta(seconds=31))
    assert [event.id for event in again] == [row.id]
    outbox.mark_delivered(row.id, session=session)
    session.commit()
    assert outbox.claim_due("slack.post", session=session, worker_id="w3", now=now + timedelta(hours=2)) == []
    assert outbox.depth(session=session) == {}
