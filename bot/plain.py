"""A score card as plain text, for terminals (`fellow qualify`, `fellow slack preview`)."""

from __future__ import annotations

from html import unescape

from bot.blocks import priority_label, recommendation_label, sources_line
from bot.domain import CardData

PROVISIONAL_TEXT = (
    "PROVISIONAL: not in the database or Salesforce, so scored from what was given (the domain, plus enrichment "
    "where enabled): low confidence, no call evidence. A Salesforce lead or a Fellow call would make it firm."
)


def card_plain(card: CardData) -> str:
    """Headline, provenance (lead, calls, model), reasons, quotes and warnings, one item a line."""
    current = card.current
    lines = [f"{card.company} ({card.domain})" if card.domain else card.company]
    lines.append(
        f"Score {current.qualification_score}/100 · {recommendation_label(current.recommendation)}"
        f" · priority {priority_label(current.priority)}"
        f" · Voice AI fit {current.voice_ai_fit}/100 · confidence {card.confidence:.0%}"
    )
    if card.provisional:
        lines.append(PROVISIONAL_TEXT)
    lines.append(unescape(sources_line(card)))
    if card.lead_name:
        lines.append(f"Contact: {card.lead_name}")
    lines.append(f"Scored by {card.scorer} {card.model_version}")
    lines += ["", "Why:", *(f"  • {sentence}" for sentence in current.reasoning)]
    if card.quotes:
        lines += [
            "",
            "From the calls:",
            *(
                f'  • "{q.quote}" ({", ".join(s.replace("_", " ") for s in q.labels) or "marked not right"})'
                for q in card.quotes
            ),
        ]
    if card.warnings:
        lines += ["", "Warnings:", *(f"  • {warning}" for warning in card.warnings)]
    return "\n".join(lines)
