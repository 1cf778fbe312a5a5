"""Scoring with the real nlp pipeline: quotes come from the notes, unreadable notes lower confidence."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from nlp import SignalExtractor
from scoring.domain import ScoreInput
from scoring.scorer import Scorer, build_scorer

NOW = datetime(2025, 3, 1, tzinfo=UTC)
BASE = {"company_name": "Acme Health", "domain": "acme.com", "industry": "Healthcare", "employees": 400}


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return build_scorer(extract=SignalExtractor().extract)


def test_english_notes_give_quoted_reasons(scorer: Scorer) -> None:
    notes = (
        "Dana (CTO) asked for pricing for a Voice AI agent to answer patient calls. "
        "They handle about 30,000 calls per month. We booked a follow-up demo for next Tuesday."
    )
    result = scorer.score(ScoreInput(**BASE, call_notes=notes), now=NOW)
    assert result.evidence, result
    for item in result.evidence:
        assert item.quote and notes[item.start : item.end].strip()
    assert any('"' in sentence for sentence in result.reasoning)


def test_notes_in_another_language_lower_confidence_and_say_so(scorer: Scorer) -> None:
    english = scorer.score(ScoreInput(**BASE, call_notes="They asked about pricing and a demo next week."), now=NOW)
    german = scorer.score(
        ScoreInput(**BASE, call_notes="Wir brauchen eine Sprach-KI für unser Callcenter, bitte ein Angebot schicken."),
        now=NOW,
    )
    language = [w for w in german.warnings if "english" in w.lower()]
    assert language and not any("english" in w.lower() for w in english.warnings)
    assert german.confidence < english.confidence
