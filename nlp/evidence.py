"""Evidence quotes: the sentence around a mention, offsets into the original text, markup removed."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from nlp.analysis import MENTION_RANK, Mention
from nlp.domain import Evidence
from nlp.segmenter import sentence_bounds
from nlp.speakers import Turn

MAX_QUOTE = 280
_LEAD = " \t\n-*>+•:"
_SPACES = re.compile(r"\s+")


def best_mention(mentions: list[Mention]) -> Mention:
    """Prefer the prospect's words, then unattributed notes, then our rep; earliest first."""
    return min(mentions, key=lambda m: (MENTION_RANK.get(m.role, 1), m.start))


def evidence_for(signal: str, mention: Mention, doc: Doc, turns: list[Turn], text: str) -> Evidence:
    """Quote the sentence(s) covering `mention` (`text` is `doc.text`), trimmed to MAX_QUOTE characters."""
    first, last = sentence_bounds(doc, mention.start)[0], sentence_bounds(doc, mention.end - 1)[1] - 1
    start, end = doc[first].idx, doc[last].idx + len(doc[last])
    if mention.turn >= 0 and doc[mention.start].idx >= turns[mention.turn].start:
        start = max(start, _label_end(text, turns[mention.turn].start, doc[mention.start].idx))
    if end - start > MAX_QUOTE:
        hit_start, hit_end = doc[mention.start].idx, doc[mention.end - 1].idx + len(doc[mention.end - 1])
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
