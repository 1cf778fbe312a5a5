"""Clause and cue scopes: decides whether a phrase hit is negated, hypothetical, past, a pitch or a question.

Each (cue kind, window) pair becomes the set of tokens it reaches, built once per document from the few cue
occurrences, so every scope question about a mention is an O(1) lookup instead of a scan over cues.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from typing import NamedTuple

import numpy as np
from spacy.attrs import ORTH
from spacy.strings import get_string_id
from spacy.tokens import Doc

from nlp.matching import NEGATION_CUE, Hit

HYPOTHETICAL_WINDOW = 15
HYPOTHETICAL_AFTER_WINDOW = 6
BEFORE_SLACK = 6
NEGATION_BEFORE = NEGATION_CUE
PITCH = "Q|pitch"
NEGATION_AFTER = "Q|negation_after"
PIPE = get_string_id("|")  # CRM field separator; `|` cannot be written as a cue phrase (it separates alternatives)
QUESTION_END = ("Q|question_end", 0, True)
PART_BREAKS = frozenset({",", ";", ":", "-", "–", "—", "and", "so", "but"})
NEGATION = frozenset({"negation"})
HYPOTHETICAL = frozenset({"hypothetical"})
EMPTY: frozenset[int] = frozenset()


class Cue(NamedTuple):
    """A cue phrase occurrence: token span [start, end)."""

    start: int
    end: int


class ScopeIndex:
    """Per-document index of clauses, sentences and cue positions, answering scope questions about spans."""

    def __init__(self, doc: Doc, hits: list[Hit], cue_labels: frozenset[str], window: int, after_window: int) -> None:
        n = len(doc)
        self.n = n
        self.doc = doc
        self.sent_id = doc._.call_sent_id
        self.window = window
        self.after_window = after_window
        self.cues: dict[str, list[Cue]] = defaultdict(list)
        for label, start, end in hits:
            if label in cue_labels:
                self.cues[label].append(Cue(start, end))
        sent_start = np.zeros(n, dtype=bool)
        sent_start[doc._.call_sent_starts[:-1]] = True
        for cue in self.cues.get("Q|clause_breaks", ()):
            sent_start[cue.start] = True
        if n and "|" in doc.user_data.get("text", "|"):
            sent_start[np.flatnonzero(doc.to_array(ORTH) == PIPE)] = True
        self.clause_id = np.cumsum(sent_start)
        pseudo = self.cues.get("Q|pseudo_negation", [])
        if pseudo:
            for key in (NEGATION_BEFORE, NEGATION_AFTER):
                self.cues[key] = [c for c in self.cues.get(key, []) if not _overlaps_any(c, pseudo)]
        self.starts = {key: [c.start for c in value] for key, value in self.cues.items()}
        self._masks: dict[tuple[str, int, bool], frozenset[int]] = {}
        self._clause_sets: dict[str, frozenset[int]] = {}
        self._combos: dict[frozenset[str], tuple[frozenset[int], frozenset[int]]] = {}

    def _cues(self, key: str) -> list[Cue]:
        return self.cues.get(key, [])

    def _clause_begin(self, token: int) -> int:
        return int(self.clause_id.searchsorted(self.clause_id[token]))

    def _clause_end(self, token: int) -> int:
        return int(self.clause_id.searchsorted(self.clause_id[token], side="right"))

    def _before_mask(self, key: str, limit: int) -> frozenset[int]:
        """Tokens that a `key` cue reaches: after the cue, within `limit` tokens, in the cue's clause."""
        tokens: set[int] = set()
        check_punct = key == NEGATION_BEFORE
        for cue in self._cues(key):
            if check_punct and cue.end < self.n and self.doc[cue.end].is_punct:
                continue
            hi = min(cue.end + limit + 1, cue.start + limit + BEFORE_SLACK + 1, self._clause_end(cue.start))
            tokens.update(range(cue.end, hi))
        return frozenset(tokens)

    def _after_mask(self, key: str, limit: int) -> frozenset[int]:
        """Last tokens of spans that a `key` cue follows within `limit` tokens in the same clause."""
        tokens: set[int] = set()
        for cue in self._cues(key):
            tokens.update(range(max(cue.start - 1 - limit, self._clause_begin(cue.start), 0), cue.start))
        return frozenset(tokens)

    def _mask(self, key: str, limit: int, before: bool) -> frozenset[int]:
        if key not in self.cues:
            return EMPTY
        cache_key = (key, limit, before)
        mask = self._masks.get(cache_key)
        if mask is None:
            mask = self._before_mask(key, limit) if before else self._after_mask(key, limit)
            self._masks[cache_key] = mask
        return mask

    def in_clause(self, key: str, start: int, end: int) -> bool:
        """A `key` cue occurs in the clause of the span, either apart from it or as a longer phrase containing it
        ("SIM swap" around the mention "SIM"); a cue that merely overlaps the span does not count."""
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
        width = end - start
        return any(
            c.end <= start or c.start >= end or (c.start <= start and c.end >= end and c.end - c.start > width)
            for c in cues[lo:hi]
        )

    def _scope_masks(self, scope: str) -> tuple[frozenset[int], frozenset[int]]:
        """(by first token, by last token) sets: a span [s, e) is in `scope` if s is in one or e - 1 in the other."""
        if scope == "negation":
            return self._mask(NEGATION_BEFORE, self.window, True), self._mask(NEGATION_AFTER, self.after_window, False)
        if scope == "hypothetical":
            return self._mask("Q|hypothetical_before", HYPOTHETICAL_WINDOW, True), self._mask(
                "Q|hypothetical_after", HYPOTHETICAL_AFTER_WINDOW, False
            )
        if scope == "conditional":
            return self._mask("Q|hypothetical_before", HYPOTHETICAL_WINDOW, True), EMPTY
        if scope == "past":
            return self._mask("Q|past_before", self.window, True), EMPTY
        if scope == "question":
            return self._mask("Q|question", self.window, True) | self._question_clauses(), EMPTY
        return self._pitch_mask(), EMPTY

    def _question_clauses(self) -> frozenset[int]:
        """Tokens of questions ending in a question mark: from the last question word opening a comma-separated
        part of the clause (else from the clause start) to the mark, unless that part opens as a request."""
        cached = self._masks.get(QUESTION_END)
        if cached is not None:
            return cached
        requests = {c.start for c in self._cues("Q|request")}
        opens = sorted(c.start for c in self._cues("Q|question_open"))
        tokens: set[int] = set()
        for cue in self._cues("Q|question_end"):
            begin = self._clause_begin(max(cue.start - 1, 0))
            start = begin
            for at in opens[bisect.bisect_left(opens, begin + 1) : bisect.bisect_left(opens, cue.start)]:
                if self.doc[at - 1].text in PART_BREAKS:
                    start = at
            if requests & {start, start + 1}:
                continue
            tokens.update(range(start, cue.start))
        mask = self._masks[QUESTION_END] = frozenset(tokens)
        return mask

    def _pitch_mask(self) -> frozenset[int]:
        """Tokens under a rep's pitch cue that no positive (non-negated) reaction follows in their sentence."""
        mask = self._mask(PITCH, self.window + 4, True)
        if not mask:
            return mask
        last_reaction: dict[int, int] = {}
        for cue in self._cues("Q|positive_reaction"):
            if not self.negated(cue.start, cue.end):
                last_reaction[int(self.sent_id[cue.start])] = cue.start
        return frozenset(t for t in mask if last_reaction.get(int(self.sent_id[t]), -1) < t)

    def _combined(self, scopes: frozenset[str]) -> tuple[frozenset[int], frozenset[int]]:
        """Union of the named scopes' token sets."""
        cached = self._combos.get(scopes)
        if cached is None:
            parts = [self._scope_masks(scope) for scope in sorted(scopes)]
            cached = self._combos[scopes] = (
                frozenset().union(*(p[0] for p in parts)),
                frozenset().union(*(p[1] for p in parts)),
            )
        return cached

    def negated(self, start: int, end: int) -> bool:
        """Negation cue shortly before (same clause) or a negating phrase right after the span."""
        return self.blocked(NEGATION, start, end)

    def hypothetical(self, start: int, end: int) -> bool:
        """Span sits under "if we ever…", "down the road" and similar cues."""
        return self.blocked(HYPOTHETICAL, start, end)

    def blocked(self, scopes: frozenset[str], start: int, end: int) -> bool:
        """True when any named scope applies to the span.

        Scopes: negation, hypothetical, conditional (only a hypothetical cue before the span: "if we had no
        budget" but not "no budget, maybe next year"), past, pitch, question.
        """
        first, last = self._combined(scopes)
        return start in first or end - 1 in last


def _overlaps_any(cue: Cue, others: list[Cue]) -> bool:
    return any(o.start < cue.end and cue.start < o.end for o in others)
