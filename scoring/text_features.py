"""Text features learned from call notes: negation-marked n-grams of prospect-side text, TF-IDF weighted.

`notes_text` joins the notes a lead is scored on; `TextVocabulary.document` keeps the prospect's side (speaker
turns labelled as our reps are dropped), caps its length and refuses text that does not read as English, saying
why in `TextDocument.warnings`. `fit_vocabulary` selects a bounded set of n-grams by chi-squared association with
the labels on the training rows only; the fitted vocabulary is saved inside the model artifact (metadata), so
scoring rebuilds exactly the training columns. `TextVocabulary.quote` finds the clause of this call that carries
a term, which is what explanations show (never a column index). A row without usable text is all-NaN, so the
model scores it from the named features alone.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_selection import chi2

from nlp.lexicon import load_lexicon
from nlp.speakers import OWN, SpeakerConfig, label_turns
from scoring.config import ExplanationConfig
from scoring.domain import Factor

TEXT_FACTOR = "call_wording"  # the Factor.feature of a wording contribution (its text quotes the call)
MAX_TEXT_FACTORS = 2
TEXT_COLUMN = "call_notes_text"  # raw notes of the scored calls, carried next to the features frame
COLUMN_PREFIX = "text_"
# Prospect-side characters read per lead: above the longest normal notes (sample data p99 ~3,600), so only
# unusually long notes are cut (with a warning), and the per-call text cost stays bounded (issue 11: < 3 ms).
MAX_TEXT_CHARS = 4_000
MAX_NGRAM = 3
NEGATION_PREFIX = "NOT_"
_NEGATORS = frozenset(
    [
        "not",
        "no",
        "never",
        "none",
        "nobody",
        "nothing",
        "neither",
        "nor",
        "without",
        "cannot",
        "can't",
        "don't",
        "doesn't",
        "didn't",
        "won't",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "haven't",
        "hasn't",
        "hadn't",
        "wouldn't",
        "shouldn't",
        "couldn't",
        "n't",
    ]
)
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "we",
        "our",
        "us",
        "they",
        "their",
        "them",
        "i",
        "you",
        "he",
        "she",
        "his",
        "her",
        "my",
        "me",
        "so",
        "if",
        "then",
        "than",
        "there",
        "here",
        "also",
        "just",
        "about",
        "into",
        "will",
        "would",
        "can",
        "could",
        "should",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
    ]
)
# Frequent English function words: too few of them in a long text means the notes are in another language.
_ENGLISH = frozenset(
    [
        "the",
        "and",
        "to",
        "of",
        "a",
        "in",
        "for",
        "is",
        "on",
        "that",
        "we",
        "they",
        "it",
        "with",
        "are",
        "be",
        "this",
        "our",
        "their",
        "have",
        "not",
        "no",
        "will",
        "need",
        "want",
        "but",
        "at",
        "from",
        "as",
        "by",
        "an",
        "or",
        "was",
        "were",
        "can",
        "would",
        "looking",
        "about",
    ]
)
_MIN_WORDS_FOR_LANGUAGE = 12
_MIN_ENGLISH_SHARE = 0.06
_LANGUAGE_SAMPLE_CHARS = 4000
_LETTER_RE = re.compile(r"[^\W\d_]")
_ASCII_LETTER_RE = re.compile(r"[A-Za-z]")
_CLAUSE_RE = re.compile(r"[^.!?;:,\n/()\[\]|]+")
_WORD_RE = re.compile(r"[a-z][a-z0-9']*|\d+(?:[.,]\d+)*")
_BREAK_WORDS = frozenset({"but", "however", "although", "though", "except"})


@dataclass(frozen=True, slots=True)
class TermHits:
    """Vocabulary terms found in one document: count per term index and the span of the first clause carrying it."""

    counts: dict[int, int]
    first: dict[int, tuple[int, int]]


@dataclass(frozen=True, slots=True)
class TextDocument:
    """The prospect-side text used for text features (empty when unusable), why it is empty or cut, and (when made
    by `TextVocabulary.document`) the vocabulary terms it carries, so columns and quotes share one pass."""

    text: str
    warnings: tuple[str, ...] = ()
    hits: TermHits | None = field(default=None, compare=False, repr=False)


def notes_text(notes: Iterable[str | None]) -> str:
    """The raw notes of the calls a lead is scored on, newest first, as one string (the TEXT_COLUMN value)."""
    return "\n\n".join(n.strip() for n in notes if n and n.strip())


def _clause_terms(words: list[str]) -> list[str]:
    """Negation-marked words of one clause: every word after a negator becomes NOT_word (negator dropped)."""
    out: list[str] = []
    negated = False
    for word in words:
        if word in _NEGATORS:
            negated = True
        elif word in _BREAK_WORDS:
            negated = False
        else:
            out.append(NEGATION_PREFIX + word if negated and word not in _STOPWORDS else word)
    return out


def _ngrams(words: list[str], max_n: int) -> Iterable[str]:
    for n in range(1, max_n + 1):
        for i in range(len(words) - n + 1):
            gram = words[i : i + n]
            if gram[0] in _STOPWORDS or gram[-1] in _STOPWORDS:
                continue
            yield " ".join(gram)


def clauses(text: str) -> Iterable[tuple[int, int]]:
    """Character spans of the clauses of `text` (split at punctuation, slashes, brackets and line breaks)."""
    for match in _CLAUSE_RE.finditer(text):
        if match.group().strip():
            yield match.start(), match.end()


def clause_terms(clause: str, max_n: int = MAX_NGRAM) -> list[str]:
    """All 1..max_n-grams of one clause, negation-marked, n-grams starting or ending with a stopword skipped."""
    return list(_ngrams(_clause_terms(_WORD_RE.findall(clause.lower())), max_n))


def document_terms(text: str, max_n: int = MAX_NGRAM) -> Counter[str]:
    """Term counts of a document (n-grams never cross a clause boundary)."""
    counts: Counter[str] = Counter()
    for start, end in clauses(text):
        counts.update(clause_terms(text[start:end], max_n))
    return counts


@lru_cache(maxsize=8)
def _speaker_config(own_names: tuple[str, ...]) -> SpeakerConfig:
    return SpeakerConfig.from_lexicon(load_lexicon().speakers, own_names)


def prospect_side(notes: str, own_names: tuple[str, ...] = ()) -> str:
    """The prospect's side of notes: speaker turns of our reps removed; unlabelled notes are kept whole."""
    turns = label_turns(notes, _speaker_config(own_names))
    if not turns:
        return notes
    return "\n".join(notes[t.start : t.end] for t in turns if t.role != OWN)


