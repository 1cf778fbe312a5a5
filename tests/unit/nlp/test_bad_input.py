"""Hostile and odd inputs: no crash, bounded work, and offsets that still point into the original text."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from nlp import SignalExtractor
from nlp.tokenizer import split_words


def test_empty_and_whitespace(extractor: SignalExtractor) -> None:
    for text in ("", "   ", "\n\n"):
        result = extractor.extract(text)
        assert result.active_signals() == [] and result.chars_processed == len(text)


def test_one_megabyte_is_truncated_and_says_so(extractor: SignalExtractor) -> None:
    text = "They need SMS for reminders and asked for pricing. " * 21000
    result = extractor.extract(text)
    assert result.truncated
    assert result.chars_processed <= extractor.max_chars
    assert any("truncated" in w for w in result.warnings)
    assert result.product_messaging and result.pricing_requested


def test_binary_junk(extractor: SignalExtractor) -> None:
    rng = random.Random(1)
    junk = bytes(rng.randrange(256) for _ in range(20000)).decode("latin-1")
    result = extractor.extract(junk)
    assert "input looks like binary data" in result.warnings


def test_non_english_is_flagged(extractor: SignalExtractor) -> None:
    result = extractor.extract(
        "El cliente necesita una solución de llamadas con inteligencia artificial para su centro."
    )
    assert "little English text found" in result.warnings


def test_html_offsets_point_into_original(extractor: SignalExtractor) -> None:
    text = "<div><p>Prospect wants <b>SMS</b> &amp; MMS.</p><p>Asked for <i>pricing</i>.</p></div>"
    result = extractor.extract(text)
    assert result.product_messaging and result.pricing_requested
    for ev in result.evidence:
        original = text[ev.start : ev.end]
        assert all(word in original for word in ev.quote.replace("&", "").split() if word.isalpha())


def test_markdown_speaker_labels(extractor: SignalExtractor) -> None:
    text = "**Sam Lee (Telnyx)**: We also sell IoT SIMs.\n**Jane Doe (Acme)**: We only need SIP trunking."
    result = extractor.extract(text)
    assert result.product_voice and not result.product_wireless
    voice = next(e for e in result.evidence if e.signal == "product_voice")
    assert voice.speaker == "Jane Doe (Acme)"
    assert "SIP trunking" in text[voice.start : voice.end]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_tokenizer_preserves_text(text: str) -> None:
    words, spaces = split_words(text)
    assert "".join(w + (" " if s else "") for w, s in zip(words, spaces, strict=True)) == text


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_valid_offsets(text: str) -> None:
    from nlp import extract_signals

    result = extract_signals(text)
    for ev in result.evidence:
        assert 0 <= ev.start <= ev.end <= len(text)
