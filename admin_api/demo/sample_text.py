"""Text rendering for the synthetic sample data: rep notes in several styles, dialogues, titles, typos.

Phrase banks live in `sample_phrases.yaml`; every choice goes through the caller's `random.Random`, so the
same generator state always yields the same text.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml

_PHRASES_PATH = Path(__file__).with_name("sample_phrases.yaml")
T = TypeVar("T")
_LABEL_FORMATS = ("role", "first_company", "upper", "timestamped", "full")
_SECTIONS = (
    ("Use case", ("interest", "volume", "pricing")),
    ("Qualification", ("budget", "timeline", "dm")),
    ("Landscape", ("competitor", "pain")),
    ("Next steps", ("next_meeting", "trial")),
)


@dataclass(frozen=True)
class Fact:
    """One thing said on a call: a phrase-bank key, the rep question category it answers, slot overrides."""

    key: str
    topic: str
    slots: dict[str, str] = field(default_factory=dict)


@cache
def phrases() -> dict[str, Any]:
    """Load the phrase banks once per process (read-only afterwards)."""
    with _PHRASES_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


class _Slots(dict):
    """Placeholder values; an unknown `{name}` stays visible so tests catch it."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, slots: dict[str, str]) -> str:
    """Substitute `{name}` placeholders in a phrase-bank template."""
    return template.format_map(_Slots(slots))


def pick(rng: random.Random, seq: Sequence[T]) -> T:
    """Uniform choice from a non-empty sequence; one `random()` call, cheaper than `Random.choice`."""
    return seq[int(rng.random() * len(seq))]


def weighted(rng: random.Random, table: Mapping[str, float]) -> str:
    """Pick a key of `table` with probability proportional to its value."""
    return rng.choices(list(table), weights=list(table.values()))[0]


def sentence(rng: random.Random, fact: Fact, ctx: dict[str, str], voice: str) -> str:
    """Render one fact as a rep note ("note") or a prospect utterance ("say")."""
    bank = phrases()["facts"][fact.key][voice]
    return fill(pick(rng, bank), {**ctx, **fact.slots})


def add_typos(rng: random.Random, text: str, rate: float) -> str:
    """Introduce roughly `rate` typos per word: swapped, dropped or doubled letters."""
    words = text.split(" ")
    count = int(rate * len(words) + rng.random())
    for _ in range(count):
        i = rng.randrange(len(words))
        word = words[i]
        if len(word) < 4 or not word.isalpha():
            continue
        j = rng.randrange(1, len(word) - 2)
        kind = rng.randrange(3)
        if kind == 0:
            word = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
        elif kind == 1:
            word = word[:j] + word[j + 1 :]
        else:
            word = word[:j] + word[j] + word[j:]
        words[i] = word
    return " ".join(words)


def shorthand(text: str) -> str:
    """Rewrite a sentence the way a hurried rep types it (abbreviations, dropped words, lower case)."""
    for long, short in phrases()["shorthand"].items():
        text = text.replace(long, short)
    return text.rstrip(".").lower() if text[:1].isupper() else text.rstrip(".")


def fillers(rng: random.Random, bank: str, count: int, ctx: dict[str, str]) -> list[str]:
    """Draw `count` filler sentences (with repetition once the bank runs out) from a filler bank."""
    pool = phrases()["filler"][bank]
    if count <= 1:
        return [fill(pick(rng, pool), ctx) for _ in range(count)]
    picks = rng.sample(pool, min(count, len(pool))) + [pick(rng, pool) for _ in range(count - len(pool))]
    return [fill(p, ctx) for p in picks]