def looks_english(text: str) -> bool:
    """False when a text long enough to judge (its first few thousand characters) is mostly non-Latin letters or
    has almost none of the commonest English function words."""
    sample = text[:_LANGUAGE_SAMPLE_CHARS]
    if not sample.isascii():  # all-ASCII text is all Latin letters: skip counting them (the common, fast case)
        letters = len(_LETTER_RE.findall(sample))
        if letters and len(_ASCII_LETTER_RE.findall(sample)) / letters < 0.5:
            return False
    words = _WORD_RE.findall(sample.lower())
    if len(words) < _MIN_WORDS_FOR_LANGUAGE:
        return True
    return sum(w in _ENGLISH for w in words) / len(words) >= _MIN_ENGLISH_SHARE


def prepare_document(
    notes: str | None, own_names: tuple[str, ...] = (), max_chars: int = MAX_TEXT_CHARS
) -> TextDocument:
    """Prospect-side text of the notes, capped at `max_chars`; empty (with a warning) when it cannot be used."""
    if not notes or not notes.strip():
        return TextDocument("")
    side = prospect_side(notes[: max_chars * 4], own_names).strip()
    if not side:
        return TextDocument("", ("No prospect-side text in the call notes; their wording was not used.",))
    warnings: tuple[str, ...] = ()
    if len(side) > max_chars:
        side = side[:max_chars]
        warnings = (
            f"Call notes are very long; only the first {max_chars:,} characters of the prospect's wording were used.",
        )
    if not looks_english(side):
        return TextDocument("", ("Call notes do not read as English; their wording was not used.",))
    return TextDocument(side, warnings)


@dataclass(frozen=True)
class TextScorer:
    """A linear model over every vocabulary term (L2-normalised TF-IDF) trained on one label; its log-odds is one
    model column, so the trees combine what the whole wording says with the named signals."""

    name: str
    coef: tuple[float, ...]
    intercept: float

    def to_dict(self) -> dict[str, Any]:
        """JSON form stored in the model metadata."""
        return {"name": self.name, "coef": list(self.coef), "intercept": self.intercept}


