"""Compile the lexicon phrase syntax into literal token sequences for spaCy PhraseMatchers.

Phrase syntax (whitespace separates slots): `word` literal, `a|b|c` alternatives, `word+` common inflections
(need -> needs, needed, needing), `word?` optional, `..` up to three words inside one sentence, `#num` a number,
`{own}` one of our own company names, `_` a space inside an alternative (`follow_up|follow-up`). A phrase
starting with `=` matches case-sensitively. Slots between gaps expand into every literal combination.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from nlp.tokenizer import split_words

GAP = ".."
NUM = "#num"
OWN = "{own}"
NUM_PLACEHOLDER = "0"
MAX_EXPANSION = 20_000
NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")


class PatternError(ValueError):
    """A phrase cannot be compiled (empty, or it expands to too many combinations)."""


@dataclass(frozen=True)
class CompiledPhrase:
    """Segments separated by short gaps; each segment is a set of alternative literal token sequences."""

    segments: tuple[tuple[tuple[str, ...], ...], ...]
    case_sensitive: bool


def normalise(word: str) -> str:
    """Matching form of a token: lower case, straight apostrophes, every number the same."""
    low = word.lower().replace("\u2019", "'")
    return "#num" if NUMBER_RE.fullmatch(low) else low


def inflections(word: str) -> list[str]:
    """Return `word` plus plausible English inflections; over-generation is harmless for matching."""
    forms = {word, word + "s", word + "es", word + "ed", word + "ing", word + "d"}
    if word.endswith("e"):
        forms |= {word[:-1] + "ing", word[:-1] + "ed"}
    if word.endswith("y") and len(word) > 2:
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if len(word) >= 3 and word[-1] not in "aeiouwxy" and word[-2] in "aeiou" and word[-3] not in "aeiou":
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    return sorted(forms)


def _words(text: str) -> tuple[str, ...]:
    return tuple(w for w in split_words(text.replace("_", " "))[0] if not w.isspace())


def _alternatives(slot: str, own_names: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Expand one slot into its alternative token sequences (an optional slot includes the empty one)."""
    optional = slot.endswith("?") and len(slot) > 1
    core = slot[:-1] if optional else slot
    options: list[tuple[str, ...]] = [()] if optional else []
    for alt in core.split("|"):
        if alt == OWN:
            options.extend(_words(name) for name in own_names)
        elif alt == NUM:
            options.append((NUM_PLACEHOLDER,))
        elif alt.endswith("+") and len(alt) > 1:
            *head, last = _words(alt[:-1])
            options.extend((*head, form) for form in inflections(last))
        elif _words(alt):
            options.append(_words(alt))
    return options


def compile_phrase(phrase: str, own_names: tuple[str, ...]) -> CompiledPhrase:
    """Compile one phrase into gap-separated segments of literal alternatives."""
    case_sensitive = phrase.startswith("=")
    body = phrase[1:] if case_sensitive else phrase
    groups: list[list[str]] = [[]]
    for slot in body.split():
        if slot in (GAP, GAP + "?"):
            groups.append([])
        else:
            groups[-1].append(slot)
    segments = []
    for group in groups:
        combos = {
            tuple(w for part in combo for w in part)
            for combo in itertools.product(*(_alternatives(slot, own_names) for slot in group))
        }
        combos.discard(())
        if not combos:
            raise PatternError(f"phrase {phrase!r} has an empty part")
        if len(combos) > MAX_EXPANSION:
            raise PatternError(f"phrase {phrase!r} expands to {len(combos)} combinations; split it")
        segments.append(tuple(sorted(combos)))
    return CompiledPhrase(tuple(segments), case_sensitive)
