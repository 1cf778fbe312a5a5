"""Evidence quotes: the sentence around a mention, offsets into the original text, markup removed."""

from __future__ import annotations

import re

import numpy as np
from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc

from nlp.analysis import MENTION_RANK, Mention
from nlp.domain import Evidence
from nlp.speakers import Turn

MAX_QUOTE = 200
MIN_QUOTE_WORDS = 3  # a clause shorter than this ("yes", "approved") takes its neighbour to make sense
_LEAD = " \t\n-*>+•:,;.\u2002"
_TRAIL = " \t\n-*>+•:,;\u2002"
_SPACES = re.compile(r"\s+")
# Where a clause ends inside a sentence: a comma/semicolon before a space, or a spaced dash.
_CLAUSE_BREAK = re.compile(r"[,;](?=\s)|\s[-\u2013\u2014]\s")


class QuoteIndex:
    """Token offsets, sentence ids/bounds and turns of one document, read without per-token spaCy access."""

    def __init__(self, doc: Doc, text: str, turns: list[Turn]) -> None:
        self.text = text
        self.turns = turns
        self._offsets = doc.to_array([IDX, LENGTH]) if len(doc) else np.zeros((0, 2), dtype=np.int64)
        self._sent_id = doc._.call_sent_id
        self._sent_starts = doc._.call_sent_starts
        self.label_bodies: dict[int, int] = doc.user_data.get("label_bodies") or {}

    def start(self, token: int) -> int:
        """Character offset where `token` starts."""
        return int(self._offsets[token, 0])

    def end(self, token: int) -> int:
        """Character offset just after `token`."""
        return int(self._offsets[token, 0] + self._offsets[token, 1])

    def sentence(self, token: int) -> tuple[int, int]:
        """Token range [start, end) of the sentence holding `token`."""
        sent = int(self._sent_id[token])
        return int(self._sent_starts[sent]), int(self._sent_starts[sent + 1])


def best_mention(mentions: list[Mention]) -> Mention:
    """Prefer the prospect's words, then unattributed notes, then our rep; earliest first."""
    return min(mentions, key=lambda m: (MENTION_RANK.get(m.role, 1), m.start))


def evidence_for(signal: str, mention: Mention, index: QuoteIndex) -> Evidence:
    """Quote the smallest clause holding `mention` (its trigger words inside), without the speaker label, cut on
    word boundaries to at most MAX_QUOTE characters."""
    text, turns = index.text, index.turns
    first, last = index.sentence(mention.start)[0], index.sentence(mention.end - 1)[1] - 1
    start, end = index.start(first), index.end(last)
    hit_start, hit_end = index.start(mention.start), index.end(mention.end - 1)
    if mention.turn >= 0 and hit_start >= turns[mention.turn].start:
        start = max(start, _body_start(text, turns[mention.turn], hit_start))
    else:
        body = index.label_bodies.get(text.rfind("\n", 0, start) + 1, -1)
        if start <= body <= hit_start:
            start = body  # a lone "[00:33] Dana Lee:" label that made no turns of its own
    start, end = _clause(text, start, end, hit_start, hit_end)
    start, end = _fit(text, start, end, hit_start, hit_end)
    quote = _SPACES.sub(" ", text[start:end]).strip()
    speaker = turns[mention.turn].speaker if mention.turn >= 0 else None
    trigger = _SPACES.sub(" ", text[max(hit_start, start) : min(hit_end, end)]).strip() or None
    return Evidence(signal=signal, quote=quote, start=start, end=end, speaker=speaker, trigger=trigger)


def _clause(text: str, start: int, end: int, hit_start: int, hit_end: int) -> tuple[int, int]:
    """The clauses of text[start:end] that the hit touches, widened by a neighbour while too short to read."""
    cuts = [start, *(m.end() for m in _CLAUSE_BREAK.finditer(text, start, end)), end]
    lo = max(i for i, c in enumerate(cuts[:-1]) if c <= hit_start)
    hi = min(i for i, c in enumerate(cuts) if i > lo and c >= hit_end)
    while len(text[cuts[lo] : cuts[hi]].split()) < MIN_QUOTE_WORDS and (lo > 0 or hi < len(cuts) - 1):
        if lo > 0:
            lo -= 1
        else:
            hi += 1
    return _trim(text, cuts[lo], cuts[hi])


def _fit(text: str, start: int, end: int, hit_start: int, hit_end: int) -> tuple[int, int]:
    """At most MAX_QUOTE characters around the hit, cut where words begin and end."""
    if end - start <= MAX_QUOTE:
        return start, end
    hit_start, hit_end = max(hit_start, start), min(hit_end, end)
    if hit_end - hit_start >= MAX_QUOTE:
        hit_end = hit_start + MAX_QUOTE
    pad = (MAX_QUOTE - (hit_end - hit_start)) // 2
    lo = max(start, hit_start - pad)
    hi = min(end, lo + MAX_QUOTE)
    lo = max(start, min(lo, hi - MAX_QUOTE))
    if lo > start and not text[lo - 1].isspace():
        space = text.find(" ", lo, hit_start)
        lo = space + 1 if space >= 0 else lo
    if hi < end and not text[hi].isspace():
        space = text.rfind(" ", hit_end, hi)
        hi = space if space >= 0 else hi
    return _trim(text, lo, hi)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop list markers, separators and spaces at both ends."""
    while start < end and text[start] in _LEAD:
        start += 1
    while end > start and text[end - 1] in _TRAIL:
        end -= 1
    return start, end


def _body_start(text: str, turn: Turn, hit: int) -> int:
    """Where the turn's words begin: after its "[00:33] Name:" label."""
    if 0 <= turn.body <= hit:
        return turn.body
    return _label_end(text, turn.start, hit)


def _label_end(text: str, turn_start: int, hit: int) -> int:
    """Skip the "Name:" label at the start of a turn when the quote would begin with it."""
    colon = text.find(":", turn_start, hit)
    return colon + 1 if colon >= 0 else turn_start