def render_notes(
    rng: random.Random, facts: list[Fact], ctx: dict[str, str], style: str, verbosity: int, followup: bool
) -> str:
    """Write call notes for `facts` in one rep style; `verbosity` adds background, demo and small talk."""
    if style == "transcript":
        return dialogue_text(rng, dialogue(rng, facts, ctx, verbosity), ctx)
    opener = fillers(rng, "followup_opener" if followup else "opener", 1, ctx)[0]
    extra = fillers(rng, "background", min(verbosity, 12), ctx) + fillers(rng, "demo", verbosity // 2, ctx)
    body = [sentence(rng, f, ctx, "note") for f in facts]
    actions = fillers(rng, "action", rng.randint(0, 3), ctx)
    if style == "terse":
        parts = [shorthand(s) for s in [*body, *actions[:1]]]
        if len(parts) < 4:
            parts.insert(0, shorthand(opener))
        return pick(rng, ("; ", "\n", " / ", ". ")).join(parts)
    if style == "bullets":
        lines = [opener, *(f"- {s}" for s in extra[:2] + body)]
        if actions:
            lines += [pick(rng, ("Next steps:", "Action items:", "TODO:")), *(f"* {a}" for a in actions)]
        return "\n".join(lines)
    if style == "sectioned":
        return _sectioned(rng, facts, body, opener, extra, actions)
    small_talk = fillers(rng, "small_talk", rng.randint(0, 2), ctx)
    paragraphs = [" ".join([opener, *extra[: len(extra) // 2 + 1], *small_talk])]
    paragraphs.append(" ".join(body + extra[len(extra) // 2 + 1 :]))
    if actions:
        paragraphs.append("Next: " + " ".join(actions))
    return "\n\n".join(p for p in paragraphs if p.strip())


def _sectioned(
    rng: random.Random, facts: list[Fact], body: list[str], opener: str, extra: list[str], actions: list[str]
) -> str:
    """Markdown notes with headed sections grouping facts by topic."""
    out = [f"**{opener}**", "", "## Summary", " ".join(extra) or "See below."]
    used: set[int] = set()
    for title, topics in _SECTIONS:
        lines = [f"- {s}" for i, (f, s) in enumerate(zip(facts, body, strict=True)) if f.topic in topics]
        used.update(i for i, f in enumerate(facts) if f.topic in topics)
        if lines:
            out += ["", f"## {title}", *lines]
    rest = [f"- {s}" for i, s in enumerate(body) if i not in used] + [f"- [ ] {a}" for a in actions]
    if rest:
        out += ["", pick(rng, ("## Other", "## Misc", "## Notes")), *rest]
    return "\n".join(out)


def dialogue(rng: random.Random, facts: list[Fact], ctx: dict[str, str], verbosity: int) -> list[tuple[str, str]]:
    """Build a rep/prospect exchange covering `facts`, padded by `verbosity` rounds of longer talk."""
    asks = phrases()["asks"]
    turns: list[tuple[str, str]] = [("rep", f"Thanks for making the time, {ctx['prospect_first']}.")]
    turns.append(("prospect", pick(rng, ("Sure, thanks for having us.", "Of course.", "Yeah no problem."))))
    for fact in facts:
        if fact.key in ("pitch_declined",):
            turns.append(("rep", f"Have you looked at {fact.slots['product']}?"))
        elif rng.random() < 0.7:
            turns.append(("rep", pick(rng, asks.get(fact.topic, asks["other"]))))
        turns.append(("prospect", sentence(rng, fact, ctx, "say")))
        if rng.random() < 0.3:
            turns.append(("rep", pick(rng, asks["other"])))
    for _ in range(verbosity):
        after_answer = [i + 1 for i in range(1, len(turns)) if turns[i][0] == "prospect"]
        at = pick(rng, after_answer)
        turns[at:at] = [
            ("prospect", fillers(rng, "long_prospect", 1, ctx)[0]),
            ("rep", fillers(rng, "long_rep", 1, ctx)[0]),
        ]
    turns.append(
        (
            "rep",
            pick(rng, ("Great, I'll send a recap.", "Thanks all, talk soon.", "Appreciate it, I'll follow up.")),
        )
    )
    return turns


def dialogue_text(rng: random.Random, turns: list[tuple[str, str]], ctx: dict[str, str]) -> str:
    """Render a dialogue as speaker-labelled lines in one of several labelling conventions."""
    fmt = pick(rng, _LABEL_FORMATS)
    labels = {
        "role": {"rep": "Rep:", "prospect": "Prospect:"},
        "first_company": {
            "rep": f"{ctx['rep_first']} (Telnyx):",
            "prospect": f"{ctx['prospect_first']} ({ctx['short']}):",
        },
        "upper": {"rep": ctx["rep_first"].upper() + ":", "prospect": ctx["prospect_first"].upper() + ":"},
        "full": {"rep": ctx["rep"] + ":", "prospect": ctx["prospect"] + ":"},
    }.get(fmt)
    lines, clock = [], 0
    for speaker, text in turns:
        if labels is None:
            lines.append(
                f"[{clock // 60:02d}:{clock % 60:02d}] {ctx['rep' if speaker == 'rep' else 'prospect']}: {text}"
            )
            clock += 3 + len(text) // 12
        else:
            lines.append(f"{labels[speaker]} {text}")
    return "\n".join(lines)


def segments(turns: list[tuple[str, str]], ctx: dict[str, str]) -> tuple[dict, ...]:
    """Fellow-style speech segments (speaker, text, start/end seconds) for a dialogue."""
    out, clock = [], 0.0
    for speaker, text in turns:
        duration = round(0.8 + len(text.split()) / 2.6, 2)
        name = ctx["rep"] if speaker == "rep" else ctx["prospect"]
        out.append(
            {
                "speaker": name,
                "text": text,
                "start_time": round(clock, 2),
                "end_time": round(clock + duration, 2),
            }
        )
        clock += duration + 0.4
    return tuple(out)


def call_title(rng: random.Random, ctx: dict[str, str], followup: bool) -> str:
    """A meeting title in one of the formats reps and calendars produce."""
    return fill(pick(rng, phrases()["call_titles"]["followup" if followup else "intro"]), ctx)


def call_facts(rng: random.Random, t: dict[str, Any], call_index: int, last_call: bool) -> list[Fact]:
    """Choose which hidden drivers the rep writes down on a call: imperfectly, with overstatements and distractors."""
    p, first = phrases(), call_index == 0
    again = 1.0 if first else 0.4
    facts: list[Fact] = []

    def maybe(prob: float, key: str, topic: str, **slots: str) -> None:
        if rng.random() < prob:
            facts.append(Fact(key, topic, slots))

    interest, secondary = t["interest"], t["secondary_interest"]
    if interest != "none":
        maybe(0.85 * again, "interest", "interest")
        if interest == "voice_ai":
            maybe(0.6 * again, "interest_voice_ai", "interest")
    if secondary:
        maybe(0.5 * again, "interest", "interest", product=pick(rng, p["products"][secondary]))
    if t["not_interested"]:
        maybe(0.85 if first else 0.5, "not_interested", "other")
    budget = t["budget"]
    exaggerate_budget = budget == "unknown" and rng.random() < 0.08
    maybe(
        ({"confirmed": 0.7, "none": 0.75, "unknown": 0.4}[budget]) * again,
        "budget_exaggerated" if exaggerate_budget else f"budget_{budget}",
        "budget",
    )
    timeline = "asap" if t["timeline"] == "exploring" and rng.random() < 0.05 else t["timeline"]
    maybe(0.7 * again, f"timeline_{timeline}", "timeline")
    if t["decision_maker"]:
        maybe(0.75 * again, "dm_present", "dm")
    else:
        maybe(0.06, "dm_exaggerated", "dm")
        maybe(0.5 * again, "dm_absent", "dm")
    if t["pain"]:
        maybe(0.7 * again, f"pain_{t['pain']}", "pain")
    if t["competitor"]:
        maybe(
            0.85 if t["competitor_locked"] else 0.7 * again,
            "competitor_locked" if t["competitor_locked"] else "competitor_current",
            "competitor",
        )
    maybe(0.25, "competitor_evaluating", "competitor", competitor=pick(rng, p["competitors"][interest]))
    maybe(0.6 * again, "volume", "volume")
    if t["pricing_ask"]:
        maybe(0.8, "pricing", "pricing")
    if t["trial"]:
        maybe(0.5 if first else 0.85, "trial", "trial")
    if t["next_meeting"] and not last_call:
        maybe(0.85, "next_meeting_yes", "next_meeting")
    elif not t["next_meeting"]:
        maybe(0.4, "next_meeting_no", "next_meeting")
    if t["existing_customer"]:
        maybe(0.8 * again, "existing_customer", "other")
    others = [x for x in p["products"] if x not in (interest, secondary)]
    maybe(0.3, "not_looking", "interest", product=pick(rng, p["products"][pick(rng, others)]))
    maybe(0.2, "pitch_declined", "other", product=pick(rng, p["products"][pick(rng, others)]))
    maybe(0.15, "hypothetical", "other", product=pick(rng, p["products"][pick(rng, others)]))
    head, tail = facts[:1], facts[1:]
    rng.shuffle(tail)
    return head + tail


def volume_text(rng: random.Random, n: int) -> str:
    """Format a volume the way people say it: 50k, 50,000, ~1.2M."""
    if n >= 1_000_000 and rng.random() < 0.7:
        return f"{n / 1e6:.1f}M"
    if n >= 1000 and rng.random() < 0.5:
        return f"{round(n / 1000)}k"
    return f"{round(n, -2):,}" if rng.random() < 0.7 else str(round(n, -2))


def call_context(
    rng: random.Random,
    t: dict[str, Any],
    person: tuple[str, str],
    company: str,
    industry: str | None,
    rep: str,
    created: datetime,
) -> dict[str, str]:
    """Slot values shared by every call of one lead (names, product phrase, competitor, volume, ...)."""
    p, (first, last) = phrases(), person
    interest, title = t["interest"], t["title"]
    lead_is_dm = t["decision_maker"] and title in p["titles_dm"]
    return {
        "prospect": f"{first} {last}",
        "prospect_first": first,
        "rep": rep,
        "rep_first": rep.split()[0],
        "company": company + pick(rng, p["legal_suffixes"]),
        "short": company.split()[0],
        "upper": company.upper() + pick(rng, ("", " INC.", " CORP")),
        "industry": pick(rng, p["industries"][industry]["describe"]) if industry else "small business",
        "product": pick(rng, p["products"].get(interest, ["a phone number"])),
        "competitor": t["competitor"] or pick(rng, ("their current provider", "the incumbent")),
        "dm_name": f"{first} {last}" if lead_is_dm else f"{pick(rng, p['first_names'])} {pick(rng, p['last_names'])}",
        "dm_title": title if lead_is_dm else pick(rng, p["titles_dm"]),
        "year": str(created.year + pick(rng, (1, 1, 2))),
        "region": pick(rng, p["regions"]),
        "weekday": pick(rng, p["weekdays"]),
        "amount": pick(rng, p["amounts"]),
        "quarter": str((created.month - 1) // 3 + 1),
        "volume": volume_text(rng, t["volume"]),
        "unit": pick(rng, p["volume_units"][interest]),
    }


def email_address(rng: random.Random, first: str, last: str, domain: str) -> str | None:
    """A plausible address for a person at `domain`, sometimes oddly cased, ~3% missing."""
    if rng.random() < 0.03:
        return None
    f, l_ = first.lower(), "".join(c for c in last.lower() if c.isalpha())
    local = pick(rng, (f"{f}.{l_}", f"{f[0]}{l_}", f, f"{f}_{l_}", f"{f}{rng.randrange(10, 99)}"))
    roll = rng.random()
    if roll < 0.05:
        domain = domain.upper()
    elif roll < 0.1:
        domain, local = domain.title(), local.title()
    return f"{local}@{domain}"
