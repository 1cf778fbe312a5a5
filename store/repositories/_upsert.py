"""Retry-safe upserts on a unique key: insert in a savepoint, or update the row a concurrent writer inserted first."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel
from sqlmodel.sql.expression import SelectOfScalar

Row = TypeVar("Row", bound=SQLModel)


def flush_or_update_winner(
    row: Row,
    created: bool,
    *,
    session: Session,
    query: SelectOfScalar[Row],
    update: Callable[[Row, Row], None],
) -> tuple[Row, bool]:
    """Flush `row`; when a concurrent insert took its unique key first, `update(winner, row)` the row `query` finds.

    Returns (row, created), or (winner, False): a retried or doubled request updates one row instead of failing.
    The row is added inside the savepoint: `begin_nested()` flushes what is pending before the savepoint starts, so
    a row added before it would fail outside the savepoint and leave the whole transaction unusable.
    """
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        winner = session.exec(query).one()
        update(winner, row)
        session.add(winner)
        session.flush()
        return winner, False
    return row, created
