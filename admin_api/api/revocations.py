"""Dashboard logouts kept in the database, so a session ended in one API process is refused by all of them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from store.db import session_scope
from store.repositories.sessions import is_session_revoked, revoke_session


class DatabaseRevocations:
    """`Revocations` backed by the revoked_session table; expired rows are dropped on each logout."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def revoke(self, nonce: str, expires_at: int) -> None:
        """Record a session as ended until it expires."""
        with session_scope(self._engine) as session:
            revoke_session(nonce, datetime.fromtimestamp(expires_at, UTC), session=session, now=datetime.now(UTC))

    def is_revoked(self, nonce: str) -> bool:
        """Whether any process recorded this session as ended."""
        with Session(self._engine) as session:
            return is_session_revoked(nonce, session=session)
