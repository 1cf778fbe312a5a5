"""Compile the lexicon phrase syntax into spaCy Matcher / PhraseMatcher patterns.

Phrase syntax (whitespace separates slots): `word` literal, `a|b|c` alternatives, `word+` common inflections
(need -> needs, needed, needing), `word?` optional, `..` up to three words inside one sentence, `#num` a number,
`{own}` one of our own company names, `_` a space inside an alternative (`follow_up|follow-up`). A phrase
starting with `=` matches case-sensitively.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from nlp.tokenizer import split_words

GAP = ".."
NUM = "#num"
OWN = "{own}"


@dataclass(frozen=True)
class CompiledPhrase:
    """One phrase compiled either to a literal token sequence (PhraseMatcher) or a Matcher pattern."""

    literal: tuple[str, ...] | None
    pattern: list[dict[str, Any]] | None
    case_sensitive: bool


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


def _alternatives(slot: str, own_names: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Expand one slot into its alternative token sequences."""
    options: list[tuple[str, ...]] = []
    for alt in slot.split("|"):
        if alt == OWN:
            options.extend(tuple(split_words(name)[0]) for name in own_names)
        elif alt.endswith("+") and len(alt) > 1:
            options.extend((form,) for form in inflections(alt[:-1]))
        else:
            words = tuple(w for w in split_words(alt.replace("_", " "))[0] if not w.isspace())
            if words:
                options.append(words)
    return options


def compile_phrase(phrase: str, own_names: tuple[str, ...]) -> list[CompiledPhrase]:
    """Compile a phrase into one or more matchable forms (multi-token alternatives expand the phrase)."""
    case_sensitive = phrase.startswith("=")
    body = phrase[1:] if case_sensitive else phrase
    attr = "ORTH" if case_sensitive else "LOWER"
    slots = body.split()
    simple = all(s not in (GAP, NUM) and not s.endswith("?") and "|" not in s and "+" not in s for s in slots)
    if simple and OWN not in body:
        words = tuple(w for w in split_words(body.replace("_", " "))[0] if not w.isspace())
        return [CompiledPhrase(words if case_sensitive else tuple(w.lower() for w in words), None, case_sensitive)]
    per_slot: list[list[list[dict[str, Any]]]] = []
    for slot in slots:
        optional = slot.endswith("?") and len(slot) > 1
        core = slot[:-1] if optional else slot
        if core == GAP:
            per_slot.append([[{"IS_SENT_START": False, "IS_SPACE": False, "OP": "{0,3}"}]])
            continue
        if core == NUM:
            per_slot.append([[{"LIKE_NUM": True, **({"OP": "?"} if optional else {})}]])
            continue
        alts = _alternatives(core, own_names)
        singles = sorted({a[0] if case_sensitive else a[0].lower() for a in alts if len(a) == 1})
        multis = [a for a in alts if len(a) > 1]
        variants: list[list[dict[str, Any]]] = []
        if singles:
            variants.append([{attr: {"IN": singles}, **({"OP": "?"} if optional else {})}])
        for multi in multis:
            variants.append([{attr: w if case_sensitive else w.lower()} for w in multi])
        if optional and multis:
            variants.append([])
        per_slot.append(variants)
    compiled = []
    for combo in itertools.product(*per_slot):
        pattern = [tok for part in combo for tok in part]
        if pattern:
            compiled.append(CompiledPhrase(None, pattern, case_sensitive))
    return compiled
