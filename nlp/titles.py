"""Company name from a meeting title ("Acme <> Telnyx | Intro" -> "Acme"), ignoring our own company."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from nlp.lexicon import DATA_DIR, LexiconError

_BRACKETS = re.compile(r"\[[^\]]*\]|\([^)]*\)|\{[^}]*\}")
_EDGE_PUNCT = " \t,.;:'\"!?*_#~`()[]{}<>|/\\-–—+&@"


@lru_cache(maxsize=4)
def _title_rules(directory: Path = DATA_DIR) -> tuple[tuple[str, ...], tuple[str, ...], frozenset[str], frozenset[str]]:
    try:
        data = yaml.safe_load((directory / "titles.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(f"cannot read titles.yaml: {exc}") from exc
    return (
        tuple(data["separators"]),
        tuple(data["soft_separators"]),
        frozenset(str(w).lower() for w in data["meeting_words"]),
        frozenset(str(w).lower() for w in data["legal_suffixes"]),
    )


def _split(parts: list[str], separator: str) -> list[str]:
    return [piece for part in parts for piece in part.split(separator)]


def _is_own(part: str, own: frozenset[str]) -> bool:
    words = re.findall(r"[\w.]+", part.lower())
    return any(w.split(".")[0] in own for w in words)


def _strip_words(part: str, meeting: frozenset[str], legal: frozenset[str]) -> str:
    words = part.split()
    while words and words[0].lower().strip(_EDGE_PUNCT) in meeting:
        words.pop(0)
    while words and (words[-1].lower().strip(" ,'\"") in legal or words[-1].lower().strip(_EDGE_PUNCT) in meeting):
        words.pop()
    name = " ".join(words).strip(_EDGE_PUNCT)
    return re.sub(r"'s$", "", name)


def company_from_title(title: str, own_names: tuple[str, ...] = ("Telnyx",)) -> str | None:
    """The prospect company named in a meeting title, legal suffix removed; None when there is none."""
    if not isinstance(title, str) or not title.strip():
        return None
    separators, soft, meeting, legal = _title_rules()
    own = frozenset(n.lower() for n in own_names)
    parts = [_BRACKETS.sub(" ", title[:300].replace("\u2019", "'"))]
    for separator in separators:
        parts = _split(parts, separator)
    refined: list[str] = []
    for part in parts:
        pieces = [part]
        for separator in soft:
            pieces = _split(pieces, separator)
        refined.extend(pieces if any(_is_own(p, own) for p in pieces) and len(pieces) > 1 else [part])
    for part in refined:
        if _is_own(part, own):
            continue
        name = _strip_words(part, meeting, legal)
        if name and any(ch.isalpha() for ch in name) and name.lower() not in meeting:
            return name
    return None
