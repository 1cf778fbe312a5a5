"""Call-signal value objects: the one source of truth for signal names used by scoring, the API and Slack."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

BOOLEAN_SIGNALS: tuple[str, ...] = (
    "product_voice_ai",
    "product_voice",
    "product_messaging",
    "product_wireless",
    "product_verify",
    "pricing_requested",
    "next_meeting_scheduled",
    "trial_or_poc",
    "decision_maker_present",
    "budget_confirmed",
    "no_budget",
    "pain_point",
    "not_interested",
    "existing_customer",
)
URGENCY_LEVELS: tuple[str, ...] = ("high", "medium", "low")
PRODUCT_SIGNALS: tuple[str, ...] = tuple(name for name in BOOLEAN_SIGNALS if name.startswith("product_"))


@dataclass(frozen=True)
class Evidence:
    """A quote supporting one signal; `start`/`end` are character offsets into the analysed document."""

    signal: str
    quote: str
    start: int
    end: int
    speaker: str | None = None
    trigger: str | None = None  # the words that fired the signal, inside `quote`

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict of this evidence."""
        return {
            "signal": self.signal,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "speaker": self.speaker,
            "trigger": self.trigger,
        }


@dataclass(frozen=True)
class CallSignals:
    """Everything the pipeline read from one call: booleans, urgency, competitors, volume, tone, evidence."""

    product_voice_ai: bool = False
    product_voice: bool = False
    product_messaging: bool = False
    product_wireless: bool = False
    product_verify: bool = False
    pricing_requested: bool = False
    next_meeting_scheduled: bool = False
    trial_or_poc: bool = False
    decision_maker_present: bool = False
    budget_confirmed: bool = False
    no_budget: bool = False
    pain_point: bool = False
    not_interested: bool = False
    existing_customer: bool = False
    urgency: str | None = None
    competitors: tuple[str, ...] = ()
    volume_per_month: float | None = None
    volume_unit: str | None = None
    sentiment: float = 0.0
    prospect_talk_ratio: float | None = None
    evidence: tuple[Evidence, ...] = field(default=())
    truncated: bool = False
    chars_processed: int = 0
    warnings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.urgency is not None and self.urgency not in URGENCY_LEVELS:
            raise ValueError(f"urgency must be one of {URGENCY_LEVELS} or None, got {self.urgency!r}")
        if not -1.0 <= self.sentiment <= 1.0:
            raise ValueError(f"sentiment must be within [-1, 1], got {self.sentiment}")

    @classmethod
    def empty(cls) -> CallSignals:
        """Return signals for a call with nothing in it (all false, nothing stated)."""
        return cls()

    def active_signals(self) -> list[str]:
        """Return the names of the boolean signals that are true, in canonical order."""
        return [name for name in BOOLEAN_SIGNALS if getattr(self, name)]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict with every field (tuples become lists, evidence becomes dicts)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "evidence":
                out[f.name] = [item.to_dict() for item in value]
            elif isinstance(value, tuple):
                out[f.name] = list(value)
            else:
                out[f.name] = value
        return out
