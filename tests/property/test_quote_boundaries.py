"""Evidence quotes for any note built from signal phrases, filler and speaker labels: each quote is a substring of
the cleaned note (labels stripped, spaces squashed), at most 200 characters, holds its trigger words, cut on word
boundaries, and appears once per card (`group_quotes`)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp import SignalExtractor
from nlp.evidence import MAX_QUOTE
from scoring.domain import EvidenceItem, group_quotes

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TRIGGERS = [
    "CFO signed off on the budget",
    "wants a quote for SIP trunking",
    "they need an AI voice agent for inbound calls",
    "dropped calls are killing their support team",
    "demo booked for Tuesday",
    "already a Telnyx customer for SMS",
    "no budget until next year",
    "asked for pricing on 10DLC messaging",
    "pilot of eSIM for 500 trackers",
]
WORDS = st.sampled_from(
    ["the", "team", "ops", "really", "logistics", "we", "discussed", "north", "warehouse", "scale", "quarter", "x" * 40]
)
FILLER = st.lists(WORDS, min_size=0, max_size=45).map(" ".join)
LABELS = st.sampled_from(["", "[00:33] Dana Lee: ", "33] Dana Lee: ", "Prospect: ", "- ", "* "])
CLAUSE = st.one_of(st.sampled_from(TRIGGERS), FILLER)
SEPARATORS = st.sampled_from([", ", "; ", " - ", " and ", " "])
SENTENCE = st.lists(st.tuples(CLAUSE, SEPARATORS), min_size=1, max_size=6).map(
    lambda parts: "".join(c + s for c, s in parts).strip(" ,;-") + "."
)
LINE = st.tuples(LABELS, st.lists(SENTENCE, min_size=1, max_size=3).map(" ".join)).map("".join)
NOTE = st.lists(LINE, min_size=1, max_size=6).map("\n".join)
_LABEL = re.compile(r"^(?:\[?\d{1,2}(?::\d{2})?\]\s*)?(?:Dana Lee|Prospect):\s*", re.MULTILINE)


@pytest.fixture(scope="module")
def reader() -> SignalExtractor:
    return SignalExtractor()


def _cleaned(note: str) -> str:
    return " ".join(_LABEL.sub("", note).split())


@FUZZ
@given(note=NOTE)
def test_every_quote_is_a_short_labelless_substring_holding_its_trigger(reader: SignalExtractor, note: str) -> None:
    cleaned = _cleaned(note)
    signals = reader.extract(note)
    for item in signals.evidence:
        assert item.quote, item
        assert len(item.quote) <= MAX_QUOTE, item.quote
        assert item.quote in cleaned, (item.quote, cleaned)
        assert item.trigger and item.trigger in item.quote, item
        at = cleaned.index(item.quote)
        before, after = cleaned[at - 1 : at], cleaned[at + len(item.quote) : at + len(item.quote) + 1]
        assert not (before.isalnum() and item.quote[0].isalnum()), f"starts mid-word: {item.quote!r}"
        assert not (after.isalnum() and item.quote[-1].isalnum()), f"ends mid-word: {item.quote!r}"
    grouped = group_quotes([EvidenceItem(**e.to_dict(), call_id=1) for e in signals.evidence])
    texts = [group.quote for group in grouped]
    assert len(texts) == len(set(texts))
    assert {s for group in grouped for s in group.signals} == {e.signal for e in signals.evidence}
