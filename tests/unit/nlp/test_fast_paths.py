"""Fast paths must find exactly what the plain regex scans find (volumes, speaker labels)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.extractor import SignalExtractor
from nlp.speakers import _LABEL_RE, _label_matches

VOLUME_PIECES = ["1", "2,000", "3.5", "k", " ", "minutes", "/mo", "x", "$", ".", " a month", " per day", "-", "10-20"]
LABEL_PIECES = ["Jane", " ", "Doe", ":", "\n", "(Acme)", "[00:12]", "- ", "x: y", "::", "Rep", "\t"]


def _spans(matches) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in matches]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(VOLUME_PIECES), max_size=14))
def test_volume_fast_scan_equals_full_scan(extractor: SignalExtractor, pieces: list[str]) -> None:
    text = "".join(pieces)
    assert _spans(extractor.volumes._matches(text)) == _spans(extractor.volumes.regex.finditer(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(LABEL_PIECES), max_size=16))
def test_speaker_label_fast_scan_equals_full_scan(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert [(m.span(), m.groups()) for m in _label_matches(text)] == [
        (m.span(), m.groups()) for m in _LABEL_RE.finditer(text)
    ]
