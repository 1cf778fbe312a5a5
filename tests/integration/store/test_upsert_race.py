"""A verdict or correction that loses the insert race to a concurrent writer updates the winner's row instead of
failing (the savepoint path of store.repositories._upsert), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from store.repositories import corrections, feedback, scores
from store.tables import Feedback, SignalCorrection
from tests.integration.store.test_tables import _lead, _score_fields


def _score_id(engine: Engine) -> int:
    with Session(engine) as session:
        score = scores.add_score(session=session, **_score_fields(_lead(session).id))
        session.commit()
        assert score.id is not None
        return score.id


def _rival_commits_first(session: Session, engine: Engine, rival: Callable[[Session], Any]) -> None:
    """Just before `session` first flushes, another session inserts (and commits) the same unique key."""

    done: list[bool] = []

    def insert_rival(*_: Any) -> None:
        if done:
            return
        done.append(True)
        with Session(engine) as other:
            rival(other)
            other.commit()

    event.listen(session, "before_flush", insert_rival)


def test_a_verdict_that_loses_the_race_updates_the_winner(engine: Engine) -> None:
    score_id = _score_id(engine)
    with Session(engine, expire_on_commit=False) as session:
        _rival_commits_first(
            session,
            engine,
            lambda other: other.add(Feedback(score_id=score_id, user_id="U1", verdict="up", salesforce_user_id="005A")),
        )
        row, created = feedback.record_feedback(
            session=session, score_id=score_id, user_id="U1", verdict="down", reason="bad_timing", comment="Q3"
        )
        session.commit()
        assert not created
    with Session(engine) as session:
        stored = session.exec(select(Feedback).where(Feedback.score_id == score_id)).all()
    assert [(r.id, r.verdict, r.reason, r.comment, r.salesforce_user_id) for r in stored] == [
        (row.id, "down", "bad_timing", "Q3", "005A")
    ]


def test_a_correction_that_loses_the_race_updates_the_winner(engine: Engine) -> None:
    score_id = _score_id(engine)
    with Session(engine, expire_on_commit=False) as session:
        _rival_commits_first(
            session,
            engine,
            lambda other: other.add(
                SignalCorrection(score_id=score_id, evidence_index=0, user_id="U1", signal="pricing", quote="q")
            ),
        )
        row, created = corrections.record_correction(
            session=session, score_id=score_id, evidence_index=0, user_id="U1", corrected_signal="none", comment="no"
        )
        session.commit()
        assert not created
    with Session(engine) as session:
        stored = session.exec(select(SignalCorrection).where(SignalCorrection.score_id == score_id)).all()
    assert [(r.id, r.corrected_signal, r.comment) for r in stored] == [(row.id, "none", "no")]
