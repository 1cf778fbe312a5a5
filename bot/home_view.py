"""Block Kit for the App Home tab: the AE's recent verdicts, the latest strong leads, the model's quality."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.blocks import Block, context, plain, recommendation_label, section
from bot.domain import REASON_LABELS
from bot.text import safe
from store.enums import FeedbackVerdict

MAX_HOME_BLOCKS = 100
MAX_ROWS = 10
HEADLINE_METRICS = (
    ("handoff_precision", "Handoff precision"),
    ("handoff_recall", "Handoff recall"),
    ("rejection_rate", "Rejection rate"),
    ("ae_time_saved", "AE time saved"),
    ("voice_ai_precision", "Voice AI precision"),
)


@dataclass(frozen=True)
class VerdictRow:
    """One of the AE's verdicts."""

    company: str
    score: int
    verdict: str
    reason: str | None
    when: datetime


@dataclass(frozen=True)
class LeadRow:
    """A recently scored lead."""

    company: str
    score: int
    recommendation: str
    when: datetime


@dataclass(frozen=True)
class HomeData:
    """What the App Home shows for one user."""

    verdicts: list[VerdictRow] = field(default_factory=list)
    leads: list[LeadRow] = field(default_factory=list)
    model_version: str | None = None
    metrics: dict[str, Any] = field(default_factory=dict)
    threshold: int = 0


def _metric(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return f"{value:.0%}" if 0 <= value <= 1 else f"{value:,.2f}"


def _model_blocks(data: HomeData) -> list[Block]:
    if data.model_version is None:
        return [section("*Model*\nNo trained model is serving yet: the rule-based prior scores leads.")]
    shown = [(label, _metric(data.metrics.get(key))) for key, label in HEADLINE_METRICS]
    lines = [f"{label}: *{value}*" for label, value in shown if value is not None]
    body = "\n".join(lines) if lines else "No evaluation figures recorded for this version yet."
    return [section(f"*Model {safe(data.model_version, 80)}*\n{body}")]


def home_view(data: HomeData) -> dict[str, Any]:
    """The `home` view published with views.publish."""
    blocks: list[Block] = [{"type": "header", "text": plain("Fellow lead qualification", 150)}]
    blocks.extend(_model_blocks(data))
    blocks.append({"type": "divider"})
    blocks.append(section("*Your recent verdicts*"))
    if not data.verdicts:
        blocks.append(context("None yet — use 👍 / 👎 on a card to teach the model."))
    for row in data.verdicts[:MAX_ROWS]:
        icon = "👍" if row.verdict == FeedbackVerdict.UP else "👎"
        reason = f" — {REASON_LABELS[row.reason]}" if row.reason in REASON_LABELS else ""
        blocks.append(context(f"{icon} *{safe(row.company, 150)}* ({row.score}/100){reason} · {row.when:%Y-%m-%d}"))
    blocks.append({"type": "divider"})
    blocks.append(section(f"*Latest leads scoring {data.threshold}+*"))
    if not data.leads:
        blocks.append(context("No leads above the threshold yet."))
    for lead in data.leads[:MAX_ROWS]:
        blocks.append(
            context(
                f"*{safe(lead.company, 150)}* — {lead.score}/100, {recommendation_label(lead.recommendation)}"
                f" · {lead.when:%Y-%m-%d}"
            )
        )
    blocks.append(context("Run `/qualify <domain | company | Lead Id>` to score any lead."))
    return {"type": "home", "blocks": blocks[:MAX_HOME_BLOCKS]}
