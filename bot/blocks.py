"""Block Kit for a score card: score bar, recommendation, reasons, call quotes, changes, links, 👍/👎 buttons.

Pure functions of `CardData`. Every text is escaped and clipped so the card stays within Slack's limits
(50 blocks, 3,000-character sections, 150-character headers, 2,000-character button values) for any input.
"""

from __future__ import annotations

import re
from typing import Any

from bot.domain import REASON_LABELS, CardData, Quote, ScoreView, Verdict
from bot.text import clip, escape, mention, safe
from scoring.domain import PRIORITY_LABELS, RECOMMENDATION_LABELS
from store.enums import FeedbackVerdict

FEEDBACK_UP = "fellow_feedback_up"
FEEDBACK_DOWN = "fellow_feedback_down"
FEEDBACK_BLOCK = "fellow_feedback"
NOT_RIGHT = "fellow_not_right"
SAID_BY_US = "speaker"  # the not-right option saying our rep, not the prospect, said it
MAX_OVERFLOW = 5
MAX_HEADER = 150
MAX_SECTION = 3000
MAX_CONTEXT = 2000
MAX_FALLBACK = 3000
MAX_URL = 3000
TOP_REASONS = 5
TOP_QUOTES = 3
REASON_CHARS = 400
QUOTE_CHARS = 300
MAX_VERDICTS = 20
BAR_CELLS = 10

_SAFE_URL = re.compile(r"^https?://[^\s<>|]+$")

Block = dict[str, Any]


def mrkdwn(text: str) -> dict[str, str]:
    """A mrkdwn text object (the caller has escaped and clipped `text`)."""
    return {"type": "mrkdwn", "text": text}


def plain(text: str, limit: int) -> dict[str, Any]:
    """A plain_text object clipped to `limit` (never empty)."""
    return {"type": "plain_text", "text": clip(" ".join(text.split()) or "—", limit), "emoji": True}


def section(text: str, **extra: Any) -> Block:
    """A section block whose mrkdwn text is clipped to the section limit."""
    return {"type": "section", "text": mrkdwn(clip(text, MAX_SECTION)), **extra}


def context(*texts: str) -> Block:
    """A context block of up to 10 mrkdwn elements, each clipped."""
    return {"type": "context", "elements": [mrkdwn(clip(t, MAX_CONTEXT)) for t in texts[:10] if t]}


def score_bar(score: int) -> str:
    """A ten-cell bar coloured by band: green from 70, yellow from 40, red below."""
    score = max(0, min(100, score))
    filled = round(score / 100 * BAR_CELLS)
    cell = "🟩" if score >= 70 else "🟨" if score >= 40 else "🟥"
    return cell * filled + "⬜" * (BAR_CELLS - filled)


def recommendation_label(value: str) -> str:
    """Plain words for a recommendation code (unknown codes are shown escaped)."""
    return RECOMMENDATION_LABELS.get(value, safe(value, 40))


def priority_label(value: str) -> str:
    """Plain words for a priority code (unknown codes are shown escaped)."""
    return PRIORITY_LABELS.get(value, safe(value, 40))


def safe_url(url: str | None) -> str | None:
    """The URL if it is a plain http(s) URL that fits a link, else None (never inject markup)."""
    if url and len(url) <= MAX_URL - 100 and _SAFE_URL.match(url):
        return url
    return None


def changes(previous: ScoreView | None, current: ScoreView) -> list[str]:
    """Plain sentences saying what moved between the previous and the current score of a lead."""
    if previous is None:
        return []
    lines: list[str] = []
    delta = current.qualification_score - previous.qualification_score
    if delta:
        lines.append(f"Score {previous.qualification_score} → {current.qualification_score} ({delta:+d})")
    if current.recommendation != previous.recommendation:
        before, after = recommendation_label(previous.recommendation), recommendation_label(current.recommendation)
        lines.append(f"Recommendation {before} → {after}")
    if current.priority != previous.priority:
        lines.append(f"Priority {priority_label(previous.priority)} → {priority_label(current.priority)}")
    fit_delta = current.voice_ai_fit - previous.voice_ai_fit
    if fit_delta:
        lines.append(f"Voice AI fit {previous.voice_ai_fit} → {current.voice_ai_fit} ({fit_delta:+d})")
    new_signals = sorted(current.signals - previous.signals)
    if new_signals:
        lines.append("New from the calls: " + ", ".join(safe(s.replace("_", " "), 60) for s in new_signals[:8]))
    new_reasons = [r for r in current.reasoning if r not in previous.reasoning][:2]
    lines.extend(f"New reason: {safe(r, REASON_CHARS)}" for r in new_reasons)
    return lines or ["No material change since the last score."]


