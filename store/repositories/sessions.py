"""Revoked dashboard sessions: logout in one API process is seen by every other; rows go once the cookie expires."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from store.tables import RevokedSession


def revoke_session(nonce: str, expires_at: datetime, *, session: Session, now: datetime) -> None:
    """Record a session as ended (idempotent) and drop records of sessions that have expired anyway."""
    session.exec(delete(RevokedSession).where(col(RevokedSession.expires_at) < now))
    if session.get(RevokedSession, nonce) is None:
        session.add(RevokedSession(nonce=nonce, expires_at=expires_at))
    session.flush()


def is_session_revoked(nonce: str, *, session: Session) -> bool:
    """Whether a session was ended by logout."""
    return session.exec(select(RevokedSession.nonce).where(RevokedSession.nonce == nonce)).first() is not None
