"""Counts and amounts as sales data carries them: "50-100", "1,000+", "10k-50k", "51-200 employees", "~500",
"under 50", "$2.5M", and urgency as words. Each becomes one representative number, by documented rules:

- a range "a-b" (also "a to b", "between a and b") -> its midpoint, rounded;
- "a+", "over a", "more than a", "at least a" -> a (the least it can be);
- "under b", "less than b", "< b", "up to b" -> b / 2 (half the ceiling);
- "~a", "about a", "approx. a", "a ish" -> a;
- k / m / b (and thousand / million / billion) multiply; commas, spaces, currency signs and a trailing noun
  ("employees", "people", "staff", "FTE", "per year") are ignored.
Anything else is refused with a message that quotes the input and shows the accepted forms.
"""

from __future__ import annotations

import re

_SCALE = {
    "": 1, "k": 1_000, "thousand": 1_000, "m": 1_000_000, "mm": 1_000_000, "mn": 1_000_000, "million": 1_000_000,
    "b": 1_000_000_000, "bn": 1_000_000_000, "billion": 1_000_000_000,
}  # fmt: skip
_NUMBER = r"(\d+(?:\.\d+)?)\s*(thousand|million|billion|mm|mn|bn|k|m|b)?"
_NOUNS = re.compile(
    r"\b(employees?|people|persons?|staff|heads?|headcount|fte|ftes|workers|seats|users|"
    r"usd|eur|gbp|dollars?|revenue|per\s+year|a\s+year|/\s*y(?:ea)?r|annual(?:ly)?|arr)\b\.?"
)
_RANGE = re.compile(rf"^(?:between\s+)?{_NUMBER}\s*(?:-|–|—|to|and)\s*{_NUMBER}$")
_AT_LEAST = re.compile(rf"^(?:(?:over|more\s+than|at\s+least|above|>=?)\s*{_NUMBER}|{_NUMBER}\s*\+)$")
_UNDER = re.compile(rf"^(?:under|less\s+than|fewer\s+than|below|up\s+to|<=?)\s*{_NUMBER}$")
_ABOUT = re.compile(rf"^(?:~|about|around|approx\.?|approximately|roughly|circa|ca\.?)?\s*{_NUMBER}\s*(?:ish)?$")
ACCEPTED = 'a number or an approximation such as "50-100", "1,000+", "10k-50k", "under 50", "~500", "$2.5M"'
URGENCY_WORDS = {
    "very low": 1, "none": 1, "low": 2, "medium": 3, "normal": 3, "moderate": 3, "high": 4, "urgent": 5,
    "very high": 5, "critical": 5, "asap": 5,
}  # fmt: skip


def _value(number: str, scale: str | None) -> float:
    return float(number) * _SCALE[(scale or "").lower()]


def _clean(text: str) -> str:
    cleaned = text.strip().lower().replace(",", "").replace("_", "")
    cleaned = re.sub(r"[$€£¥]", "", cleaned)
    cleaned = _NOUNS.sub("", cleaned)
    return re.sub(r"\s+", " ", cleaned).strip(" .")


def parse_quantity(text: str) -> float:
    """The representative number of a count or amount written as people write them (rules in the module
    docstring); ValueError naming the accepted forms when the text is none of them."""
    cleaned = _clean(text)
    if match := _RANGE.match(cleaned):
        low, high = _value(*match.group(1, 2)), _value(*match.group(3, 4))
        if high < low:
            raise ValueError(f"{text!r}: the range ends below where it starts")
        return (low + high) / 2
    if match := _AT_LEAST.match(cleaned):
        groups = match.groups()
        number, scale = (groups[0], groups[1]) if groups[0] is not None else (groups[2], groups[3])
        return _value(number, scale)
    if match := _UNDER.match(cleaned):
        return _value(*match.group(1, 2)) / 2
    if match := _ABOUT.match(cleaned):
        return _value(*match.group(1, 2))
    raise ValueError(f"{text[:60]!r} is not {ACCEPTED}")


def parse_count(text: str) -> int:
    """parse_quantity rounded to a whole number (for head counts)."""
    return round(parse_quantity(text))


def parse_urgency(text: str) -> int:
    """Urgency 1-5 from a digit ("4", "4/5") or a word ("high", "urgent"); ValueError otherwise."""
    cleaned = text.strip().lower()
    if match := re.fullmatch(r"([1-5])(?:\s*/\s*5)?", cleaned):
        return int(match.group(1))
    if cleaned in URGENCY_WORDS:
        return URGENCY_WORDS[cleaned]
    raise ValueError(f"urgency {text[:40]!r} is not 1-5 or one of: {', '.join(sorted(URGENCY_WORDS))}")
