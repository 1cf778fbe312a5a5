"""Transactional outbox: enqueue side effects with the data that caused them; consumers lease and deliver.

Delivery is at-least-once: a consumer leases due events, delivers, then marks them delivered. If it dies
mid-delivery the lease expires and another consumer re-delivers once more; receivers de-duplicate by
`idempotency_key`. Enqueueing the same key twice is a no-op, so retried producers never double-post.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, update
from sqlmodel import Session, col, func, select

from store.tables import OutboxEvent
from store.types import utcnow

PENDING, DELIVERING, DELIVERED, DEAD = "pending", "delivering", "delivered", "dead"


def enqueue(topic: str, key: str, payload: dict[str, Any], *, session: Session) -> tuple[OutboxEvent, bool]:
    """Add an event unless one with the same idempotency key exists; returns (row, created)."""
    existing = session.exec(select(OutboxEvent).where(OutboxEvent.idempotency_key == key)).first()
    if existing is not None:
        return existing, False
    row = OutboxEvent(topic=topic, idempotency_key=key, payload=payload)
    session.add(row)
    session.flush()
    return row, True


def claim_due(
    topic: str,
    *,
    session: Session,
    worker_id: str,
    limit: int = 50,
    lease_seconds: float = 60,
    now: datetime | None = None,
) -> list[OutboxEvent]:
    """Lease up to `limit` due events of a topic for this worker; each claim has its own lease token, so no two
    claims get the same event even when processes share a worker id."""
    now = now or utcnow()
    free = or_(col(OutboxEvent.locked_until).is_(None), col(OutboxEvent.locked_until) < now)
    due = (
        select(OutboxEvent.id)
        .where(
            OutboxEvent.topic == topic,
            col(OutboxEvent.status).in_((PENDING, DELIVERING)),
            OutboxEvent.next_attempt_at <= now,
            free,
        )
        .order_by(col(OutboxEvent.id))
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    ids = list(session.exec(due).all())
    if not ids:
        return []
    lease = f"{worker_id}/{uuid.uuid4().hex[:12]}"
    session.exec(
        update(OutboxEvent)
        .where(col(OutboxEvent.id).in_(ids), free)
        .values(status=DELIVERING, locked_by=lease, locked_until=now + timedelta(seconds=lease_seconds))
    )
    session.flush()
    leased = select(OutboxEvent).where(col(OutboxEvent.id).in_(ids), OutboxEvent.locked_by == lease)
    return list(session.exec(leased.order_by(col(OutboxEvent.id)).execution_options(populate_existing=True)).all())


def mark_delivered(event_ids: int | Sequence[int], *, session: Session) -> None:
    """Record successful deliveries (one id or many, in one statement) and release their leases."""
    ids = [event_ids] if isinstance(event_ids, int) else list(event_ids)
    if not ids:
        return
    session.exec(
        update(OutboxEvent)
        .where(col(OutboxEvent.id).in_(ids))
        .values(status=DELIVERED, delivered_at=utcnow(), locked_by=None, locked_until=None, last_error=None)
    )


def mark_retry(event_id: int, error: str, *, session: Session, delay_seconds: float, max_attempts: int) -> str:
    """Record a failed attempt: schedule a retry after `delay_seconds`, or give up after `max_attempts`."""
    row = session.get(OutboxEvent, event_id)
    if row is None:
        raise LookupError(f"outbox event {event_id} does not exist")
    row.attempts += 1
    row.last_error = error[:2000]
    row.locked_by = row.locked_until = None
    row.status = DEAD if row.attempts >= max_attempts else PENDING
    row.next_attempt_at = utcnow() + timedelta(seconds=delay_seconds)
    session.add(row)
    session.flush()
    return row.status


def depth(*, session: Session) -> dict[str, int]:
    """Undelivered events per topic (the outbox depth metric)."""
    query = (
        select(OutboxEvent.topic, func.count())
        .where(col(OutboxEvent.status).in_((PENDING, DELIVERING)))
        .group_by(OutboxEvent.topic)
    )
    return {topic: count for topic, count in session.exec(query).all()}


def events(*, session: Session, topic: str | None = None, status: str | None = None) -> list[OutboxEvent]:
    """Events in creation order, optionally filtered (for tests, the CLI and the dashboard)."""
    query = select(OutboxEvent).order_by(col(OutboxEvent.id))
    if topic is not None:
        query = query.where(OutboxEvent.topic == topic)
    if status is not None:
        query = query.where(OutboxEvent.status == status)
    return list(session.exec(query).all())


def get_outbox_event(event_id: int, *, session: Session) -> OutboxEvent | None:
    """An outbox event by id (fresh from the database)."""
    return session.get(OutboxEvent, event_id, populate_existing=True)


def record_delivery_receipt(event_id: int, receipt: dict[str, Any], *, session: Session) -> None:
    """Store what a delivery produced (e.g. Slack channel + ts) in the event's payload under `receipt`."""
    row = session.get(OutboxEvent, event_id, populate_existing=True)
    if row is None:
        raise LookupError(f"outbox event {event_id} does not exist")
    row.payload = {**row.payload, "receipt": receipt}
    session.add(row)
    session.flush()
