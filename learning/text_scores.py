"""Linear text scorers stacked under the trees: one logistic regression per label over the vocabulary's terms.

Each scorer becomes one model column (its log-odds). The trees must not learn from scores a scorer produced on
the very rows it was fitted on (they would look better than they are), so the training rows get out-of-fold
scores: every row is scored by a scorer fitted on the other folds. The same out-of-fold scores pick each label's
regularisation (training rows only; test rows never take part). The scorers kept in the vocabulary are refitted
on all training rows and are what scoring uses. Rows without usable text get NaN, like every other text column.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import structlog
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from learning import metrics
from learning.training import Progress
from scoring.text_features import TextDocument, TextScorer, TextVocabulary

log = structlog.get_logger(__name__)

FOLDS = 5
C_GRID = (0.3, 1.0, 3.0, 10.0)  # inverse L2 strength, chosen per label by out-of-fold ROC-AUC on the training rows
MIN_ROWS_PER_CLASS = 5


def _enough(y: np.ndarray) -> bool:
    return min(int(np.sum(y > 0.5)), int(np.sum(y <= 0.5))) >= MIN_ROWS_PER_CLASS


def _fit(x: sparse.csr_matrix, y: np.ndarray, w: np.ndarray, c: float, seed: int) -> LogisticRegression | None:
    if not _enough(y):
        return None
    return LogisticRegression(C=c, max_iter=2000, random_state=seed).fit(x, y > 0.5, sample_weight=w)


def _out_of_fold(
    x: sparse.csr_matrix, y: np.ndarray, w: np.ndarray, usable: np.ndarray, scored: np.ndarray, seed: int
) -> dict[float, np.ndarray]:
    """Per C in C_GRID, log-odds for the `scored` rows, each from a model fitted on the usable rows of the other
    folds (within a fold, each C starts from the previous C's solution, which saves most solver iterations)."""
    folds = np.arange(len(y)) % FOLDS
    oof = {c: np.full(len(y), np.nan) for c in C_GRID}
    for k in range(FOLDS):
        held, train = scored & (folds == k), usable & (folds != k)
        if not held.any() or not _enough(y[train]):
            continue
        model = LogisticRegression(max_iter=2000, random_state=seed, warm_start=True)
        for c in C_GRID:
            model.set_params(C=c).fit(x[train], y[train] > 0.5, sample_weight=w[train])
            oof[c][held] = model.decision_function(x[held])
    return oof


def fit_text_scorers(
    text: TextVocabulary,
    documents: Sequence[TextDocument],
    labels: dict[str, np.ndarray],
    weight: np.ndarray,
    *,
    seed: int = 42,
    progress: Progress | None = None,
) -> tuple[TextVocabulary, np.ndarray]:
    """The vocabulary with one scorer per label (NaN labels ignored) and the out-of-fold scores of the training
    rows' documents (`text.documents(notes)`), shape (n, number of scorers). The regularisation is chosen per
    label from C_GRID by out-of-fold ROC-AUC; a label with too few rows of a class gets no scorer."""
    x = text.term_matrix(documents)
    has_text = np.array([bool(d.text) for d in documents])
    scorers: list[TextScorer] = []
    columns: list[np.ndarray] = []
    for name, y in labels.items():
        y = np.asarray(y, dtype=np.float64)
        usable = has_text & ~np.isnan(y)
        best: tuple[float, float, np.ndarray] | None = None
        for c, oof in _out_of_fold(x, y, weight, usable, has_text, seed).items():
            known = usable & ~np.isnan(oof)
            auc = metrics.roc_auc(y[known], oof[known], weight[known]) if known.any() else None
            if auc is not None and (best is None or auc > best[0]):
                best = (auc, c, oof)
        full = None if best is None else _fit(x[usable], y[usable], weight[usable], best[1], seed)
        if best is None or full is None:
            continue
        rows = int(usable.sum())
        log.info("learning.text_scorer.fitted", label=name, c=best[1], oof_auc=round(best[0], 4), rows=rows)
        if progress is not None:
            progress(f"text scorer {name}: C={best[1]} out-of-fold ROC-AUC {best[0]:.4f}")
        scorers.append(TextScorer(name, tuple(float(c) for c in full.coef_[0]), float(full.intercept_[0])))
        columns.append(best[2])
    stacked = np.column_stack(columns) if columns else np.empty((len(documents), 0))
    return TextVocabulary(
        text.terms, text.idf, text.own_names, text.max_chars, text.max_ngram, text.columns, tuple(scorers)
    ), stacked
