"""The Scorer end to end: prior and model paths, explanations, bad input, batch/single agreement, threads."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import numpy as np
import pytest

from nlp import CallSignals, Evidence
from scoring.domain import CallFacts, CompanyFacts, LeadFacts, ScoreInput
from scoring.features import FEATURE_NAMES, build_features, features_frame
from scoring.scorer import Scorer

from .conftest import NOW

HOT_NOTES = "Their CTO asked for pricing on Voice AI for 20k calls a month and booked a demo next week."


def _hot_signals(text: str) -> CallSignals:
    start = text.index("pricing")
    return CallSignals(
        pricing_requested=True,
        next_meeting_scheduled=True,
        decision_maker_present=True,
        product_voice_ai=True,
        urgency="high",
        volume_per_month=20_000.0,
        evidence=(Evidence("pricing_requested", "asked for pricing on Voice AI", start - 10, start + 19),),
        chars_processed=len(text),
    )


def _with_extract(scorer: Scorer, extract) -> Scorer:
    return Scorer(scorer.bundle, scorer.rules, scorer.prior, scorer.config, extract)


def _no_raw_names(sentences: list[str]) -> None:
    for sentence in sentences:
        for name in FEATURE_NAMES:
            if "_" in name:
                assert name not in sentence, sentence
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", sentence), sentence


@pytest.mark.parametrize("which", ["prior_scorer", "model_scorer"])
def test_a_hot_lead_is_handed_off_with_reasons_and_quotes(which: str, request: pytest.FixtureRequest) -> None:
    scorer = _with_extract(request.getfixturevalue(which), _hot_signals)
    data = ScoreInput(
        company_name="Acme Health", domain="acme.com", industry="Healthcare", employees=800,
        description="AI contact center for clinics", call_notes=HOT_NOTES, urgency_level=5,
    )  # fmt: skip
    result = scorer.score(data, now=NOW)
    assert result.scorer == ("prior" if which == "prior_scorer" else "model")
    assert result.recommendation == "AE_HANDOFF"
    assert result.qualification_score >= 75
    assert "strong_buying_signals" in [rule.rule_id for rule in result.rules_fired]
    assert result.reasoning[0].startswith("Estimated ") and "uncalibrated" in result.reasoning[0]
    assert result.reasoning[1] == "Handed to an AE by the fixed score threshold (no outcomes yet)."
    assert result.reasoning[2] == scorer.rules.rules[3].reason
    assert result.evidence and result.evidence[0].signal == "pricing_requested"
    assert result.factors == sorted(result.factors, key=lambda f: -abs(f.contribution))
    _no_raw_names(result.reasoning)
    assert result.model_version == scorer.model_version


def test_the_prior_says_so_and_is_less_confident(prior_scorer: Scorer, model_scorer: Scorer) -> None:
    data = ScoreInput(company_name="Acme", domain="acme.com", industry="Logistics", employees=300)
    prior, model = prior_scorer.score(data, now=NOW), model_scorer.score(data, now=NOW)
    assert prior.scorer == "prior" and prior.model_version.startswith("prior-")
    assert any("rule-based prior" in w for w in prior.warnings)
    assert any("starter weights" in s for s in prior.reasoning)
    assert model.scorer == "model" and model.model_version == "test-v1"
    assert not any("prior" in w for w in model.warnings)
    complete = prior_scorer.config.confidence
    assert prior.confidence <= complete.prior_factor


@pytest.mark.parametrize("which", ["prior_scorer", "model_scorer"])
def test_only_a_domain_gives_a_low_confidence_score_that_says_what_is_missing(which, request) -> None:
    result = request.getfixturevalue(which).score(ScoreInput(domain="acme.com"), now=NOW)
    assert result.confidence < 0.5
    assert any(
        w.startswith("Missing: industry, employee count, company description, call notes") for w in result.warnings
    )
    assert any(s.startswith("Low confidence") and "call notes" in s for s in result.reasoning)
    _no_raw_names(result.reasoning)


def test_unknown_industry_is_named(prior_scorer: Scorer) -> None:
    result = prior_scorer.score(ScoreInput(domain="acme.com", industry="Underwater basket weaving"), now=NOW)
    assert any("'Underwater basket weaving' is not one we recognise" in w for w in result.warnings)


def test_free_mail_without_company_goes_to_self_service(model_scorer: Scorer) -> None:
    result = model_scorer.score(ScoreInput(domain="gmail.com"), now=NOW)
    assert result.recommendation == "SELF_SERVICE" and result.priority == "LOW"


def test_unreadable_notes_lower_confidence_and_warn(model_scorer: Scorer) -> None:
    def foreign(text: str) -> CallSignals:
        return CallSignals(
            warnings=("Notes do not look like English; signals may be missed.",), chars_processed=len(text)
        )

    data = ScoreInput(domain="acme.com", industry="Healthcare", employees=50, call_notes="Wir brauchen Preise.")
    readable = _with_extract(model_scorer, lambda text: CallSignals(chars_processed=len(text))).score(data, now=NOW)
    unreadable = _with_extract(model_scorer, foreign).score(data, now=NOW)
    assert "Notes do not look like English; signals may be missed." in unreadable.warnings
    assert unreadable.confidence < readable.confidence


def test_notes_without_an_extractor_are_refused(model_scorer: Scorer) -> None:
    with pytest.raises(ValueError, match="no signal extractor"):
        model_scorer.score(ScoreInput(domain="acme.com", call_notes="hello"), now=NOW)


def test_only_the_latest_calls_before_now_are_used(prior_scorer: Scorer) -> None:
    calls = [
        CallFacts(i, NOW - timedelta(days=30 - i), "x", CallSignals(not_interested=(i == 0))) for i in range(10)
    ] + [CallFacts(99, NOW + timedelta(days=1), "future", CallSignals(not_interested=True))]
    result = prior_scorer.score_facts(CompanyFacts(domain="acme.com"), None, calls, now=NOW)
    assert "not_interested" not in [rule.rule_id for rule in result.rules_fired]


def test_batch_and_single_scores_agree(model_scorer: Scorer, training_data) -> None:
    rng = np.random.default_rng(3)
    facts = []
    for i in range(40):
        signals = CallSignals(pricing_requested=bool(rng.random() < 0.5), not_interested=bool(rng.random() < 0.2))
        calls = [CallFacts(i, NOW - timedelta(days=3), "notes", signals)] if i % 3 else []
        company = CompanyFacts(
            name=f"C{i}", domain=f"c{i}.com", industry="Retail", employees=int(rng.integers(1, 9000))
        )
        facts.append((company, LeadFacts(urgency_level=int(rng.integers(1, 6))), calls))
    frame = features_frame([build_features(c, lead, calls, NOW) for c, lead, calls in facts])
    batch = model_scorer.score_frame(frame)
    for i, (company, lead, calls) in enumerate(facts):
        single = model_scorer.score_facts(company, lead, calls, now=NOW)
        row = batch.iloc[i]
        assert single.qualification_score == row.qualification_score
        assert single.recommendation == row.recommendation and single.priority == row.priority
        assert single.confidence == pytest.approx(row.confidence, abs=1e-4)
        assert [r.rule_id for r in single.rules_fired] == [x for x in row.rules_fired.split(",") if x]


def test_scorer_is_immutable_and_thread_safe(model_scorer: Scorer) -> None:
    with pytest.raises(AttributeError, match="immutable"):
        model_scorer.bundle = None
    inputs = [ScoreInput(domain=f"co{i}.com", employees=i * 10, industry="Logistics") for i in range(40)]
    expected = [model_scorer.score(x, now=NOW).model_dump() for x in inputs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        for _ in range(3):
            assert list(pool.map(lambda x: model_scorer.score(x, now=NOW).model_dump(), inputs)) == expected
