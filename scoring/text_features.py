"""Text features of call notes: negation-marked n-grams of prospect-side text, TF-IDF weighted over a fitted
`TextVocabulary` (fitted in learning.vocabulary, saved in the model artifact so scoring rebuilds its columns).

`TextVocabulary.document` keeps the prospect's side, caps its length and refuses text that does not read as
English, saying why in `TextDocument.warnings`; `TextVocabulary.quote` finds the clause that carries a term (what
explanations show). A row without usable text is all-NaN, so the model scores it from the named features alone.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from scipy import sparse

from nlp.lexicon import load_lexicon
from nlp.speakers import OWN, SpeakerConfig, label_turns

TEXT_COLUMN = "call_notes_text"  # raw notes of the scored calls, carried next to the features frame
COLUMN_PREFIX = "text_"
# Prospect-side characters read per lead: above the longest normal notes (sample data p99 ~3,600), so only
# unusually long notes are cut (with a warning), and the per-call text cost stays bounded (issue 11: < 3 ms).
MAX_TEXT_CHARS = 4_000
MAX_NGRAM = 3
NEGATION_PREFIX = "NOT_"
_WORDS = yaml.safe_load((Path(__file__).parent / "data" / "text_words.yaml").read_text(encoding="utf-8"))
_NEGATORS = frozenset(_WORDS["negators"])
_STOPWORDS = frozenset(_WORDS["stopwords"])
_ENGLISH = frozenset(_WORDS["english"])  # too few of them in a long text: the notes are in another language
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
        return [self.document(None if missing(n) else str(n)) for n in notes]

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


def missing(value: object) -> bool:
    """True for an absent note (None or a pandas NaN)."""
    return value is None or (isinstance(value, float) and math.isnan(value))
