"""GroupWriter: concurrent callers share transactions, each gets its own outputs only after they are committed,
and a failing caller fails alone (on SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from store.group_commit import GroupWriter
from store.tables import Company

CALLERS = 8


class CompanyWriter:
    """Inserts companies by name; the first call can be held open so that later callers queue behind it."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.hold = threading.Event()
        self.hold.set()
        self.entered = threading.Event()

    def __call__(self, session: Session, names: Sequence[str]) -> list[int]:
        self.calls.append(list(names))
        self.entered.set()
        self.hold.wait(timeout=30)
        if "bad" in names:
            raise ValueError("bad company")
        companies = [Company(name=name, domain=f"{name}.example") for name in names]
        session.add_all(companies)
        session.flush()
        return [company.id for company in companies]


def _names(engine: Engine) -> dict[int, str]:
    with Session(engine) as session:
        return {company.id: company.name for company in session.exec(select(Company)).scalars()}


def _run_queued(writer: GroupWriter, fn: CompanyWriter, batches: list[list[str]]) -> list[object]:
    """Start one caller per batch while the first write is held, wait until all the others are queued, then
    release: the queued callers must then be written together."""
    fn.hold.clear()
    outcomes: list[object] = [None] * len(batches)

    def call(position: int) -> None:
        try:
            outcomes[position] = writer.write(batches[position])
        except ValueError as exc:
            outcomes[position] = exc

    first = threading.Thread(target=call, args=(0,))
    first.start()
    assert fn.entered.wait(timeout=30)
    others = [threading.Thread(target=call, args=(k,)) for k in range(1, len(batches))]
    for thread in others:
        thread.start()
    deadline = time.monotonic() + 30
    while len(writer._queue) < len(batches) - 1 and time.monotonic() < deadline:
        time.sleep(0.005)
    fn.hold.set()
    for thread in (first, *others):
        thread.join(timeout=60)
    return outcomes


def test_queued_callers_share_one_transaction_and_get_their_own_ids(engine: Engine) -> None:
    fn = CompanyWriter()
    writer = GroupWriter(engine, fn)
    batches = [[f"co{k}a", f"co{k}b"] for k in range(CALLERS)]
    outcomes = _run_queued(writer, fn, batches)
    assert len(fn.calls) == 2
    assert sorted(fn.calls[1]) == sorted(name for batch in batches[1:] for name in batch)
    stored = _names(engine)
    for batch, ids in zip(batches, outcomes, strict=True):
        assert [stored[i] for i in ids] == batch


def test_a_failing_caller_fails_alone_and_the_others_are_stored(engine: Engine) -> None:
    fn = CompanyWriter()
    writer = GroupWriter(engine, fn)
    batches = [["first"], ["good1"], ["bad"], ["good2"]]
    outcomes = _run_queued(writer, fn, batches)
    assert isinstance(outcomes[2], ValueError)
    stored = _names(engine)
    assert sorted(stored.values()) == ["first", "good1", "good2"]
    for position in (0, 1, 3):
        assert [stored[i] for i in outcomes[position]] == batches[position]


def test_a_single_failing_write_raises_and_stores_nothing(engine: Engine) -> None:
    writer = GroupWriter(engine, CompanyWriter())
    with pytest.raises(ValueError, match="bad company"):
        writer.write(["bad"])
    assert writer.write(["after"]) and list(_names(engine).values()) == ["after"]


def test_groups_respect_the_maximum_size(engine: Engine) -> None:
    fn = CompanyWriter()
    writer = GroupWriter(engine, fn, max_group=3)
    outcomes = _run_queued(writer, fn, [[f"m{k}"] for k in range(7)])
    assert all(len(call) <= 3 for call in fn.calls)
    assert sorted(len(ids) for ids in outcomes) == [1] * 7
    assert len(_names(engine)) == 7


def test_a_write_returning_the_wrong_number_of_outputs_is_rolled_back(engine: Engine) -> None:
    def short(session: Session, names: Sequence[str]) -> list[int]:
        session.add(Company(name=names[0], domain="short.example"))
        return []

    with pytest.raises(RuntimeError, match="0 outputs for 1 items"):
        GroupWriter(engine, short).write(["lost"])
    assert _names(engine) == {}


def test_rejects_a_non_positive_group_size(engine: Engine) -> None:
    with pytest.raises(ValueError, match="max_group"):
        GroupWriter(engine, CompanyWriter(), max_group=0)
