"""Evidence quotes: the sentence around a mention, offsets into the original text, markup removed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc

from nlp.analysis import MENTION_RANK, Mention
from nlp.domain import Evidence
from nlp.speakers import Turn

MAX_QUOTE = 280
_LEAD = " \t\n-*>+•:"
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class QuoteIndex:
    """Plain-list views of one document (token offsets, sentence ids/bounds, turns) for cheap quoting."""

    text: str
    starts: list[int]
    ends: list[int]
    sent_id: list[int]
    sent_starts: list[int]
    turns: list[Turn]

    @classmethod
    def of(cls, doc: Doc, text: str, turns: list[Turn]) -> QuoteIndex:
        """Index `doc` (whose text is `text`) once; quoting then needs no per-token spaCy access."""
        arr = doc.to_array([IDX, LENGTH]) if len(doc) else None
        starts = arr[:, 0].tolist() if arr is not None else []
        ends = (arr[:, 0] + arr[:, 1]).tolist() if arr is not None else []
        return cls(text, starts, ends, doc._.call_sent_id.tolist(), doc._.call_sent_starts.tolist(), turns)


def best_mention(mentions: list[Mention]) -> Mention:
    """Prefer the prospect's words, then unattributed notes, then our rep; earliest first."""
    return min(mentions, key=lambda m: (MENTION_RANK.get(m.role, 1), m.start))


def evidence_for(signal: str, mention: Mention, index: QuoteIndex) -> Evidence:
    """Quote the sentence(s) covering `mention`, trimmed to MAX_QUOTE characters."""
    text, turns = index.text, index.turns
    first = index.sent_starts[index.sent_id[mention.start]]
    last = index.sent_starts[index.sent_id[mention.end - 1] + 1] - 1
    start, end = index.starts[first], index.ends[last]
    hit_start, hit_end = index.starts[mention.start], index.ends[mention.end - 1]
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
