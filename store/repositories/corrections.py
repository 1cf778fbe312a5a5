"""Signal corrections: an AE's "not right" on one evidence item of a score; one row per (score, item, user)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, func, select

from store.repositories._upsert import flush_or_update_winner
from store.tables import Call, Score, SignalCorrection
from store.types import utcnow

MAX_COMMENT = 2000


class UnknownEvidenceError(LookupError):
    """The correction names a score or an evidence item that does not exist (deleted, stale card, forged id)."""


def evidence_item(score: Score, index: int) -> dict[str, Any]:
    """The stored evidence item `index` of a score; UnknownEvidenceError when there is none."""
    items = score.evidence or []
    if not 0 <= index < len(items) or not isinstance(items[index], dict):
        raise UnknownEvidenceError(f"score {score.id} has no evidence item {index}")
    return items[index]


def record_correction(
    *,
    session: Session,
    score_id: int,
    evidence_index: int,
    user_id: str,
    user_name: str | None = None,
    corrected_signal: str | None = None,
    comment: str | None = None,
    source: str = "slack",
) -> tuple[SignalCorrection, bool]:
    """Record (or update) a user's "not right" on one evidence item of a score; returns (row, created).

    Safe under retries: the unique (score, item, user) key turns a concurrent duplicate into an update.
    """
    score = session.get(Score, score_id)
    if score is None:
        raise UnknownEvidenceError(f"score {score_id} does not exist")
    item = evidence_item(score, evidence_index)
    call_id = item.get("call_id")
    known_call = isinstance(call_id, int) and session.get(Call, call_id) is not None
    query = select(SignalCorrection).where(
        SignalCorrection.score_id == score_id,
        SignalCorrection.evidence_index == evidence_index,
        SignalCorrection.user_id == user_id,
    )
    row = session.exec(query).first()
    created = row is None
    if row is None:
        row = SignalCorrection(
            score_id=score_id,
            evidence_index=evidence_index,
            lead_id=score.lead_id,
            call_id=call_id if known_call else None,
            signal=str(item.get("signal") or "")[:40],
            quote=str(item.get("quote") or ""),
            trigger=(str(item["trigger"])[:500] if item.get("trigger") else None),
            user_id=user_id,
        )
    row.corrected_signal = corrected_signal
    row.comment = comment[:MAX_COMMENT] if comment else None
    row.user_name = user_name or row.user_name
    row.source = source
    row.updated_at = utcnow()
    return flush_or_update_winner(row, created, session=session, query=query, update=_take_correction)


def _take_correction(existing: SignalCorrection, row: SignalCorrection) -> None:
    """A concurrent duplicate's correction and comment land on the row that won the unique key."""
    existing.corrected_signal, existing.comment = row.corrected_signal, row.comment
    existing.updated_at = row.updated_at


def corrections_for_score(score_id: int, *, session: Session) -> list[SignalCorrection]:
    """Every correction on a score's evidence, oldest first."""
    query = (
        select(SignalCorrection)
        .where(SignalCorrection.score_id == score_id)
        .order_by(col(SignalCorrection.created_at), col(SignalCorrection.id))
    )
    return list(session.exec(query).all())


def list_corrections(*, session: Session) -> list[SignalCorrection]:
    """Every correction, oldest first (export and suggestions)."""
    query = select(SignalCorrection).order_by(col(SignalCorrection.updated_at), col(SignalCorrection.id))
    return list(session.exec(query).all())


def call_texts(call_ids: Iterable[int], *, session: Session) -> dict[int, Call]:
    """The calls named by corrections, by id."""
    ids = sorted(set(call_ids))
    if not ids:
        return {}
    return {call.id: call for call in session.exec(select(Call).where(col(Call.id).in_(ids))).all() if call.id}


def latest_evidence(*, session: Session, limit: int = 20_000) -> list[tuple[int, list[dict[str, Any]]]]:
    """(score id, evidence) of every lead's latest score, newest first: the quotes AEs are being shown."""
    latest = select(func.max(Score.id)).where(col(Score.lead_id).is_not(None)).group_by(col(Score.lead_id))
    ids = sorted((i for i in session.exec(latest).all() if i is not None), reverse=True)[:limit]
    out: list[tuple[int, list[dict[str, Any]]]] = []
    for start in range(0, len(ids), 900):
        query = select(Score.id, Score.evidence).where(col(Score.id).in_(ids[start : start + 900]))
        out.extend((score_id, list(evidence or [])) for score_id, evidence in session.exec(query).all() if score_id)
    return out