def _headline(card: CardData) -> Block:
    current = card.current
    who = " · ".join(safe(part, 200) for part in (card.lead_name, card.domain) if part)
    lines = [
        f"{score_bar(current.qualification_score)}  *{current.qualification_score}*/100",
        f"*Recommendation:* {recommendation_label(current.recommendation)}   "
        f"*Priority:* {priority_label(current.priority)}",
        f"*Voice AI fit:* {current.voice_ai_fit}/100   *Confidence:* {round(card.confidence * 100)}%",
    ]
    if who:
        lines.insert(0, who)
    return section("\n".join(lines), block_id="fellow_headline")


def _reasons(card: CardData) -> Block | None:
    struck = [q.quote[:40] for q in card.quotes if q.corrected and not q.signals and q.quote.strip()]
    reasons = []
    for reason in card.current.reasoning:
        if not reason or not reason.strip():
            continue
        text = safe(reason, REASON_CHARS)
        reasons.append(f"~{text}~ _(quote marked not right)_" if any(q in reason for q in struck) else text)
    reasons = reasons[:TOP_REASONS]
    if not reasons:
        return None
    return section("*Why*\n" + "\n".join(f"• {r}" for r in reasons), block_id="fellow_reasons")


def _label(signal: str) -> str:
    return safe(signal.replace("_", " "), 60)


def not_right_value(score_id: int, items: tuple[int, ...], kind: str = "") -> str:
    """An overflow option value: score id, evidence indexes and the kind of correction ("" or SAID_BY_US)."""
    return f"{score_id}:{'.'.join(str(i) for i in items)}:{kind}"


def not_right_menu(score_id: int, quote: Quote) -> dict[str, Any] | None:
    """The "not right" overflow menu of one quote: one option per signal it supports, and "our rep said it"."""
    options = [
        {"text": plain(f"Not right: {signal.replace('_', ' ')}", 75), "value": not_right_value(score_id, (item,))}
        for signal, item in zip(quote.signals, quote.items, strict=False)
    ][: MAX_OVERFLOW - 1]
    if not options:
        return None
    said = not_right_value(score_id, quote.items[: MAX_OVERFLOW - 1], SAID_BY_US)
    options.append({"text": plain("Not right: our rep said this, not the prospect", 75), "value": said})
    return {"type": "overflow", "action_id": NOT_RIGHT, "options": options}


def _quotes(card: CardData) -> list[Block]:
    quotes = [q for q in card.quotes if q.quote and q.quote.strip()][:TOP_QUOTES]
    if not quotes:
        return []
    blocks: list[Block] = [section("*From the call*", block_id="fellow_quotes")]
    for n, quote in enumerate(quotes):
        labels = " · ".join(_label(s) for s in quote.labels)
        text = f"> “{safe(quote.quote, QUOTE_CHARS)}”"
        if labels:
            text += f" — _{labels}_"
        if quote.corrected:
            text += "\n" + " ".join(f"~{_label(s)}~" for s in quote.corrected) + " _marked not right_"
        block = section(text, block_id=f"fellow_quote_{n}")
        menu = None if card.lead_deleted or card.provisional else not_right_menu(card.score_id, quote)
        if menu is not None:
            block["accessory"] = menu
        blocks.append(block)
    return blocks


def _changes(card: CardData) -> Block | None:
    lines = changes(card.previous, card.current)
    if not lines:
        return None
    return section(
        "*What changed since the last score*\n" + "\n".join(f"• {line}" for line in lines), block_id="fellow_changes"
    )


