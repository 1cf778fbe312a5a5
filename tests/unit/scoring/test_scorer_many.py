"""Scorer.score_many_facts (the API batch path) gives each lead exactly the result it gets scored alone."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from nlp import CallSignals, Evidence
from scoring.domain import CallFacts, CompanyFacts, LeadFacts, ScoreInput
from scoring.scorer import LeadFactsRow, Scorer

from .conftest import NOW


def _leads(n: int) -> list[LeadFactsRow]:
    rng = np.random.default_rng(5)
    leads: list[LeadFactsRow] = []
    for i in range(n):
        signals = CallSignals(
            pricing_requested=bool(rng.random() < 0.5),
            next_meeting_scheduled=bool(rng.random() < 0.5),
            decision_maker_present=bool(rng.random() < 0.5),
            not_interested=bool(rng.random() < 0.15),
            evidence=(Evidence("pricing_requested", f"asked for pricing {i}", 0, 20),),
            warnings=("Notes do not look like English; signals may be missed.",) if i % 7 == 0 else (),
        )
        calls = [CallFacts(i, NOW - timedelta(days=int(rng.integers(1, 60))), "notes", signals)] if i % 3 else []
        company = CompanyFacts(
            name=f"C{i}",
            domain=f"c{i}.com" if i % 5 else "gmail.com",
            industry=["Retail", "Healthcare", "Underwater basket weaving", None][i % 4],
            employees=int(rng.integers(1, 9000)) if i % 2 else None,
        )
        leads.append((company, LeadFacts(urgency_level=int(rng.integers(1, 6))) if i % 4 else None, calls))
    return leads


@pytest.mark.parametrize("which", ["prior_scorer", "model_scorer"])
def test_many_equals_one_at_a_time(which: str, request: pytest.FixtureRequest) -> None:
    scorer: Scorer = request.getfixturevalue(which)
    leads = _leads(30)
    many = scorer.score_many_facts(leads, now=NOW)
    alone = [scorer.score_facts(company, lead, calls, now=NOW) for company, lead, calls in leads]
    assert [r.model_dump() for r in many] == [r.model_dump() for r in alone]
    assert len({r.recommendation for r in many}) > 1


def test_input_calls_reads_notes_once_as_the_newest_call(model_scorer: Scorer) -> None:
    seen: list[str] = []

    def extract(text: str) -> CallSignals:
        seen.append(text)
        return CallSignals(pricing_requested=True, chars_processed=len(text))

    scorer = Scorer(model_scorer.bundle, model_scorer.rules, model_scorer.prior, model_scorer.config, extract)
    older = CallFacts(1, NOW - timedelta(days=2), "old", CallSignals())
    calls = scorer.input_calls(ScoreInput(domain="acme.com", call_notes="send pricing"), calls=[older], now=NOW)
    assert seen == ["send pricing"]
    assert calls[0] is older and calls[1].started_at == NOW and calls[1].signals.pricing_requested
    assert scorer.input_calls(ScoreInput(domain="acme.com"), now=NOW) == []


def test_input_calls_without_an_extractor_refuses_notes(model_scorer: Scorer) -> None:
    with pytest.raises(ValueError, match="no signal extractor"):
        model_scorer.input_calls(ScoreInput(domain="acme.com", call_notes="hello"), now=NOW)
