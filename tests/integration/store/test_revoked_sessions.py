"""Revoked dashboard sessions: recorded once, visible to every reader, dropped after they expire."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from admin_api.api.auth import SessionSigner
from admin_api.api.revocations import DatabaseRevocations
from store.repositories.sessions import is_session_revoked, revoke_session
from store.tables import RevokedSession

NOW = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)


def test_a_revoked_session_is_seen_and_revoking_twice_is_one_row(session: Session) -> None:
    revoke_session("n1", NOW + timedelta(hours=1), session=session, now=NOW)
    revoke_session("n1", NOW + timedelta(hours=1), session=session, now=NOW)
    session.commit()
    assert is_session_revoked("n1", session=session) and not is_session_revoked("n2", session=session)
    assert len(session.exec(select(RevokedSession)).all()) == 1


def test_expired_records_are_dropped_on_the_next_logout(session: Session) -> None:
    revoke_session("old", NOW - timedelta(minutes=1), session=session, now=NOW - timedelta(hours=2))
    revoke_session("new", NOW + timedelta(hours=8), session=session, now=NOW)
    session.commit()
    assert [row.nonce for row in session.exec(select(RevokedSession)).all()] == ["new"]


def test_a_signer_refuses_a_cookie_another_signer_logged_out(engine: Engine) -> None:
    first = SessionSigner(b"s" * 32, revocations=DatabaseRevocations(engine))
    second = SessionSigner(b"s" * 32, revocations=DatabaseRevocations(engine))
    cookie, issued = first.issue()
    assert second.verify(cookie) == issued
    first.revoke(issued)
    assert second.verify(cookie) is None and first.verify(cookie) is None
