"""Block Kit for the bot's short replies: help, "scoring…", not found, candidate lists, refusals, reports."""

from __future__ import annotations

from typing import Any

from bot.blocks import MAX_HEADER, Block, context, plain, section
from bot.text import clip, safe

QUALIFY_DOMAIN_ONLY = "fellow_qualify_domain_only"  # on "not found" replies posted before scores became automatic
QUALIFY_PICK_PREFIX = "fellow_qualify_pick_"
MAX_CANDIDATES = 10
MAX_MESSAGE_BLOCKS = 50
FIELDS_PER_SECTION = 10
REPORT_ICONS = {"evaluation": "📊", "drift": "⚠️", "promotion": "🏆"}

HELP_TEXT = (
    "*Qualify a lead* — `/qualify <domain | company name | Salesforce Lead Id>`\n"
    "• `/qualify acme.com` — score the company behind a domain (a URL or an email address works too)\n"
    "• `/qualify Acme Telecom` — find a company by name; if several match, pick one\n"
    "• `/qualify 00Q5e00000AbCdE` — score a Salesforce lead by its Id\n"
    "• add `share` (`/qualify acme.com share`) to post the card in this channel instead of only to you\n"
    "Use 👍 / 👎 on a card to tell the model whether it got it right; it learns from your verdicts."
)


def help_blocks(problem: str | None = None) -> list[Block]:
    """Usage help, optionally preceded by what was wrong with the input."""
    blocks: list[Block] = []
    if problem:
        blocks.append(section(f":warning: {problem}"))
    blocks.append(section(HELP_TEXT))
    return blocks


def scoring_text(label: str) -> str:
    """The immediate acknowledgement of /qualify."""
    return f":hourglass_flowing_sand: Scoring {safe(label, 200)}…"


def notice_blocks(text: str) -> list[Block]:
    """One section with a short message (the caller escapes user data)."""
    return [section(text)]


def unknown_blocks(searched: str, checked: str) -> list[Block]:
    """A name or Lead Id nobody knows: say where we looked and what would get a score."""
    text = f":mag: I found no lead or company for *{safe(searched, 300)}* in {safe(checked, 200)}."
    hint = (
        "Give me the company's domain (`/qualify acme.com`) and I will score it provisionally from that, "
        "or check the spelling or Lead Id; once the lead is in Salesforce or a Fellow call is logged, the score "
        "uses them."
    )
    return [section(f"{text}\n{hint}")]


def candidate_blocks(searched: str, candidates: list[tuple[str, str]]) -> list[Block]:
    """Several companies match a name: list them with a button each (label, domain)."""
    shown = candidates[:MAX_CANDIDATES]
    lines = [f"• *{safe(name, 120)}* — {safe(domain, 120)}" for name, domain in shown]
    text = f":busts_in_silhouette: Several companies match *{safe(searched, 200)}*. Which one?\n" + "\n".join(lines)
    buttons = [
        {
            "type": "button",
            "action_id": f"{QUALIFY_PICK_PREFIX}{index}",
            "text": plain(name or domain, 75),
            "value": clip(domain, 300),
        }
        for index, (name, domain) in enumerate(shown)
    ]
    blocks: list[Block] = [section(text), {"type": "actions", "block_id": "fellow_candidates", "elements": buttons}]
    if len(candidates) > len(shown):
        blocks.append(context(f"{len(candidates) - len(shown)} more not shown; try a more specific name or a domain."))
    return blocks


def _field_sections(fields: dict[str, Any], budget: int) -> list[Block]:
    items = [f"*{safe(str(k), 200)}*\n{safe(str(v), 1500)}" for k, v in fields.items()]
    blocks: list[Block] = []
    for start in range(0, len(items), FIELDS_PER_SECTION):
        if len(blocks) == budget:
            break
        chunk = items[start : start + FIELDS_PER_SECTION]
        blocks.append({"type": "section", "fields": [{"type": "mrkdwn", "text": clip(t, 2000)} for t in chunk]})
    return blocks


def report_blocks(kind: str, title: str, text: str, fields: dict[str, Any]) -> list[Block]:
    """A learning report or drift alert: header, text, and the figures as fields (within 50 blocks)."""
    icon = REPORT_ICONS.get(kind, "ℹ️")
    blocks: list[Block] = [{"type": "header", "text": plain(f"{icon} {title or kind}", MAX_HEADER)}]
    paragraphs = [p for p in (text or "").split("\n\n") if p.strip()]
    for paragraph in paragraphs[:20]:
        lines = "\n".join(safe(line, 3000, fallback="") for line in paragraph.splitlines())
        if lines.strip():
            blocks.append(section(lines))
    budget = MAX_MESSAGE_BLOCKS - len(blocks) - 1
    field_blocks = _field_sections(fields or {}, budget)
    blocks.extend(field_blocks)
    shown = sum(len(b["fields"]) for b in field_blocks)
    if shown < len(fields or {}):
        blocks.append(context(f"{len(fields) - shown} more figures not shown."))
    return blocks


def report_text(kind: str, title: str) -> str:
    """Fallback text of a report message."""
    return clip(f"{REPORT_ICONS.get(kind, '')} {safe(title or kind, 300)}".strip(), 3000)
