"""Text vocabulary fitting (training time): read the training notes once, select n-grams by chi-squared association
with the labels on the training rows only, and hand scoring a fitted `TextVocabulary`."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_selection import chi2

from scoring.text_features import (
    MAX_NGRAM,
    TermHits,
    TextDocument,
    TextVocabulary,
    document_terms,
    missing,
    prepare_document,
)


@dataclass(frozen=True)
class VocabularyConfig:
    """How many text columns to keep and how common a term must be to be considered."""

    max_terms: int = 48
    min_df: int = 8
    max_df_share: float = 0.6
    max_ngram: int = MAX_NGRAM
    linear_terms: int = 5000  # terms read by the linear text scorers (column terms first, then by frequency)
    linear_min_df: int = 3


@dataclass(frozen=True)
class NoteTerms:
    """Training notes read once: each note's usable document and the counts of all its n-grams, shared by
    vocabulary fitting and by the training rows' text columns."""

    documents: list[TextDocument]
    counts: list[Counter[str]]
    own_names: tuple[str, ...]
    max_ngram: int


def note_terms(
    notes: Sequence[str | None] | pd.Series, own_names: tuple[str, ...] = (), max_ngram: int = MAX_NGRAM
) -> NoteTerms:
    """Prepare every note (prospect side, cap, language check) and count its n-grams."""
    docs = [prepare_document(None if missing(n) else str(n), own_names) for n in notes]
    return NoteTerms(docs, [document_terms(d.text, max_ngram) for d in docs], own_names, max_ngram)


def fit_vocabulary(
    notes: Sequence[str | None] | pd.Series,
    labels: Sequence[np.ndarray],
    *,
    config: VocabularyConfig | None = None,
    own_names: tuple[str, ...] = (),
) -> TextVocabulary:
    """`fit_vocabulary_terms` on raw notes."""
    config = config or VocabularyConfig()
    return fit_vocabulary_terms(note_terms(notes, own_names, config.max_ngram), labels, config=config)


def documents_from_terms(vocabulary: TextVocabulary, terms: NoteTerms) -> list[TextDocument]:
    """The training notes as `vocabulary.document` would analyse them, from their n-gram counts instead of a
    second pass over the text. Term counts only: quotes (`quote`) need a fresh `document`."""
    if terms.own_names != vocabulary.own_names or terms.max_ngram != vocabulary.max_ngram:
        raise ValueError("the note terms were read with other speaker names or n-gram length than the vocabulary")
    index = vocabulary.index_
    out = []
    for document, counts in zip(terms.documents, terms.counts, strict=True):
        hits = TermHits({index[t]: c for t, c in counts.items() if t in index}, {})
        out.append(replace(document, hits=hits) if document.text else document)
    return out


def fit_vocabulary_terms(
    terms: NoteTerms, labels: Sequence[np.ndarray], *, config: VocabularyConfig | None = None
) -> TextVocabulary:
    """Select up to `max_terms` column n-grams by chi-squared association with each label (NaN labels ignored),
    taking the best of every label in turn, then the most frequent other n-grams up to `linear_terms` for the
    linear scorers; fit only on training rows so test rows never shape the vocabulary."""
    config = config or VocabularyConfig()
    own_names, docs, counts = terms.own_names, terms.documents, terms.counts
    df: Counter[str] = Counter()
    for doc_counts in counts:
        df.update(doc_counts.keys())
    n_docs = max(1, sum(bool(d.text) for d in docs))
    candidates = sorted(t for t, c in df.items() if config.min_df <= c <= config.max_df_share * n_docs)
    if not candidates:
        return TextVocabulary((), (), own_names, max_ngram=terms.max_ngram, columns=0)
    column = {t: j for j, t in enumerate(candidates)}
    rows, cols = [], []
    for i, doc_counts in enumerate(counts):
        for term in doc_counts:
            j = column.get(term)
            if j is not None:
                rows.append(i)
                cols.append(j)
    presence = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(counts), len(candidates)))
    rankings = []
    for y in labels:
        y = np.asarray(y, dtype=np.float64)
        known = ~np.isnan(y)
        if len(np.unique(y[known])) < 2:
            continue
        scores, _ = chi2(presence[np.flatnonzero(known)], y[known] > 0.5)
        rankings.append([candidates[j] for j in np.argsort(-np.nan_to_num(scores), kind="stable")])
    chosen: list[str] = []
    for rank in range(len(candidates)):
        for ranking in rankings:
            if len(chosen) < config.max_terms and ranking[rank] not in chosen:
                chosen.append(ranking[rank])
    taken = set(chosen)
    frequent = sorted(
        (t for t, c in df.items() if t not in taken and config.linear_min_df <= c <= config.max_df_share * n_docs),
        key=lambda t: (-df[t], t),
    )
    selected = [*chosen, *frequent[: max(0, config.linear_terms - len(chosen))]]
    idf = tuple(round(math.log((1 + n_docs) / (1 + df[t])) + 1.0, 6) for t in selected)
    return TextVocabulary(tuple(selected), idf, own_names, max_ngram=terms.max_ngram, columns=len(chosen))
