"""Clause and cue scopes: decides whether a phrase hit is negated, hypothetical, past, a pitch or a question."""

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


@dataclass(frozen=True)
class Cue:
    """A cue phrase occurrence (token span) with its clause and sentence ids."""

    start: int
    end: int


class ScopeIndex:
    """Per-document index of clauses, sentences and cue positions, answering scope questions about spans."""

    def __init__(self, doc: Doc, hits: list[Hit], window: int, after_window: int) -> None:
        n = len(doc)
        self.is_punct = doc.to_array([IS_PUNCT]).astype(bool) if n else np.zeros(0, dtype=bool)
        self.sent_id = doc._.call_sent_id
        sent_start = np.zeros(n, dtype=bool)
        sent_start[doc._.call_sent_starts[:-1]] = True
        self.window = window
        self.after_window = after_window
        self.cues: dict[str, list[Cue]] = defaultdict(list)
        for label, start, end in hits:
            if label.startswith("Q|") or label.startswith("X|") or label == "U|exclude":
                self.cues[label].append(Cue(start, end))
        breaks = np.zeros(n, dtype=bool)
        for cue in self.cues.get("Q|clause_breaks", ()):
            breaks[cue.start] = True
        self.clause_id = np.cumsum(sent_start | breaks) if n else np.zeros(0, dtype=np.int64)
        pseudo = self.cues.get("Q|pseudo_negation", [])
        self.cues["Q|negation_before"] = [
            c for c in self.cues.get("Q|negation_before", []) if not _overlaps_any(c, pseudo)
        ]
        self.starts = {key: [c.start for c in value] for key, value in self.cues.items()}
        self._checks = {
            "negation": self.negated,
            "hypothetical": self.hypothetical,
            "past": self.past,
            "pitch": self.pitch,
            "question": self.question,
        }

    def _cues(self, key: str) -> list[Cue]:
        return self.cues.get(key, [])

    def _before(self, key: str, start: int, limit: int, same: np.ndarray) -> bool:
        """A `key` cue ends at or before `start`, within `limit` tokens, in the same clause/sentence."""
        cues = self._cues(key)
        i = bisect.bisect_left(self.starts.get(key, []), start)
        for cue in reversed(cues[:i]):
            if start - cue.start > limit + 6:
                break
            if cue.end <= start and start - cue.end <= limit and same[cue.start] == same[start]:
                if key == "Q|negation_before" and cue.end < len(self.is_punct) and self.is_punct[cue.end]:
                    continue
                return True
        return False

    def _after(self, key: str, end: int, limit: int, same: np.ndarray) -> bool:
        """A `key` cue starts at or after `end`, within `limit` tokens, in the same clause."""
        cues = self._cues(key)
        i = bisect.bisect_left(self.starts.get(key, []), end)
        for cue in cues[i:]:
            if cue.start - end > limit:
                break
            if same[cue.start] == same[end - 1]:
                return True
        return False

    def in_clause(self, key: str, start: int, end: int) -> bool:
        """A `key` cue occurs anywhere in the clause of the span, not overlapping the span itself."""
        clause = self.clause_id[start]
        starts = self.starts.get(key, [])
        lo = bisect.bisect_left(starts, int(np.searchsorted(self.clause_id, clause)))
        hi = bisect.bisect_left(starts, int(np.searchsorted(self.clause_id, clause, side="right")))
        return any(c.end <= start or c.start >= end for c in self._cues(key)[lo:hi])

    def in_sentence_after(self, key: str, start: int) -> list[Cue]:
        """`key` cues in the sentence of `start`, at or after it."""
        sent = self.sent_id[start]
        i = bisect.bisect_left(self.starts.get(key, []), start)
        return [c for c in self._cues(key)[i:] if self.sent_id[c.start] == sent]

    def negated(self, start: int, end: int) -> bool:
        """Negation cue shortly before (same clause) or a negating phrase right after the span."""
        return self._before("Q|negation_before", start, self.window, self.clause_id) or self._after(
            "Q|negation_after", end, self.after_window, self.clause_id
        )

    def hypothetical(self, start: int, end: int) -> bool:
        """Span sits under "if we ever…", "down the road" and similar cues."""
        return self._before("Q|hypothetical_before", start, HYPOTHETICAL_WINDOW, self.clause_id) or self._after(
            "Q|hypothetical_after", end, HYPOTHETICAL_AFTER_WINDOW, self.clause_id
        )

    def past(self, start: int, _end: int) -> bool:
        """Span is described as something that used to be (churned, previously, moved off)."""
        return self._before("Q|past_before", start, self.window, self.clause_id)

    def question(self, start: int, _end: int) -> bool:
        """Span is inside an open question about the prospect ("do they need…", "unclear whether…")."""
        return self._before("Q|question", start, self.window, self.clause_id)

    def pitch(self, start: int, _end: int) -> bool:
        """Span is our rep's pitch without a positive reaction later in the same sentence."""
        if not self._before("Q|pitch", start, self.window + 4, self.clause_id):
            return False
        reactions = self.in_sentence_after("Q|positive_reaction", start)
        return not any(not self.negated(c.start, c.end) for c in reactions)

    def blocked(self, scopes: frozenset[str], start: int, end: int) -> bool:
        """True when any of the named scopes applies to the span."""
        return any(self._checks[scope](start, end) for scope in scopes)


def _overlaps_any(cue: Cue, others: list[Cue]) -> bool:
    return any(o.start < cue.end and cue.start < o.end for o in others)
