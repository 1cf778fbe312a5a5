"""Sentence boundaries for call notes: line breaks, bullets and sentence-final punctuation."""

from __future__ import annotations

import re
from typing import cast

import numpy as np
from spacy.attrs import IDX, IS_LOWER, ORTH, SENT_START
from spacy.strings import StringStore
from spacy.tokens import Doc
from thinc.types import Ints2d

_END_MARKS = (".", "!", "?")
_NEWLINE_RE = re.compile(r"\n")


class NoteSegmenter:
    """Marks sentence starts after line breaks and `.`/`!`/`?` (unless a lowercase word follows).

    Also stores `doc._.call_sent_id` (sentence number per token) and `doc._.call_sent_starts` (bounds).
    """

    def __init__(self, vocab_strings: StringStore) -> None:
        self.end_hashes = np.array([vocab_strings.add(mark) for mark in _END_MARKS], dtype=np.uint64)

    def __call__(self, doc: Doc) -> Doc:
        """Set `is_sent_start` on every token of `doc` in one vectorised pass."""
        n = len(doc)
        if n == 0:
            doc._.call_sent_id = np.zeros(0, dtype=np.int64)
            doc._.call_sent_starts = np.zeros(1, dtype=np.int64)
            return doc
        arr = doc.to_array([ORTH, IS_LOWER, IDX])
        orth, is_lower, idx = arr[:, 0].astype(np.uint64), arr[:, 1].astype(bool), arr[:, 2].astype(np.int64)
        text = doc.user_data.get("text") or doc.text
        breaks = np.fromiter((m.start() for m in _NEWLINE_RE.finditer(text)), dtype=np.int64)
        newline = np.zeros(n, dtype=bool)
        newline[np.searchsorted(idx, breaks, side="right") - 1] = True
        ends = np.isin(orth, self.end_hashes)
        starts = np.zeros(n, dtype=bool)
        starts[0] = True
        starts[1:] |= newline[:-1] | newline[1:]
        starts[1:] |= ends[:-1] & ~is_lower[1:]
        # The -1/1 flags travel as uint64 (spaCy reinterprets them); thinc's stub names the array Ints2d.
        sent_starts = np.where(starts, 1, -1).astype(np.int32).reshape(-1, 1).astype(np.uint64)
        doc.from_array([SENT_START], cast(Ints2d, sent_starts))
        doc._.call_sent_id = np.cumsum(starts) - 1
        doc._.call_sent_starts = np.append(np.flatnonzero(starts), n)
        return doc


def sentence_bounds(doc: Doc, token: int) -> tuple[int, int]:
    """Token range [start, end) of the sentence holding `token`, from the segmenter's arrays."""
    sent = int(doc._.call_sent_id[token])
    starts = doc._.call_sent_starts
    return int(starts[sent]), int(starts[sent + 1])
