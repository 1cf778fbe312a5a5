"""`fellow score` and `fellow qualify` build the spaCy pipeline only when a call's text is read."""

from __future__ import annotations

from admin_api.cli.score import OnDemandExtractor
from config import Settings
from scoring.domain import ScoreInput
from scoring.scorer import build_scorer


def test_scoring_without_notes_never_builds_the_pipeline() -> None:
    extractor = OnDemandExtractor(Settings())
    result = build_scorer(None, extract=extractor.extract).score(ScoreInput(company_name="Acme", employees="50-100"))
    assert 0 <= result.qualification_score <= 100 and not extractor.built


def test_notes_build_it_once_and_read_them() -> None:
    extractor = OnDemandExtractor(Settings())
    scorer = build_scorer(None, extract=extractor.extract)
    notes = "They need an AI voice agent for their call center; the budget is approved."
    first = scorer.score(ScoreInput(company_name="Acme", call_notes=notes))
    assert extractor.built and first.evidence
    again = scorer.score(ScoreInput(company_name="Acme", call_notes=notes))
    assert [e.signal for e in again.evidence] == [e.signal for e in first.evidence]
