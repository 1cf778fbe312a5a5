"""Reasons quote each call quote once: reasons backed by the same quote share one sentence (so the Salesforce
reasons field carries it once too); the API's `quotes` group evidence by quote with every signal beside it."""

from __future__ import annotations

from scoring.config import ExplanationConfig
from scoring.domain import EvidenceItem, Factor, group_quotes
from scoring.explain import clip_words, reasoning

EXPLAIN = ExplanationConfig(max_reasons=5, max_factors=5, max_evidence=5, min_contribution=0.01, max_quote_chars=160)
SHARED = "CFO signed off on bdgt"


def _factor(name: str, text: str, contribution: float = 0.5) -> Factor:
    return Factor(feature=name, value=True, contribution=contribution, text=text)


def test_reasons_sharing_a_quote_are_one_sentence_with_the_quote_once() -> None:
    evidence = [
        EvidenceItem(signal="budget_confirmed", quote=SHARED, call_id=1),
        EvidenceItem(signal="decision_maker_present", quote=SHARED, call_id=1),
        EvidenceItem(signal="pricing_requested", quote="wants a quote", call_id=1),
    ]
    factors = [
        _factor("budget_confirmed", "Budget confirmed"),
        _factor("pricing_requested", "Pricing requested on the call"),
        _factor("decision_maker_present", "A decision maker joined the call"),
    ]
    sentences = reasoning(factors, [], evidence, EXPLAIN)
    assert sentences[0] == f'Budget confirmed; a decision maker joined the call — "{SHARED}" (raises the score)'
    assert sentences[1] == 'Pricing requested on the call — "wants a quote" (raises the score)'
    assert "; ".join(sentences).count(SHARED) == 1  # what crm_sync writes to Fellow_Score_Reasons__c


def test_a_quote_backing_opposite_directions_is_shown_once() -> None:
    evidence = [EvidenceItem(signal="budget_confirmed", quote=SHARED), EvidenceItem(signal="no_budget", quote=SHARED)]
    factors = [_factor("budget_confirmed", "Budget confirmed"), _factor("no_budget", "No budget", -0.4)]
    sentences = reasoning(factors, [], evidence, EXPLAIN)
    assert "".join(sentences).count(SHARED) == 1 and sentences[1] == "No budget (lowers the score)"


def test_group_quotes_lists_each_quote_once_with_its_signals() -> None:
    evidence = [
        EvidenceItem(signal="budget_confirmed", quote=SHARED, call_id=1),
        EvidenceItem(signal="decision_maker_present", quote=" CFO  signed off on bdgt", call_id=1),
        EvidenceItem(signal="budget_confirmed", quote=SHARED, call_id=2),
    ]
    groups = group_quotes(evidence)
    assert [(g.quote, g.signals, g.call_id) for g in groups] == [
        (SHARED, ["budget_confirmed", "decision_maker_present"], 1),
        (SHARED, ["budget_confirmed"], 2),
    ]


def test_clip_words_cuts_between_words() -> None:
    assert clip_words("short enough", 20) == "short enough"
    clipped = clip_words("alpha beta gamma delta epsilon", 18)
    assert clipped == "alpha beta gamma…" and len(clipped) <= 18
