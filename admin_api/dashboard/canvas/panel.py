"""What the Lead-page panel shows, built from the store with the Slack card's own loader and labels (`bot.cards`,
`bot.blocks`, `bot.domain`), so the panel and the card cannot drift apart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.blocks import PRIORITY_LABELS, RECOMMENDATION_LABELS
from bot.cards import card_for
from bot.domain import REASON_LABELS, CallRef, CardData
from config import Settings
from store.enums import FeedbackVerdict
from store.repositories import calls, feedback, leads, scores
from store.tables import Call, Lead, Score

HISTORY_ROWS = 12
TOP_REASONS = 6
CALLS_SCANNED = 50
BASIS_TEXT = {
    "policy": "the handoff policy recorded for this model (its precision target)",
    "threshold": "the configured score threshold",
    "rule": "a rule override",
    "capacity": "AE capacity (the policy would hand it off, but the team's capacity is full)",
}
PROBABILITY_WORDS = ((0.8, "very likely"), (0.6, "likely"), (0.4, "about as likely as not"), (0.2, "unlikely"))


@dataclass(frozen=True)
class PanelQuote:
    """A quote from a call, the signal it supports and the call it came from."""

    signal: str
    quote: str
    call_title: str | None
    call_date: datetime | None
    call_url: str | None


@dataclass(frozen=True)
class PanelReason:
    """One plain-sentence reason and the quotes that mention its signal."""

    text: str
    quotes: tuple[PanelQuote, ...]


@dataclass(frozen=True)
class PanelVerdict:
    """Who judged the shown score and how."""

    who: str
    up: bool
    reason: str | None
    source: str


def probability_words(probability: float) -> str:
    """'likely (72% chance to progress)': the calibrated probability in words."""
    words = next((text for floor, text in PROBABILITY_WORDS if probability >= floor), "very unlikely")
    return f"{words} ({round(probability * 100)}% chance to progress)"


def decided_by(score: Score) -> str:
    """Who or what set the recommendation: the policy, a named rule, capacity or the threshold."""
    basis = score.handoff_basis or "threshold"
    if basis == "rule":
        fired = [r for r in score.rules_fired if isinstance(r, dict) and r.get("rule_id")]
        if fired:
            first = fired[0]
            return f"rule “{first['rule_id']}”: {first.get('reason') or first.get('effect') or 'override'}"
    return BASIS_TEXT.get(basis, basis)


def _quotes(score: Score, by_id: dict[int, Call]) -> list[PanelQuote]:
    out = []
    for item in score.evidence:
        if not isinstance(item, dict) or not str(item.get("quote") or "").strip():
            continue
        call_id = item.get("call_id")
        call = by_id.get(call_id) if isinstance(call_id, int) else None
        out.append(
            PanelQuote(
                signal=str(item.get("signal") or "signal").replace("_", " "),
                quote=str(item["quote"]),
                call_title=call.title if call else None,
                call_date=call.started_at if call else None,
                call_url=call.call_url if call else None,
            )
        )
    return out


def _reasons(card: CardData, quotes: list[PanelQuote]) -> tuple[list[PanelReason], list[PanelQuote]]:
    """Reasons with the quotes whose signal they name; the quotes no reason names come back separately."""
    used: set[int] = set()
    reasons = []
    for text in [r for r in card.current.reasoning if r and r.strip()][:TOP_REASONS]:
        folded = text.casefold()
        mine = [i for i, q in enumerate(quotes) if q.signal.casefold() in folded]
        used.update(mine)
        reasons.append(PanelReason(text=text, quotes=tuple(quotes[i] for i in mine)))
    return reasons, [q for i, q in enumerate(quotes) if i not in used]


def _verdicts(score_id: int, *, session: Session) -> list[PanelVerdict]:
    return [
        PanelVerdict(
            who=row.user_name or row.user_id,
            up=row.verdict == FeedbackVerdict.UP,
            reason=REASON_LABELS.get(row.reason) if row.reason else None,
            source=row.source,
        )
        for row in feedback.feedback_for_score(score_id, session=session)
    ]


def _history(lead: Lead, *, session: Session) -> list[dict[str, Any]]:
    assert lead.id is not None
    return [
        {
            "scored_at": row.scored_at,
            "score": row.qualification_score,
            "recommendation": RECOMMENDATION_LABELS.get(row.recommendation, row.recommendation),
            "model_version": row.model_version,
            "trigger": row.trigger or "",
        }
        for row in scores.scores_for_lead(lead.id, session=session, limit=HISTORY_ROWS)
    ]


def find_lead(record_id: str, *, session: Session) -> Lead | None:
    """The stored lead for a Salesforce record id (15 or 18 characters)."""
    return leads.get_lead_by_salesforce_id(record_id, session=session)


def panel_context(record_id: str, ae_id: str, *, session: Session, settings: Settings) -> dict[str, Any]:
    """Everything the panel template needs for one record, seen by one AE."""
    lead = find_lead(record_id, session=session)
    score = scores.latest_score(lead.id, session=session) if lead and lead.id is not None else None
    base: dict[str, Any] = {"record_id": record_id, "lead": lead, "score": None, "reason_options": _options()}
    if lead is None or score is None or score.id is None:
        return base
    card = card_for(score, session=session, settings=settings)
    by_id = {c.id: c for c in calls.calls_for_lead(lead.id or 0, session=session, limit=CALLS_SCANNED) if c.id}
    reasons, loose_quotes = _reasons(card, _quotes(score, by_id))
    mine = next((row for row in feedback.feedback_for_score(score.id, session=session) if row.user_id == ae_id), None)
    return {
        **base,
        "score": score,
        "card": card,
        "company": card.company,
        "probability": probability_words(score.progression_probability),
        "recommendation": RECOMMENDATION_LABELS.get(score.recommendation, score.recommendation),
        "priority": PRIORITY_LABELS.get(score.priority, score.priority),
        "decided_by": decided_by(score),
        "reasons": reasons,
        "loose_quotes": loose_quotes,
        "calls_read": _calls_read(card.calls),
        "history": _history(lead, session=session),
        "verdicts": _verdicts(score.id, session=session),
        "mine": mine,
        "band": "high" if score.qualification_score >= 70 else "mid" if score.qualification_score >= 40 else "low",
    }


def _calls_read(refs: tuple[CallRef, ...]) -> list[str]:
    return [
        f"{ref.started_at:%Y-%m-%d} “{ref.title or 'untitled'}”" if ref.started_at else f"“{ref.title or 'untitled'}”"
        for ref in refs
    ]


def _options() -> list[tuple[str, str]]:
    """The 👎 reasons in the Slack modal's order and words (both read `bot.domain.REASON_LABELS`)."""
    return list(REASON_LABELS.items())
