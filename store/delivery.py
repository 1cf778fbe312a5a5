"""Outbox delivery loop shared by every consumer (Slack poster, Salesforce writeback, alerts).

A consumer supplies a handler that receives a batch of leased events and returns, per event id, either
`None` (delivered), a `Retry` (transient: retried with exponential backoff) or a `GiveUp` (permanent: the
event is parked as dead with its reason). Events the handler does not mention are retried. Deliveries are
recorded in one statement per batch; a crash before that re-delivers the batch once more after its lease.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from structlog import get_logger

from store.db import session_scope
from store.repositories import outbox
from store.tables import OutboxEvent
from store.types import saved_id

log = get_logger(__name__)


@dataclass(frozen=True)
class Retry:
    """A transient failure; `after_seconds` overrides the backoff (e.g. from Retry-After)."""

    reason: str
    after_seconds: float | None = None


@dataclass(frozen=True)
class GiveUp:
    """A permanent failure: retrying cannot help (e.g. the lead was deleted)."""

    reason: str


Result = Retry | GiveUp | None
Handler = Callable[[Sequence[OutboxEvent]], Mapping[int, Result]]


@dataclass(frozen=True)
class DeliveryPolicy:
    """How many events a batch holds, how long a lease lasts, and how retries back off."""

    batch_size: int = 50
    lease_seconds: float = 120.0
    max_attempts: int = 8
    base_delay_seconds: float = 5.0
    max_delay_seconds: float = 3600.0


@dataclass
class DeliveryReport:
    """What one pass delivered, postponed and gave up on."""

    delivered: int = 0
    retried: int = 0
    dead: int = 0
    errors: list[str] = field(default_factory=list)


def backoff_seconds(attempts: int, policy: DeliveryPolicy, rng: random.Random | None = None) -> float:
    """Exponential backoff with full jitter, capped by the policy."""
    ceiling = min(policy.max_delay_seconds, policy.base_delay_seconds * (2**attempts))
    return (rng or random).uniform(ceiling / 2, ceiling)


def deliver_once(
    engine: Engine, topic: str, handler: Handler, *, worker_id: str, policy: DeliveryPolicy = DeliveryPolicy()
) -> DeliveryReport:
    """Lease one batch of due events for a topic, hand it to the handler, and record each result."""
    with session_scope(engine) as session:
        batch = outbox.claim_due(
            topic, session=session, worker_id=worker_id, limit=policy.batch_size, lease_seconds=policy.lease_seconds
        )
    report = DeliveryReport()
    if not batch:
        return report
    ids = [saved_id(event) for event in batch]
    try:
        results = dict(handler(batch))
    except Exception as exc:  # a handler bug must not wedge the queue: every event is retried later
        log.exception("outbox.handler_failed", topic=topic, events=len(batch))
        results = {event_id: Retry(f"handler failed: {type(exc).__name__}") for event_id in ids}
    delivered = [event_id for event_id in ids if event_id in results and results[event_id] is None]
    with session_scope(engine) as session:
        outbox.mark_delivered(delivered, session=session)
    report.delivered = len(delivered)
    for event_id, event in zip(ids, batch, strict=True):
        result = results.get(event_id, Retry("handler returned no result"))
        if result is None:
            continue
        with session_scope(engine) as session:
            if isinstance(result, GiveUp):
                status = outbox.mark_retry(event_id, result.reason, session=session, delay_seconds=0, max_attempts=0)
            else:
                delay = result.after_seconds
                if delay is None:
                    delay = backoff_seconds(event.attempts, policy)
                status = outbox.mark_retry(
                    event_id, result.reason, session=session, delay_seconds=delay, max_attempts=policy.max_attempts
                )
        report.errors.append(f"{event.idempotency_key}: {result.reason}")
        if status == outbox.DEAD:
            report.dead += 1
        else:
            report.retried += 1
    log.info("outbox.delivered", topic=topic, delivered=report.delivered, retried=report.retried, dead=report.dead)
    return report