def verdict_line(verdict: Verdict) -> str:
    """'👍 @alex' or '👎 @sam (Not Voice AI)'."""
    icon = "👍" if verdict.verdict == FeedbackVerdict.UP else "👎"
    reason = f" ({REASON_LABELS[verdict.reason]})" if verdict.reason in REASON_LABELS else ""
    return f"{icon} {mention(verdict.user_id)}{reason}"


def _links(card: CardData) -> str:
    links = []
    salesforce, fellow = safe_url(card.salesforce_url), safe_url(card.fellow_url)
    if salesforce:
        links.append(f"<{salesforce}|Salesforce lead>")
    if fellow:
        links.append(f"<{fellow}|Fellow call>")
    return " · ".join(links)


PROVISIONAL_NOTE = (
    ":construction: *Provisional* — not in the database or Salesforce, so this is scored from what was given "
    "(the domain, plus enrichment where enabled): low confidence, no call evidence. A Salesforce lead or a Fellow "
    "call with them would make it firm."
)


def sources_line(card: CardData) -> str:
    """Which lead and which calls the score read, so nobody wonders what it was based on."""
    lead = f"Lead {card.lead_ref}" if card.lead_ref else "No Salesforce lead"
    if not card.calls:
        return f"{lead} · no Fellow calls read"
    read = "; ".join(
        f"{call.started_at:%Y-%m-%d} “{safe(call.title or 'untitled', 80)}”" if call.started_at
        else f"“{safe(call.title or 'untitled', 80)}”"
        for call in card.calls
    )  # fmt: skip
    return f"{lead} · calls read: {read}"


def feedback_actions(score_id: int) -> Block:
    """The 👍 / 👎 buttons; their value carries the score id."""
    value = str(score_id)
    return {
        "type": "actions",
        "block_id": FEEDBACK_BLOCK,
        "elements": [
            {"type": "button", "action_id": FEEDBACK_UP, "text": plain("👍 Good lead", 75), "value": value},
            {"type": "button", "action_id": FEEDBACK_DOWN, "text": plain("👎 Not a fit", 75), "value": value},
        ],
    }


def card_blocks(card: CardData) -> list[Block]:
    """The full score card."""
    title = f"{card.company} — {card.current.qualification_score}/100"
    blocks: list[Block] = [{"type": "header", "block_id": "fellow_title", "text": plain(title, MAX_HEADER)}]
    if card.provisional:
        blocks.append(section(PROVISIONAL_NOTE, block_id="fellow_provisional"))
    blocks.append(_headline(card))
    reasons, changed = _reasons(card), _changes(card)
    blocks.extend([*([reasons] if reasons else []), *_quotes(card), *([changed] if changed else [])])
    notes = [f"⚠️ {safe(w, 300)}" for w in card.warnings[:3] if w and w.strip()]
    if notes:
        blocks.append(context(*notes))
    links = _links(card)
    provenance = (
        f"Model {safe(card.model_version, 80)} ({safe(card.scorer, 20)}) · "
        f"scored {card.scored_at:%Y-%m-%d %H:%M} UTC · score #{card.score_id}"
    )
    blocks.append(context(*(t for t in (sources_line(card), links, provenance) if t)))
    if card.verdicts:
        shown = [verdict_line(v) for v in card.verdicts[:MAX_VERDICTS]]
        extra = len(card.verdicts) - len(shown)
        blocks.append(context("Judged: " + " · ".join(shown) + (f" and {extra} more" if extra > 0 else "")))
    if card.lead_deleted:
        blocks.append(context("This lead has been deleted; feedback is closed."))
    else:
        blocks.append(feedback_actions(card.score_id))
    return blocks


def card_text(card: CardData) -> str:
    """Notification/fallback text for a card (shown in notifications and screen readers)."""
    text = (
        f"{escape(card.company)}: {card.current.qualification_score}/100, "
        f"{recommendation_label(card.current.recommendation)}, Voice AI fit {card.current.voice_ai_fit}/100"
    )
    return clip(" ".join(text.split()), MAX_FALLBACK)
