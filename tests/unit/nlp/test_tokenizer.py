"""The cached spaCy note tokenizer must split exactly like the reference `split_words` (phrases use the latter)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.extractor import SignalExtractor
from nlp.tokenizer import split_words

PIECES = ["a", "Bc", " ", "  ", "\n", "\t", ".", "'s", "n't", "don't", "1,500", "2.5k", "é", "_", "'", "-", "$", "\n "]


def _tokens(extractor: SignalExtractor, text: str) -> tuple[list[str], list[bool]]:
    doc = extractor.nlp.make_doc(text)
    return [t.text for t in doc], [bool(t.whitespace_) for t in doc]


def test_known_cases(extractor: SignalExtractor) -> None:
    for text in ("", " ", "  x", "x  ", "a \n  b\t c", "(1,500) $2.5k don't!!", "we'll it's-fine rock'n'roll"):
        assert _tokens(extractor, text) == split_words(text), repr(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=25))
def test_same_tokens_as_reference_on_note_like_text(extractor: SignalExtractor, pieces: list[str]) -> None:
    text = "".join(pieces)
    assert _tokens(extractor, text) == split_words(text)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_same_tokens_as_reference_on_any_text(extractor: SignalExtractor, text: str) -> None:
    assert _tokens(extractor, text) == split_words(text)
    assert extractor.nlp.make_doc(text).text == text
