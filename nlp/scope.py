"""Clause and cue scopes: decides whether a phrase hit is negated, hypothetical, past, a pitch or a question.

Each (cue kind, window) pair becomes a boolean mask over tokens, built once per document from the few cue
occurrences, so every scope question about a mention is an O(1) lookup instead of a scan over cues.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from spacy.attrs import IS_PUNCT
from spacy.tokens import Doc

from nlp.matching import Hit

HYPOTHETICAL_WINDOW = 15
HYPOTHETICAL_AFTER_WINDOW = 6
BEFORE_SLACK = 6
NEGATION_BEFORE = "Q|negation_before"
NEGATION = frozenset({"negation"})
HYPOTHETICAL = frozenset({"hypothetical"})


@dataclass(frozen=True)
class Cue:
    """A cue phrase occurrence: token span [start, end)."""

    start: int
    end: int


class ScopeIndex:
    """Per-document index of clauses, sentences and cue positions, answering scope questions about spans."""

    def __init__(self, doc: Doc, hits: list[Hit], window: int, after_window: int) -> None:
        n = len(doc)
        self.n = n
        self.doc = doc
        self.sent_id = doc._.call_sent_id
        self.window = window
        self.after_window = after_window
        self.cues: dict[str, list[Cue]] = defaultdict(list)
        for label, start, end in hits:
            if label[0] in "QX" or label == "U|exclude":
                self.cues[label].append(Cue(start, end))
        sent_start = np.zeros(n, dtype=bool)
        sent_start[doc._.call_sent_starts[:-1]] = True
        for cue in self.cues.get("Q|clause_breaks", ()):
            sent_start[cue.start] = True
        self.clause_id = np.cumsum(sent_start)
        pseudo = self.cues.get("Q|pseudo_negation", [])
        if pseudo:
            self.cues[NEGATION_BEFORE] = [c for c in self.cues.get(NEGATION_BEFORE, []) if not _overlaps_any(c, pseudo)]
        self.starts = {key: [c.start for c in value] for key, value in self.cues.items()}
        self._masks: dict[tuple[str, int, bool], np.ndarray] = {}
        self._clause_sets: dict[str, frozenset[int]] = {}
        self._none = np.zeros(n + 1, dtype=bool)
        self._combos: dict[frozenset[str], tuple[list[bool], list[bool]]] = {}

    def _cues(self, key: str) -> list[Cue]:
        return self.cues.get(key, [])

    def _clause_begin(self, token: int) -> int:
        return int(self.clause_id.searchsorted(self.clause_id[token]))

    def _clause_end(self, token: int) -> int:
        return int(self.clause_id.searchsorted(self.clause_id[token], side="right"))

    def _before_mask(self, key: str, limit: int) -> np.ndarray:
        """Tokens that a `key` cue reaches: after the cue, within `limit` tokens, in the cue's clause."""
        mask = np.zeros(self.n + 1, dtype=bool)
        is_punct = self.doc.to_array(IS_PUNCT) if key == NEGATION_BEFORE and self.n else None
        for cue in self._cues(key):
            if is_punct is not None and cue.end < self.n and is_punct[cue.end]:
                continue
            hi = min(cue.end + limit + 1, cue.start + limit + BEFORE_SLACK + 1, self._clause_end(cue.start))
            mask[cue.end : hi] = True
        return mask

    def _after_mask(self, key: str, limit: int) -> np.ndarray:
        """Last tokens of spans that a `key` cue follows within `limit` tokens in the same clause."""
        mask = np.zeros(self.n + 1, dtype=bool)
        for cue in self._cues(key):
            lo = max(cue.start - 1 - limit, self._clause_begin(cue.start), 0)
            mask[lo : cue.start] = True
        return mask

    def _mask(self, key: str, limit: int, before: bool) -> np.ndarray:
        cache_key = (key, limit, before)
        mask = self._masks.get(cache_key)
        if mask is None:
            mask = self._before_mask(key, limit) if before else self._after_mask(key, limit)
            self._masks[cache_key] = mask
        return mask

    def in_clause(self, key: str, start: int, end: int) -> bool:
        """A `key` cue occurs anywhere in the clause of the span, not overlapping the span itself."""
        cues = self.cues.get(key)
        if not cues:
            return False
        clauses = self._clause_sets.get(key)
        if clauses is None:
            clauses = self._clause_sets[key] = frozenset(int(self.clause_id[c.start]) for c in cues)
        if int(self.clause_id[start]) not in clauses:
            return False
        starts = self.starts[key]
        lo = bisect.bisect_left(starts, self._clause_begin(start))
        hi = bisect.bisect_left(starts, self._clause_end(start))
        return any(c.end <= start or c.start >= end for c in cues[lo:hi])

    def _scope_masks(self, scope: str) -> tuple[np.ndarray, np.ndarray]:
        """(by first token, by last token) masks: a span [s, e) is in `scope` if first[s] or last[e - 1]."""
        if scope == "negation":
            return self._mask(NEGATION_BEFORE, self.window, True), self._mask(
                "Q|negation_after", self.after_window, False
            )
        if scope == "hypothetical":
            return self._mask("Q|hypothetical_before", HYPOTHETICAL_WINDOW, True), self._mask(
                "Q|hypothetical_after", HYPOTHETICAL_AFTER_WINDOW, False
            )
        if scope == "past":
            return self._mask("Q|past_before", self.window, True), self._none
        if scope == "question":
            return self._mask("Q|question", self.window, True), self._none
        return self._pitch_mask(), self._none

    def _pitch_mask(self) -> np.ndarray:
        """Tokens under a rep's pitch cue that no positive (non-negated) reaction follows in their sentence."""
        mask = self._mask("Q|pitch", self.window + 4, True)
        if not mask.any():
            return mask
        reacted = np.zeros(self.n + 1, dtype=bool)
        for cue in self._cues("Q|positive_reaction"):
            if not self.negated(cue.start, cue.end):
                begin = int(np.searchsorted(self.sent_id, self.sent_id[cue.start]))
                reacted[begin : cue.start + 1] = True
        return mask & ~reacted

    def _combined(self, scopes: frozenset[str]) -> tuple[list[bool], list[bool]]:
        """Union of the named scopes' masks, as lists (cheap to index from Python)."""
        cached = self._combos.get(scopes)
        if cached is None:
            first, last = self._none.copy(), self._none.copy()
            for scope in scopes:
                by_first, by_last = self._scope_masks(scope)
                first |= by_first
                last |= by_last
            cached = self._combos[scopes] = (first.tolist(), last.tolist())
        return cached

    def negated(self, start: int, end: int) -> bool:
        """Negation cue shortly before (same clause) or a negating phrase right after the span."""
        return self.blocked(NEGATION, start, end)

    def hypothetical(self, start: int, end: int) -> bool:
        """Span sits under "if we ever…", "down the road" and similar cues."""
        return self.blocked(HYPOTHETICAL, start, end)

    def blocked(self, scopes: frozenset[str], start: int, end: int) -> bool:
        """True when any of the named scopes (negation, hypothetical, past, pitch, question) applies to the span."""
        first, last = self._combined(scopes)
        return first[start] or last[end - 1]


def _overlaps_any(cue: Cue, others: list[Cue]) -> bool:
    return any(o.start < cue.end and cue.start < o.end for o in others)
