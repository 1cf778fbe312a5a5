"""The lead page's evidence part and the per-signal precision table: quotes once with their signals, the "not
right" corrections AEs made on them, and how often each signal's quotes were marked not right."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from bot.cards import quotes_of
from nlp import BOOLEAN_SIGNALS
from nlp.corrections import signal_precision
from store.repositories.corrections import corrections_for_score
from store.tables import Score


def lead_evidence(session: Session, score: Score | None) -> dict[str, Any]:
    """The latest score's quotes (each once, with the signals it supports and their evidence indexes) and the
    corrections recorded on them, for the lead page's "not right" forms."""
    if score is None or score.id is None:
        return {"quotes": (), "corrections": [], "signal_names": BOOLEAN_SIGNALS}
    return {
        "quotes": quotes_of(score, session=session),
        "corrections": corrections_for_score(score.id, session=session),
        "signal_names": BOOLEAN_SIGNALS,
    }


def precision_rows(session: Session) -> dict[str, Any]:
    """Per signal: quotes on the latest cards, how many AEs marked not right, the precision estimate."""
    return {"precision": signal_precision(session=session)}
