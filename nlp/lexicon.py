"""Load and validate the sales-ops editable lexicons in nlp/data/ (signals, cues, competitors, urgency...)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from nlp.domain import BOOLEAN_SIGNALS, URGENCY_LEVELS

DATA_DIR = Path(__file__).parent / "data"
SCOPES = ("negation", "hypothetical", "conditional", "past", "pitch", "question")
SPEAKER_POLICIES = ("prospect", "any")
CUE_KINDS = (
    "negation_before",
    "pseudo_negation",
    "negation_after",
    "hypothetical_before",
    "hypothetical_after",
    "past_before",
    "pitch",
    "positive_reaction",
    "question",
    "question_end",
    "question_open",
    "request",
    "clause_breaks",
    "affirm_reply",
    "decline_reply",
    "reported",
)


class LexiconError(ValueError):
    """A lexicon file is missing, malformed or names something unknown."""


@dataclass(frozen=True)
class SignalRule:
    """How one boolean signal is recognised: phrases, who may say it, and what cancels it."""

    name: str
    speakers: str
    blocked_by: frozenset[str]
    phrases: tuple[str, ...]
    exclude: tuple[str, ...]


@dataclass(frozen=True)
class CompetitorRule:
    """A competitor's canonical name, its aliases and the products a mention implies."""

    name: str
    aliases: tuple[str, ...]
    implies: tuple[str, ...]
    context_required: bool


@dataclass(frozen=True)
class Lexicon:
    """All pattern data the pipeline is built from."""

    signals: dict[str, SignalRule]
    cues: dict[str, tuple[str, ...]]
    window: int
    after_window: int
    competitors: dict[str, CompetitorRule]
    context_words: frozenset[str]
    urgency: dict[str, tuple[str, ...]]
    urgency_exclude: tuple[str, ...]
    durations: dict[str, Any]
    units: dict[str, Any]
    sentiment_positive: tuple[str, ...]
    sentiment_negative: tuple[str, ...]
    own_speaker_weight: float
    speakers: dict[str, Any]
    typos: dict[str, str]


def _read(directory: Path, name: str) -> dict[str, Any]:
    path = directory / name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(f"cannot read lexicon {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise LexiconError(f"lexicon {path} must be a mapping")
    return data


def _phrases(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str | int) for item in value):
        raise LexiconError(f"{where} must be a list of phrases")
    return tuple(str(item) for item in value)


def _signal_rules(raw: dict[str, Any]) -> dict[str, SignalRule]:
    unknown = set(raw) - set(BOOLEAN_SIGNALS)
    missing = set(BOOLEAN_SIGNALS) - set(raw)
    if unknown or missing:
        raise LexiconError(f"signals.yaml: unknown {sorted(unknown)}, missing {sorted(missing)}")
    rules = {}
    for name in BOOLEAN_SIGNALS:
        spec = raw[name] or {}
        speakers = spec.get("speakers", "prospect")
        blocked = frozenset(spec.get("blocked_by", ()))
        if speakers not in SPEAKER_POLICIES or not blocked <= set(SCOPES):
            raise LexiconError(f"signals.yaml: bad speakers/blocked_by for {name}")
        rules[name] = SignalRule(
            name, speakers, blocked, _phrases(spec.get("phrases"), name), _phrases(spec.get("exclude"), name)
        )
    return rules


def _competitor_rules(raw: dict[str, Any]) -> dict[str, CompetitorRule]:
    rules = {}
    for name, spec in (raw.get("competitors") or {}).items():
        implies = tuple(spec.get("implies", ()))
        if not set(implies) <= set(BOOLEAN_SIGNALS):
            raise LexiconError(f"competitors.yaml: {name} implies unknown signals {implies}")
        rules[str(name)] = CompetitorRule(
            str(name), _phrases(spec.get("aliases"), str(name)), implies, bool(spec.get("context_required"))
        )
    return rules


def load_lexicon(directory: Path = DATA_DIR) -> Lexicon:
    """Read every lexicon file under `directory`, validating names so typos fail loudly at start-up."""
    signals = _read(directory, "signals.yaml")
    cues = _read(directory, "cues.yaml")
    competitors = _read(directory, "competitors.yaml")
    urgency = _read(directory, "urgency.yaml")
    sentiment = _read(directory, "sentiment.yaml")
    missing_levels = set(URGENCY_LEVELS) - set(urgency)
    if missing_levels:
        raise LexiconError(f"urgency.yaml: missing levels {sorted(missing_levels)}")
    return Lexicon(
        signals=_signal_rules(signals),
        cues={kind: _phrases(cues.get(kind), kind) for kind in CUE_KINDS},
        window=int(cues.get("window", 8)),
        after_window=int(cues.get("after_window", 3)),
        competitors=_competitor_rules(competitors),
        context_words=frozenset(str(w).lower() for w in competitors.get("context_words", ())),
        urgency={level: _phrases(urgency.get(level), level) for level in URGENCY_LEVELS},
        urgency_exclude=_phrases(urgency.get("exclude"), "urgency exclude"),
        durations=dict(urgency.get("durations") or {}),
        units=_read(directory, "units.yaml"),
        sentiment_positive=_phrases(sentiment.get("positive"), "positive"),
        sentiment_negative=_phrases(sentiment.get("negative"), "negative"),
        own_speaker_weight=float(sentiment.get("own_weight", 0.25)),
        speakers=_read(directory, "speakers.yaml"),
        typos={str(k).lower(): str(v).lower() for k, v in _read(directory, "typos.yaml").items()},
    )