@dataclass(frozen=True)
class TextVocabulary:
    """Selected n-grams with their inverse document frequencies; turns notes into the model's text columns.

    The first `columns` terms (all when None) are one column each; `scorers` add one log-odds column each, read
    from all terms. Older artifacts carry neither field and keep their one-column-per-term layout.
    """

    terms: tuple[str, ...]
    idf: tuple[float, ...]
    own_names: tuple[str, ...] = ()
    max_chars: int = MAX_TEXT_CHARS
    max_ngram: int = MAX_NGRAM
    columns: int | None = None
    scorers: tuple[TextScorer, ...] = ()
    index_: dict[str, int] = field(init=False, repr=False, compare=False)
    words_: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.terms) != len(self.idf):
            raise ValueError(f"text vocabulary has {len(self.terms)} terms but {len(self.idf)} idf weights")
        if self.columns is not None and not 0 <= self.columns <= len(self.terms):
            raise ValueError(f"text vocabulary has {len(self.terms)} terms, cannot expose {self.columns} columns")
        for scorer in self.scorers:
            if len(scorer.coef) != len(self.terms):
                raise ValueError(f"text scorer {scorer.name}: {len(scorer.coef)} weights for {len(self.terms)} terms")
        object.__setattr__(self, "index_", {term: i for i, term in enumerate(self.terms)})
        object.__setattr__(self, "words_", frozenset(w for term in self.terms for w in term.split()))

    @property
    def n_term_columns(self) -> int:
        """How many terms are model columns of their own (the rest only feed the scorers)."""
        return len(self.terms) if self.columns is None else self.columns

    def _hits(self, text: str) -> TermHits:
        """Count of each vocabulary term in `text` and the span of the first clause carrying it (one pass; only
        n-grams made of vocabulary words are built)."""
        counts: dict[int, int] = {}
        first: dict[int, tuple[int, int]] = {}
        index, known = self.index_, self.words_
        for start, end in clauses(text):
            words = _clause_terms(_WORD_RE.findall(text[start:end].lower()))
            for i in range(len(words)):
                for n in range(1, min(self.max_ngram, len(words) - i) + 1):
                    if words[i + n - 1] not in known:
                        break
                    j = index.get(" ".join(words[i : i + n]))
                    if j is not None:
                        counts[j] = counts.get(j, 0) + 1
                        first.setdefault(j, (start, end))
        return TermHits(counts, first)

    def _hits_of(self, document: TextDocument) -> TermHits:
        return document.hits if document.hits is not None else self._hits(document.text)

    @property
    def column_names(self) -> list[str]:
        """Model column names of the text features (internal only; explanations quote phrases instead)."""
        terms = [f"{COLUMN_PREFIX}{i:03d}" for i in range(self.n_term_columns)]
        return [*terms, *(f"{COLUMN_PREFIX}score_{scorer.name}" for scorer in self.scorers)]

    def document(self, notes: str | None) -> TextDocument:
        """The usable prospect-side text of raw notes (this vocabulary's cap and speaker names) with its terms found
        once, for both the columns (`row`) and the explanation quotes (`quote`)."""
        document = prepare_document(notes, self.own_names, self.max_chars)
        return replace(document, hits=self._hits(document.text)) if document.text else document

    def weights(self, document: TextDocument) -> dict[int, float]:
        """TF-IDF weight (1 + log tf) * idf of every vocabulary term the document carries, by term index."""
        return {j: (1.0 + math.log(count)) * self.idf[j] for j, count in self._hits_of(document).counts.items()}

    def normalised(self, document: TextDocument) -> dict[int, float]:
        """The document's TF-IDF weights scaled to unit length (what the scorers read)."""
        weights = self.weights(document)
        norm = math.sqrt(sum(v * v for v in weights.values()))
        return {j: v / norm for j, v in weights.items()} if norm else {}

    def row(self, document: TextDocument) -> np.ndarray:
        """The text columns of one document: TF-IDF of the column terms, then each scorer's log-odds; all NaN
        when it has no usable text."""
        values = np.full(len(self.column_names), np.nan)
        if not document.text:
            return values
        n = self.n_term_columns
        values[:n] = 0.0
        for j, weight in self.weights(document).items():
            if j < n:
                values[j] = weight
        if self.scorers:
            unit = self.normalised(document)
            for k, scorer in enumerate(self.scorers):
                values[n + k] = scorer.intercept + sum(scorer.coef[j] * v for j, v in unit.items())
        return values

    def documents(self, notes: Sequence[str | None] | pd.Series) -> list[TextDocument]:
        """`document` of each raw note (missing notes give empty documents)."""
        return [self.document(None if _missing(n) else str(n)) for n in notes]

    def rows(self, documents: Sequence[TextDocument]) -> np.ndarray:
        """Text columns (n, len(column_names)) of analysed documents, one row each, as `row` gives them but with
        the scorers applied as one sparse product (the training path scores tens of thousands of notes)."""
        out = np.full((len(documents), len(self.column_names)), np.nan)
        has_text = np.array([bool(d.text) for d in documents], dtype=bool)
        if not has_text.any():
            return out
        weights = self._weight_matrix(documents)
        n = self.n_term_columns
        out[has_text, :n] = weights[has_text][:, :n].toarray()
        if self.scorers:
            unit = _unit_rows(weights)
            coef = np.array([scorer.coef for scorer in self.scorers]).T
            intercept = np.array([scorer.intercept for scorer in self.scorers])
            out[has_text, n:] = np.asarray(unit[has_text] @ coef) + intercept
        return out

    def _weight_matrix(self, documents: Sequence[TextDocument]) -> sparse.csr_matrix:
        """Raw TF-IDF weights (n, len(terms)); empty rows for documents without text."""
        rows, cols, values = [], [], []
        for i, document in enumerate(documents):
            for j, v in (self.weights(document) if document.text else {}).items():
                rows.append(i)
                cols.append(j)
                values.append(v)
        return sparse.csr_matrix((values, (rows, cols)), shape=(len(documents), len(self.terms)))

    def transform(self, notes: Sequence[str | None] | pd.Series) -> np.ndarray:
        """Text columns (n, len(column_names)) for raw notes, one row per entry."""
        return self.rows(self.documents(notes))

    def term_matrix(self, documents: Sequence[TextDocument]) -> sparse.csr_matrix:
        """Unit-length TF-IDF rows over every term (n, len(terms)), the scorers' input; empty rows for no text."""
        return _unit_rows(self._weight_matrix(documents))

    def quote(self, document: TextDocument, term: str, limit: int = 160) -> str | None:
        """The clause of the document that carries `term`, as written (None when absent)."""
        j = self.index_.get(term)
        span = None if j is None else self._hits_of(document).first.get(j)
        if span is None:
            return None
        quote = " ".join(document.text[span[0] : span[1]].split())
        return quote if len(quote) <= limit else quote[: limit - 1].rstrip() + "…"

    def to_dict(self) -> dict[str, Any]:
        """JSON form stored in the model metadata."""
        return {
            "terms": list(self.terms),
            "idf": list(self.idf),
            "own_names": list(self.own_names),
            "max_chars": self.max_chars,
            "max_ngram": self.max_ngram,
            "columns": self.columns,
            "scorers": [scorer.to_dict() for scorer in self.scorers],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TextVocabulary:
        """Rebuild from `to_dict` output; ValueError when malformed."""
        try:
            return cls(
                terms=tuple(str(t) for t in data["terms"]),
                idf=tuple(float(x) for x in data["idf"]),
                own_names=tuple(str(n) for n in data.get("own_names", ())),
                max_chars=int(data.get("max_chars", MAX_TEXT_CHARS)),
                max_ngram=int(data.get("max_ngram", MAX_NGRAM)),
                columns=None if data.get("columns") is None else int(data["columns"]),
                scorers=tuple(
                    TextScorer(str(s["name"]), tuple(float(x) for x in s["coef"]), float(s["intercept"]))
                    for s in data.get("scorers", ())
                ),
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"malformed text vocabulary: {exc}") from exc


def _unit_rows(weights: sparse.csr_matrix) -> sparse.csr_matrix:
    """Rows scaled to unit Euclidean length (all-zero rows stay zero)."""
    norms = np.sqrt(np.asarray(weights.multiply(weights).sum(axis=1)).ravel())
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return sparse.csr_matrix(sparse.diags(scale) @ weights)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


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
    docs = [prepare_document(None if _missing(n) else str(n), own_names) for n in notes]
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
