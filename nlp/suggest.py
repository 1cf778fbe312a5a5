"""Lexicon suggestions: which mined phrases the current patterns already cover, and the reviewable patch file.

Phrases are mined elsewhere (learning.suggestions, from outcomes and AE feedback); this module knows the
lexicon. A phrase is covered when some compiled pattern's literal token sequence occurs inside it or contains
it. `write_patch` writes a YAML file of proposed additions for a person to review and copy into
nlp/data/signals.yaml; nothing in the lexicon changes until they do.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml

from nlp.lexicon import DATA_DIR, load_lexicon
from nlp.patterns import PatternError, compile_phrase, normalise

NEGATION_PREFIX = "NOT_"
SUGGESTIONS_DIR = "suggestions"  # review files live in this folder under the data directory


@dataclass(frozen=True)
class Suggestion:
    """A phrase strongly associated with a target (an outcome or an AE 👎 reason) that no pattern covers."""

    phrase: str
    target: str
    documents: int
    target_rate: float
    base_rate: float
    lift: float
    examples: tuple[str, ...] = ()
    signal: str | None = None

    def to_dict(self) -> dict[str, object]:
        """JSON/YAML-friendly form."""
        return {**asdict(self), "examples": list(self.examples)}


@dataclass(frozen=True)
class Coverage:
    """Literal token sequences of every current signal and urgency pattern."""

    sequences: frozenset[tuple[str, ...]] = field(default_factory=frozenset)

    def covers(self, phrase: str) -> bool:
        """True when a pattern occurs inside `phrase` or `phrase` occurs inside a pattern (negation marks ignored)."""
        words = tuple(normalise(w.removeprefix(NEGATION_PREFIX)) for w in phrase.split())
        return any(_contains(words, seq) or _contains(seq, words) for seq in self.sequences)


def _contains(outer: tuple[str, ...], inner: tuple[str, ...]) -> bool:
    n = len(inner)
    return 0 < n <= len(outer) and any(outer[i : i + n] == inner for i in range(len(outer) - n + 1))


def lexicon_coverage(directory: Path = DATA_DIR, own_names: tuple[str, ...] = ()) -> Coverage:
    """Compile the signal and urgency phrases of a lexicon directory into their literal token sequences."""
    lexicon = load_lexicon(directory)
    phrases: list[str] = [p for rule in lexicon.signals.values() for p in rule.phrases]
    phrases += [p for level in lexicon.urgency.values() for p in level]
    sequences: set[tuple[str, ...]] = set()
    for phrase in phrases:
        try:
            compiled = compile_phrase(phrase, own_names or ("telnyx",))
        except PatternError:
            continue
        for segment in compiled.segments:
            sequences.update(tuple(normalise(w) for w in seq) for seq in segment)
    return Coverage(frozenset(sequences))


def uncovered(suggestions: Iterable[Suggestion], coverage: Coverage) -> list[Suggestion]:
    """The suggestions no current pattern covers, order kept."""
    return [s for s in suggestions if not coverage.covers(s.phrase)]


def write_patch(suggestions: Sequence[Suggestion], path: Path) -> Path:
    """Write the proposed additions as a YAML file atomically (a review file; the lexicon is not touched)."""
    proposals: dict[str, list[dict[str, object]]] = {}
    for s in suggestions:
        proposals.setdefault(s.signal or "unassigned", []).append(s.to_dict())
    document = {
        "generated_at": datetime.now(UTC).isoformat(),
        "how_to_apply": "Review each phrase; copy the ones you accept into the `phrases` list of the named signal "
        "in nlp/data/signals.yaml (NOT_word means the word was negated); target `not_right` is the trigger of "
        "quotes AEs marked not right (a candidate for the signal's `exclude` list or a narrower phrase), `missed` a "
        "quote AEs said shows the signal. Nothing changes until you do.",
        "proposals": proposals,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            yaml.safe_dump(document, handle, sort_keys=False, allow_unicode=True, width=120)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def newest_review_file(directory: Path) -> Path | None:
    """The most recently written suggestions YAML file in `directory` (None when there is none)."""
    files = [p for p in directory.glob("*.yaml") if p.is_file()] if directory.is_dir() else []
    return max(files, key=lambda p: (p.stat().st_mtime, p.name), default=None)


def read_review_file(path: Path) -> list[dict[str, object]]:
    """The proposals of a review file as flat rows (signal guess first), for display; ValueError when malformed."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        proposals = document.get("proposals") or {}
        return [{**item, "signal": signal} for signal, items in proposals.items() for item in items or ()]
    except (yaml.YAMLError, AttributeError, TypeError) as exc:
        raise ValueError(f"{path.name} is not a suggestions file: {exc}") from exc
