"""Stacked text scorers: one linear model per label, out-of-fold scores for the training rows."""

from __future__ import annotations

import numpy as np

from learning.text_scores import fit_text_scorers
from learning.vocabulary import VocabularyConfig, fit_vocabulary
from scoring.config import ExplanationConfig
from scoring.text_explain import text_factors
from scoring.text_features import TextScorer, TextVocabulary

EXPLAIN = ExplanationConfig(max_reasons=5, max_factors=5, max_evidence=3, min_contribution=0.01, max_quote_chars=160)
GOOD = "Prospect: the money is set aside and we want a go-live before the end of the month."
BAD = "Prospect: there is no budget for this and we are happy with our vendor."


def _fitted(n: int = 60) -> tuple[TextVocabulary, np.ndarray, list[str | None], np.ndarray]:
    notes: list[str | None] = [GOOD if i % 2 else BAD for i in range(n)]
    notes[0] = None
    y = np.array([float(i % 2) for i in range(n)])
    text = fit_vocabulary(notes, [y], config=VocabularyConfig(max_terms=3, min_df=3, max_df_share=0.9))
    labels = {"progression": y, "voice_ai": np.full(n, np.nan)}
    stacked, oof = fit_text_scorers(text, text.documents(notes), labels, np.ones(n))
    return stacked, oof, notes, y


def test_one_scorer_per_label_with_enough_rows_and_out_of_fold_scores() -> None:
    stacked, oof, notes, y = _fitted()
    assert [s.name for s in stacked.scorers] == ["progression"]
    assert oof.shape == (len(notes), 1)
    assert np.isnan(oof[0, 0])
    assert np.all(oof[1:, 0][y[1:] == 1] > 0) and np.all(oof[1:, 0][y[1:] == 0] < 0)
    in_sample = stacked.transform(notes[1:])[:, -1]
    assert not np.allclose(in_sample, oof[1:, 0])


def test_scorer_contribution_is_explained_by_the_phrases_pushing_the_same_way() -> None:
    stacked, _, _, _ = _fitted()
    document = stacked.document(GOOD)
    contributions = np.zeros(stacked.n_term_columns + 2)
    contributions[stacked.n_term_columns] = 0.8
    factors = text_factors(stacked, document, contributions, EXPLAIN)
    assert factors and all(f.text.startswith('Said "') and f.contribution > 0 for f in factors)
    assert sum(f.contribution for f in factors) <= 0.8 + 1e-9


def test_a_scorer_without_pushing_terms_gives_no_quote() -> None:
    vocabulary = TextVocabulary(("budget",), (1.0,), columns=0, scorers=(TextScorer("progression", (1.0,), 0.0),))
    document = vocabulary.document("Prospect: budget is fine")
    assert text_factors(vocabulary, document, np.array([-0.5, 0.0]), EXPLAIN) == []
