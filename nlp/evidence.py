"""Evidence quotes: the sentence around a mention, offsets into the original text, markup removed."""

from __future__ import annotations

import re

import numpy as np
from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc

from nlp.analysis import MENTION_RANK, Mention
from nlp.domain import Evidence
from nlp.speakers import Turn

MAX_QUOTE = 280
_LEAD = " \t\n-*>+•:"
_SPACES = re.compile(r"\s+")


class QuoteIndex:
    """Token offsets, sentence ids/bounds and turns of one document, read without per-token spaCy access."""

    def __init__(self, doc: Doc, text: str, turns: list[Turn]) -> None:
        self.text = text
        self.turns = turns
        self._offsets = doc.to_array([IDX, LENGTH]) if len(doc) else np.zeros((0, 2), dtype=np.int64)
        self._sent_id = doc._.call_sent_id
        self._sent_starts = doc._.call_sent_starts

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
    """Quote the sentence(s) covering `mention`, trimmed to MAX_QUOTE characters."""
    text, turns = index.text, index.turns
    first, last = index.sentence(mention.start)[0], index.sentence(mention.end - 1)[1] - 1
    start, end = index.start(first), index.end(last)
    hit_start, hit_end = index.start(mention.start), index.end(mention.end - 1)
    if mention.turn >= 0 and hit_start >= turns[mention.turn].start:
        start = max(start, _label_end(text, turns[mention.turn].start, hit_start))
    if end - start > MAX_QUOTE:
        pad = max(0, (MAX_QUOTE - (hit_end - hit_start)) // 2)
        start, end = max(start, hit_start - pad), min(end, hit_end + pad)
    while start < end and text[start] in _LEAD:
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    quote = _SPACES.sub(" ", text[start:end]).strip()
    speaker = turns[mention.turn].speaker if mention.turn >= 0 else None
    return Evidence(signal=signal, quote=quote, start=start, end=end, speaker=speaker)


def _label_end(text: str, turn_start: int, hit: int) -> int:
    """Skip the "Name:" label at the start of a turn when the quote would begin with it."""
    colon = text.find(":", turn_start, hit)
    return colon + 1 if colon >= 0 else turn_start
