"""Which mined phrases are worth a person's review: no people's names, no phrase made only of pronouns, stop words
or contractions ("we'll", "you're"), no internal tokens (the negation mark `NOT_looks`, other underscore forms).

Names are found in the notes themselves: a word written capitalised in the middle of a sentence nearly every time
it appears is a proper noun (a person, or a company other than the prospect), whatever the language.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from spacy.lang.en.stop_words import STOP_WORDS

NAME_SHARE = 0.8
MIN_SIGHTINGS = 2
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_SENTENCE_END = re.compile(r"[.!?:;\n\"“(\-–—•*]\s*$")
_PARTS = re.compile(r"['’]")
EXTRA_STOP_WORDS = frozenset({"ll", "re", "ve", "d", "s", "m", "t", "don", "didn", "doesn", "won", "isn", "okay", "ok"})


def proper_nouns(texts: Iterable[str]) -> frozenset[str]:
    """Lower-cased words written capitalised mid-sentence at least NAME_SHARE of the time (and at least twice)."""
    capitalised: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for text in texts:
        for match in _WORD.finditer(text):
            before = text[max(0, match.start() - 3) : match.start()]
            if match.start() == 0 or _SENTENCE_END.search(before):
                continue  # a sentence's first word says nothing about being a name
            word = match.group()
            key = word.lower()
            seen[key] += 1
            capitalised[key] += word[0].isupper()
    return frozenset(w for w, n in seen.items() if n >= MIN_SIGHTINGS and capitalised[w] / n >= NAME_SHARE)


def _content_word(token: str) -> bool:
    parts = [part for part in _PARTS.split(token.lower()) if part]
    return any(len(part) >= 3 and part not in STOP_WORDS and part not in EXTRA_STOP_WORDS for part in parts)


def worth_reviewing(phrase: str, names: frozenset[str] = frozenset()) -> bool:
    """False for phrases with an internal token or a name, or without one content word."""
    tokens = phrase.split()
    if not tokens or any("_" in token for token in tokens):
        return False
    if any(token.lower() in names for token in tokens):
        return False
    return any(_content_word(token) for token in tokens)
