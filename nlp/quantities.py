"""Numbers in notes: monthly volumes ("~50k minutes a month", "2M texts/mo") and durations ("in 3 weeks")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

_DIGIT_RUN = re.compile(r"\d+")
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_QUALIFIERS = (
    r"(?:inbound|outbound|voice|sms|text|phone|international|domestic|us|total|active|connected|"
    r"monthly|daily|weekly|annual|mobile|unique|new|iot|sip|concurrent|local)"
)


@dataclass(frozen=True)
class Volume:
    """A stated volume normalised to a monthly figure (count units keep their raw figure)."""

    per_month: float
    unit: str
    start: int
    end: int
    has_period: bool


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


class VolumeFinder:
    """Regex-based finder built from units.yaml."""

    def __init__(self, units: dict[str, Any]) -> None:
        self.rate_units = {w.lower(): u for u, ws in units.get("rate_units", {}).items() for w in ws}
        self.count_units = {w.lower(): u for u, ws in units.get("count_units", {}).items() for w in ws}
        self.periods = {
            w.lower(): float(spec["factor"]) for spec in units.get("periods", {}).values() for w in spec["words"]
        }
        self.multipliers = {k.lower(): float(v) for k, v in units.get("multipliers", {}).items()}
        mult = _alternation(list(self.multipliers))
        unit = _alternation(list(self.rate_units) + list(self.count_units))
        period = _alternation(list(self.periods))
        self.regex = re.compile(
            rf"(?<![\w.$])(?P<n1>{_NUM})[ \t]*(?P<m1>{mult})?\b"
            rf"(?:[ \t]*(?:-|to|–)[ \t]*(?P<n2>{_NUM})[ \t]*(?P<m2>{mult})?\b)?"
            rf"[ \t]*\+?[ \t]*(?:{_QUALIFIERS}[ \t]+)?(?P<unit>{unit})\b"
            rf"(?:[ \t]*(?:/[ \t]*|(?:per|a|an|each|every|a[ \t]+single)[ \t]+)(?P<p1>{period})\b"
            rf"|[ \t]+(?P<p2>{period})\b)?",
            re.IGNORECASE,
        )
        self.period_anywhere = re.compile(
            rf"(?:/[ \t]*|\b(?:per|a|each|every)[ \t]+)(?P<p>{period})\b"
            rf"|\b(?P<q>monthly|daily|weekly|annually|yearly)\b",
            re.IGNORECASE,
        )

    def _value(self, number: str, multiplier: str | None) -> float:
        return float(number.replace(",", "")) * self.multipliers.get((multiplier or "").lower(), 1.0)

    def _matches(self, text: str) -> Iterator[re.Match[str]]:
        """Same matches as `self.regex.finditer(text)`, tried only where a run of digits starts (much faster)."""
        resume = 0
        for run in _DIGIT_RUN.finditer(text):
            if run.start() < resume:
                continue
            m = self.regex.match(text, run.start())
            if m:
                resume = m.end()
                yield m

    def find(self, text: str) -> list[Volume]:
        """All volume statements in `text`, in order."""
        found = []
        for m in self._matches(text):
            unit_word = m.group("unit").lower()
            low = self._value(m.group("n1"), m.group("m1") or m.group("m2"))
            value = low
            if m.group("n2"):
                value = (low + self._value(m.group("n2"), m.group("m2"))) / 2
            period = (m.group("p1") or m.group("p2") or "").lower()
            if not period:
                line_start, line_end = text.rfind("\n", 0, m.start()) + 1, text.find("\n", m.end())
                line = text[line_start : line_end if line_end >= 0 else len(text)]
                near = self.period_anywhere.search(line)
                period = (near.group("p") or near.group("q") or "").lower() if near else ""
            factor = self.periods.get(period)
            if unit_word in self.rate_units:
                if factor is None:
                    continue
                found.append(Volume(value * factor, self.rate_units[unit_word], m.start(), m.end(), True))
            elif value >= 2:
                per_month = value * factor if factor is not None else value
                found.append(Volume(per_month, self.count_units[unit_word], m.start(), m.end(), factor is not None))
        return found


def duration_days(tokens: list[str], durations: dict[str, Any]) -> float | None:
    """Days in a matched duration phrase such as ["within", "3", "weeks"]; None if unreadable."""
    units = {str(k).lower(): float(v) for k, v in durations.get("units", {}).items()}
    words = {str(k).lower(): float(v) for k, v in durations.get("number_words", {}).items()}
    number = None
    for token in tokens:
        low = token.lower()
        if number is None and low in words and low not in ("in", "by"):
            number = words[low]
        elif number is None:
            try:
                number = float(low.replace(",", ""))
            except ValueError:
                continue
    unit = units.get(tokens[-1].lower()) if tokens else None
    if number is None or unit is None:
        return None
    return number * unit


def urgency_for_days(days: float, durations: dict[str, Any]) -> str:
    """Map a deadline in days to an urgency level using the configured thresholds."""
    if days <= float(durations.get("high_max_days", 31)):
        return "high"
    if days <= float(durations.get("medium_max_days", 100)):
        return "medium"
    return "low"
