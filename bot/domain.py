"""Plain values the bot renders: a score card's content and the verdicts shown on it (no DB, no Slack)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from store.enums import FeedbackReason

REASON_LABELS: dict[str, str] = {
    FeedbackReason.WRONG_FIT: "Wrong fit",
    FeedbackReason.NOT_VOICE_AI: "Not Voice AI",
    FeedbackReason.BAD_TIMING: "Bad timing",
    FeedbackReason.EXISTING_CUSTOMER: "Existing customer",
    FeedbackReason.OTHER: "Other",
}


@dataclass(frozen=True)
class Verdict:
    """One AE's judgement of a score, as shown on the card."""

    user_id: str
    verdict: str
    reason: str | None = None


@dataclass(frozen=True)
class Quote:
    """A quote from a call shown once, with the signals it supports; `items` are the score's evidence indexes of
    those signals (what a "not right" click names) and `corrected` the signals AEs marked not right on it."""

    signal: str
    quote: str
    signals: tuple[str, ...] = ()
    items: tuple[int, ...] = ()
    corrected: tuple[str, ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        """The signals still standing on this quote (all of them when built without a list)."""
        return self.signals if self.signals or self.corrected else (self.signal,)


@dataclass(frozen=True)
class CallRef:
    """A Fellow call a score read: when it happened and its title."""

    started_at: datetime | None
    title: str | None


@dataclass(frozen=True)
class ScoreView:
    """The headline numbers of one score, enough to say what changed between two scores."""

    qualification_score: int
    voice_ai_fit: int
    recommendation: str
    priority: str
    reasoning: tuple[str, ...] = ()
    signals: frozenset[str] = frozenset()


@dataclass(frozen=True)
class CardData:
    """Everything a score card shows; built from the store by `bot.cards.load_card`."""

    score_id: int
    company: str
    domain: str | None
    lead_name: str | None
    current: ScoreView
    confidence: float
    quotes: tuple[Quote, ...]
    model_version: str
    scorer: str
    scored_at: datetime
    previous: ScoreView | None = None
    salesforce_url: str | None = None
    fellow_url: str | None = None
    warnings: tuple[str, ...] = ()
    verdicts: tuple[Verdict, ...] = field(default_factory=tuple)
    lead_deleted: bool = False
    lead_ref: str | None = None
    calls: tuple[CallRef, ...] = ()
    provisional: bool = False
