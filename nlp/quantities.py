"""Numbers in notes: monthly volumes ("~50k minutes a month", "2M texts/mo") and durations ("in 3 weeks")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_QUALIFIERS = (
    r"(?:inbound|outbound|voice|sms|text|phone|international|domestic|us|total|active|connected|"
    r"monthly|daily|weekly|annual|mobile|unique|new|iot|sip|concurrent|local|telnyx|[a-z][a-z-]{1,20})"
)
_UNITS_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "a": 1,
    "an": 1,
    "a_few": 3,
    "a_couple": 2,
    "several": 5,
}
_DIGIT_RUN = re.compile(r"\d+")
_SEP_DIGIT = re.compile(r"[:(,—–=-][ \t]*(?:(?:~|approx\.?|about|around|roughly|c\.)[ \t]*)?\d")
_SCALE_OR_TENS = (
    *("hundred", "thousand", "million"),
    *("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"),
)
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1000000}
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_WORD = rf"{_TENS}(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
_WORD_NUM = (
    rf"(?:{_WORD}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|a[ \t]+few|a[ \t]+couple"
    rf"(?:[ \t]+of)?|several|an?)(?:[ \t]+(?:hundred|thousand|million))+|{_WORD}"
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
            rf"(?<![\w.$])(?!0\d)(?P<n1>{_NUM}|{_WORD_NUM})[ \t]*(?P<m1>{mult})?\b"
            rf"(?:[ \t]*(?:-|to|–)[ \t]*(?P<n2>{_NUM})[ \t]*(?P<m2>{mult})?\b)?"
            rf"[ \t]*\+?[ \t]*(?:{_QUALIFIERS}[ \t]+){{0,2}}?(?P<unit>{unit})\b"
            rf"(?:[ \t]*(?:/[ \t]*|(?:per|a|an|each|every|a[ \t]+single)[ \t]+)(?P<p1>{period})\b"
            rf"|[ \t]+(?P<p2>{period})\b)?",
            re.IGNORECASE,
        )
        count = _alternation(list(self.count_units))
        self.unit_first = re.compile(
            rf"(?<!\w)(?P<unit>{count})[ \t]*(?::|\(|,|—|–|-|=)[ \t]*(?:~|approx\.?|about|around|roughly|c\.)?[ \t]*"
            rf"(?P<n1>{_NUM})[ \t]*(?P<m1>{mult})?\b(?![ \t]*(?:%|am\b|pm\b|:\d|/))",
            re.IGNORECASE,
        )
        self.unit_tail = re.compile(rf"(?<!\w)(?:{count})[ \t]*$", re.IGNORECASE)
        self.word_starts = re.compile(rf"\b(?:{_WORD_NUM})\b", re.IGNORECASE)
        self.period_anywhere = re.compile(
            rf"(?:/[ \t]*|\b(?:per|a|each|every)[ \t]+)(?P<p>{period})\b"
            rf"|\b(?P<q>monthly|daily|weekly|annually|yearly)\b",
            re.IGNORECASE,
        )

    def _value(self, number: str, multiplier: str | None) -> float:
        scale = self.multipliers.get((multiplier or "").lower(), 1.0)
        if number[0].isdigit():
            return float(number.replace(",", "")) * scale
        return _word_value(number) * scale

    def _matches(self, text: str) -> Iterator[re.Match[str]]:
        """Same matches as `self.regex.finditer(text)`, tried only where a number starts (much faster)."""
        resume = 0
        starts = [run.start() for run in _DIGIT_RUN.finditer(text)]
        low = text.lower()
        for word in _SCALE_OR_TENS:
            at = low.find(word)
            while at >= 0:
                starts.extend(w.start() for w in self.word_starts.finditer(text, max(0, at - 24), at + len(word)))
                at = low.find(word, at + 1)
        if len(starts) > 1:
            starts = sorted(set(starts))
        for start in starts:
            if start < resume:
                continue
            m = self.regex.match(text, start)
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
            if not period and unit_word in self.rate_units:
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
        for sep in _SEP_DIGIT.finditer(text):
            lo = max(0, sep.start() - 40)
            tail = self.unit_tail.search(text[lo : sep.start()])
            unit = self.unit_first.match(text, lo + tail.start()) if tail else None
            if unit is None:
                continue
            value = self._value(unit.group("n1"), unit.group("m1"))
            if value >= 2 and not any(v.start <= unit.start("n1") < v.end for v in found):
                found.append(
                    Volume(value, self.count_units[unit.group("unit").lower()], unit.start(), unit.end(), False)
                )
        found.sort(key=lambda v: v.start)
        return found


def _word_value(words: str) -> float:
    """Value of a number written in words: "four thousand" -> 4000, "twenty-five" -> 25, "a few hundred" -> 300."""
    value, current = 0.0, 0.0
    for word in re.sub(r"\s+", " ", words.lower().replace("-", " ")).replace("a few", "a_few").split():
        if word in _SCALES:
            current = (current or 1.0) * _SCALES[word]
            if _SCALES[word] >= 1000:
                value, current = value + current, 0.0
        elif word == "couple":
            current = 2.0
        elif word != "of":
            current += _UNITS_WORDS.get(word, 0)
    return value + current


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
