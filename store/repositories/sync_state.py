"""Named watermarks for incremental syncs (Salesforce leads, Fellow calls, outcomes)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from store.tables import SyncState
from store.types import utcnow


def get_sync_state(name: str, *, session: Session) -> SyncState | None:
    """The stored watermark row for a sync, or None before its first run."""
    return session.get(SyncState, name)


def set_watermark(name: str, watermark: datetime | None, *, session: Session, cursor: str | None = None) -> SyncState:
    """Advance (or set) a sync's watermark; call it in the transaction that stored the batch."""
    row = session.get(SyncState, name) or SyncState(name=name)
    row.watermark, row.cursor, row.updated_at = watermark, cursor, utcnow()
    session.add(row)
    session.flush()
    return row


def all_sync_states(*, session: Session) -> list[SyncState]:
    """Every sync's watermark (for health and the dashboard)."""
    return list(session.exec(select(SyncState).order_by(SyncState.name)).all())
