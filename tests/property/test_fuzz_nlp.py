"""The call-signal extractor on hostile input built from its own lexicon: speaker labels, HTML, entities, control
characters, emoji, other scripts, long repeats and odd transcript shapes. It never raises, every evidence offset
points into the original text, and the output stays bounded."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp import BOOLEAN_SIGNALS, URGENCY_LEVELS, CallSignals, extract_signals

FUZZ = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MAX_QUOTE_CHARS = 600
PHRASES = (
    "we need a voice AI agent", "replace our IVR with AI", "budget is approved", "no budget this year",
    "send me pricing", "let's book a follow-up next Tuesday", "start a trial", "not interested",
    "we already use Twilio", "we are an existing customer", "10,000 calls per month", "ASAP", "next quarter",
    "I am the VP of Operations", "SMS and WhatsApp", "eSIM for our fleet", "2FA verification codes",
    "didn't", "if we had budget", "last year we tried", "would you", "?", "!!!",
)  # fmt: skip
NOISE = (
    "<p>", "</p>", "<b>", "<script>alert(1)</script>", "&amp;", "&#x27;", "&nbsp;", "\u200b", "\u202e", "\x00",
    "\x1b[31m", "\r\n", "\t", "🙂", "📞", "Ünïcödé", "語音AI", "صوت", "**", "# ", "> ", "- [ ] ", "```", "\\",
)  # fmt: skip
SPEAKERS = ("Jane Doe: ", "AE (Telnyx): ", "Speaker 1: ", "[00:01:02] Bob: ", "", "")

piece = st.sampled_from(PHRASES) | st.sampled_from(NOISE) | st.sampled_from(SPEAKERS) | st.text(max_size=40)
call_text = st.lists(piece, max_size=40).map(" ".join) | st.text(max_size=1000)
repeated = st.tuples(st.sampled_from(PHRASES), st.integers(1, 120)).map(lambda p: (p[0] + ". ") * p[1])
utterance = st.fixed_dictionaries(
    {},
    optional={
        "speaker": st.none() | st.text(max_size=40) | st.integers(),
        "text": st.none() | call_text | st.integers(),
        "start": st.none() | st.floats(allow_nan=True) | st.text(max_size=5),
        "end": st.none() | st.floats(allow_infinity=True),
    },
)
transcript = st.none() | st.lists(utterance, max_size=20)


def _check(text: str, signals: CallSignals) -> None:
    assert isinstance(signals, CallSignals)
    assert -1.0 <= signals.sentiment <= 1.0
    assert signals.urgency is None or signals.urgency in URGENCY_LEVELS
    assert signals.prospect_talk_ratio is None or 0.0 <= signals.prospect_talk_ratio <= 1.0
    assert set(signals.active_signals()) <= set(BOOLEAN_SIGNALS)
    assert len(signals.evidence) <= 4 * (len(BOOLEAN_SIGNALS) + len(URGENCY_LEVELS))
    for evidence in signals.evidence:
        assert evidence.signal and evidence.quote.strip()
        assert len(evidence.quote) <= MAX_QUOTE_CHARS


@FUZZ
@given(call_text, st.none() | st.text(max_size=200))
def test_any_call_text_is_read_without_error_and_offsets_point_into_it(text: str, title: str | None) -> None:
    signals = extract_signals(text, title)
    _check(text, signals)
    for evidence in signals.evidence:
        assert 0 <= evidence.start < evidence.end <= len(text)
        assert text[evidence.start : evidence.end].strip()


@FUZZ
@given(repeated)
def test_long_repetitive_notes_stay_bounded(text: str) -> None:
    signals = extract_signals(text)
    _check(text, signals)
    assert signals.chars_processed <= len(text)


@FUZZ
@given(call_text, transcript)
def test_odd_transcript_shapes_never_raise(text: str, utterances: list[dict[str, Any]] | None) -> None:
    _check(text, extract_signals(text, None, transcript=utterances))
