"""Sentence boundaries for call notes: line breaks, bullets and sentence-final punctuation."""

from __future__ import annotations

import numpy as np
from spacy.attrs import IS_LOWER, IS_SPACE, ORTH, SENT_START
from spacy.tokens import Doc

_END_MARKS = (".", "!", "?")


class NoteSegmenter:
    """Marks a sentence start after line breaks and after `.`/`!`/`?` unless a lowercase word follows."""

    def __init__(self, vocab_strings) -> None:
        self.end_hashes = np.array([vocab_strings.add(mark) for mark in _END_MARKS], dtype=np.uint64)

    def __call__(self, doc: Doc) -> Doc:
        """Set `is_sent_start` on every token of `doc` in one vectorised pass."""
        n = len(doc)
        if n == 0:
            return doc
        arr = doc.to_array([ORTH, IS_SPACE, IS_LOWER])
        orth, is_space, is_lower = arr[:, 0].astype(np.uint64), arr[:, 1].astype(bool), arr[:, 2].astype(bool)
        newline = np.zeros(n, dtype=bool)
        for i in np.flatnonzero(is_space):
            newline[i] = "\n" in doc[int(i)].text
        ends = np.isin(orth, self.end_hashes)
        starts = np.zeros(n, dtype=bool)
        starts[0] = True
        starts[1:] |= newline[:-1] | newline[1:]
        starts[1:] |= ends[:-1] & ~is_lower[1:]
        doc.from_array([SENT_START], np.where(starts, 1, -1).astype(np.int32).reshape(-1, 1).astype(np.uint64))
        return doc
