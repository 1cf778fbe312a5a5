"""Wording factors: a call's strongest text columns shown as the clauses of the call that carry them."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from scoring.config import ExplanationConfig
from scoring.domain import Factor
from scoring.text_features import TextDocument, TextScorer, TextVocabulary

TEXT_FACTOR = "call_wording"  # the Factor.feature of a wording contribution (its text quotes the call)
MAX_TEXT_FACTORS = 2


def _scorer_shares(scorer: TextScorer, unit: dict[int, float], weight: float) -> dict[int, float]:
    """A scorer column's contribution split over the terms of this call that push the same way (coef x value)."""
    shares = {j: scorer.coef[j] * v for j, v in unit.items() if scorer.coef[j] * v * weight > 0}
    total = sum(shares.values())
    return {j: weight * push / total for j, push in shares.items()} if total else {}


def text_factors(
    vocabulary: TextVocabulary, document: TextDocument, contributions: np.ndarray, config: ExplanationConfig
) -> list[Factor]:
    """Wording factors for one call: the strongest text columns, each shown as the clause that carries it.

    `contributions` are in the model's coordinates (registry columns, then text columns, bias last). A scorer
    column's contribution is shared among the terms of this call that push the same way, in proportion to their
    weight. Terms quoted by the same clause are merged; a term absent from the call (its absence moved the
    score) is skipped, since there is no phrase to show for it.
    """
    n_terms, n_scores = vocabulary.n_term_columns, len(vocabulary.scorers)
    start = len(contributions) - 1 - n_terms - n_scores
    per_term: dict[int, float] = {j: float(w) for j, w in enumerate(contributions[start : start + n_terms]) if w}
    scores = contributions[start + n_terms : start + n_terms + n_scores]
    unit = vocabulary.normalised(document) if np.any(scores) else {}
    for scorer, weight in zip(vocabulary.scorers, scores, strict=True):
        for j, share in _scorer_shares(scorer, unit, float(weight)).items():
            per_term[j] = per_term.get(j, 0.0) + share
    merged: dict[str, float] = {}
    for j in sorted(per_term, key=lambda j: (-abs(per_term[j]), j)):
        if abs(per_term[j]) < config.min_contribution or len(merged) >= MAX_TEXT_FACTORS:
            break
        quote = vocabulary.quote(document, vocabulary.terms[j], config.max_quote_chars)
        if quote is not None:
            merged[quote] = merged.get(quote, 0.0) + per_term[j]
    return [
        Factor(feature=TEXT_FACTOR, value=quote, contribution=round(weight, 4), text=f'Said "{quote}"')
        for quote, weight in merged.items()
    ]


def merge_factors(factors: Sequence[Factor], extra: Sequence[Factor], limit: int) -> list[Factor]:
    """Named and wording factors together, by |contribution|, at most `limit`."""
    return sorted([*factors, *extra], key=lambda f: -abs(f.contribution))[:limit]
