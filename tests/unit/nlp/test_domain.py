"""CallSignals / Evidence value objects."""

from __future__ import annotations

import json

import pytest

from nlp import BOOLEAN_SIGNALS, URGENCY_LEVELS, CallSignals, Evidence


def test_empty_has_nothing_active() -> None:
    empty = CallSignals.empty()
    assert empty.active_signals() == []
    assert empty.urgency is None and empty.competitors == () and empty.evidence == ()


def test_to_dict_is_json_safe_and_complete() -> None:
    signals = CallSignals(
        product_voice_ai=True,
        urgency="high",
        competitors=("Twilio",),
        volume_per_month=5e4,
        volume_unit="minutes",
        evidence=(Evidence("product_voice_ai", "needs a voice bot", 0, 17, "Jane", "voice bot"),),
        warnings=("text truncated to 10 chars",),
    )
    data = json.loads(json.dumps(signals.to_dict()))
    for name in (
        *BOOLEAN_SIGNALS,
        "urgency",
        "competitors",
        "volume_per_month",
        "volume_unit",
        "sentiment",
        "prospect_talk_ratio",
        "evidence",
        "truncated",
        "chars_processed",
        "warnings",
    ):
        assert name in data
    assert data["evidence"][0] == {
        "signal": "product_voice_ai",
        "quote": "needs a voice bot",
        "start": 0,
        "end": 17,
        "speaker": "Jane",
        "trigger": "voice bot",
    }
    assert signals.active_signals() == ["product_voice_ai"]


def test_invalid_values_are_rejected() -> None:
    with pytest.raises(ValueError):
        CallSignals(urgency="tomorrow")
    with pytest.raises(ValueError):
        CallSignals(sentiment=1.5)
    assert URGENCY_LEVELS == ("high", "medium", "low")
