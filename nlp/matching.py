"""One pass of spaCy PhraseMatchers that finds every lexicon phrase (signals, cues, names) in a note.

Phrases expand to literal token sequences matched on a normalised NORM attribute (lower case, numbers
unified, known typos fixed); phrases with `..` gaps are matched per segment and chained within a sentence.
A signal chain whose gap holds a negation cue ("budget has not been approved") is dropped. Spoken
transcripts ("we're uh we're looking at like an AI voice agent") are matched with their fillers and
stuttered repeats skipped, so phrases still line up; hits are mapped back to the original tokens.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterator

import numpy as np
from spacy.attrs import IS_ALPHA, NORM, ORTH
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from nlp.lexicon import Lexicon
from nlp.patterns import PatternError, compile_phrase

Hit = tuple[str, int, int]
MAX_GAP = 3
NEGATION_CUE = "Q|negation_before"
# Spoken hesitations; "like" counts as one only in a note that has some of these and not after these words.
FILLERS = ("um", "umm", "uh", "uhh", "uhm", "er", "erm", "ehm", "hmm", "hm", "mm", "mhm")
LIKE_KEEPERS = (
    "would",
    "'d",
    "i",
    "we",
    "you",
    "they",
    "to",
    "n't",
    "not",
    "really",
    "look",
    "looks",
    "looked",
    "sounds",
    "sound",
    "seems",
    "feel",
    "feels",
    "felt",
    "something",
    "more",
    "just",
    "things",
    "stuff",
)


def labelled_phrases(lexicon: Lexicon) -> Iterator[tuple[str, str]]:
    """Yield (label, phrase) for everything the matcher looks for; labels are `KIND|name`."""
    for rule in lexicon.signals.values():
        yield from ((f"S|{rule.name}", p) for p in rule.phrases)
        yield from ((f"X|{rule.name}", p) for p in rule.exclude)
    for kind, phrases in lexicon.cues.items():
        yield from ((f"Q|{kind}", p) for p in phrases)
    for comp in lexicon.competitors.values():
        yield from ((f"C|{comp.name}", p) for p in comp.aliases)
    for level, phrases in lexicon.urgency.items():
        yield from ((f"U|{level}", p) for p in phrases)
    yield from (("U|exclude", p) for p in lexicon.urgency_exclude)
    yield from (("T|pos", p) for p in lexicon.sentiment_positive)
    yield from (("T|neg", p) for p in lexicon.sentiment_negative)
    yield from (("SELF", p) for p in lexicon.speakers.get("self_identification", ()))
    yield ("DUR", duration_phrase(lexicon))


def duration_phrase(lexicon: Lexicon) -> str:
    """The phrase for "in 3 weeks", "within the next 60 days", "in a couple of months"."""
    conf = lexicon.durations
    leads = "|".join(str(w).replace(" ", "_") for w in conf.get("lead_words", ()))
    numbers = "|".join(["#num", *(str(w) for w in conf.get("number_words", {}))])
    units = "|".join(str(u) for u in conf.get("units", {}))
    return f"{leads} the? {numbers} of? {units}"


class CallMatcher:
    """Finds lexicon phrases; stores `(label, start, end)` token hits sorted by position on `doc._.call_hits`.

    One PhraseMatcher on NORM does all the work; case-sensitive phrases match on NORM too and are then
    checked against the exact token text (they are few, so this is cheaper than a second matcher pass).
    """

    def __init__(self, vocab: Vocab, lexicon: Lexicon, own_names: tuple[str, ...]) -> None:
        self.vocab = vocab
        self.matcher = PhraseMatcher(vocab, attr="NORM")
        self.chains: list[tuple[str, tuple[str, ...]]] = []
        self.exact: dict[str, set[tuple[str, ...]]] = {}
        targets: dict[tuple[str, ...], list[str]] = {}
        segment_labels: dict[tuple[tuple[str, ...], ...], str] = {}

        def add(key: str, sequences: tuple[tuple[str, ...], ...]) -> None:
            for seq in sequences:
                targets.setdefault(seq, []).append(key)

        for label, phrase in labelled_phrases(lexicon):
            compiled = compile_phrase(phrase, own_names)
            if len(compiled.segments) == 1:
                key = label
                if compiled.case_sensitive:
                    key = f"={label}"
                    self.exact.setdefault(key, set()).update(compiled.segments[0])
                add(key, compiled.segments[0])
                continue
            if compiled.case_sensitive:
                raise PatternError(f"phrase {phrase!r}: case-sensitive phrases cannot have gaps")
            seg_labels = []
            for alternatives in compiled.segments:
                seg_label = segment_labels.get(alternatives)
                if seg_label is None:
                    seg_label = segment_labels[alternatives] = f"G{len(segment_labels)}"
                    add(seg_label, alternatives)
                seg_labels.append(seg_label)
            self.chains.append((label, tuple(seg_labels)))
        self.chains_by_first: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
        for label, chain in self.chains:
            self.chains_by_first[chain[0]].append((label, chain))
        # Each distinct token sequence is matched once and fanned out to every label that uses it, so phrases
        # sharing words ("calls", "phone") cost one match, not one per phrase.
        by_labels: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for seq, seq_keys in targets.items():
            by_labels.setdefault(tuple(dict.fromkeys(seq_keys)), []).append(seq)
        # Per match id: (chain-opening segments it belongs to, or None when it is in no segment; direct labels;
        # case-sensitive labels). `segment_matches` maps each segment back to its match ids.
        self.fanout: dict[int, tuple[tuple[str, ...] | None, tuple[str, ...], tuple[str, ...]]] = {}
        members: dict[str, list[int]] = defaultdict(list)
        for n, (keys, seqs) in enumerate(by_labels.items()):
            match_key = f"M{n}"
            self.matcher.add(match_key, [Doc(vocab, words=list(seq)) for seq in seqs])
            match_id = vocab.strings.add(match_key)
            segs = [k for k in keys if k[0] == "G"]
            for seg in segs:
                members[seg].append(match_id)
            self.fanout[match_id] = (
                tuple(k for k in segs if k in self.chains_by_first) if segs else None,
                tuple(k for k in keys if k[0] not in "G="),
                tuple(k for k in keys if k[0] == "="),
            )
        self.segment_matches = {seg: tuple(ids) for seg, ids in members.items()}
        self.match_segments: dict[int, frozenset[str]] = defaultdict(frozenset)
        for seg, ids in members.items():
            for match_id in ids:
                self.match_segments[match_id] = self.match_segments[match_id] | {seg}
        self.fillers = np.array([vocab.strings.add(w) for w in FILLERS], dtype=np.uint64)
        self.like = vocab.strings.add("like")
        self.like_keepers = np.array([vocab.strings.add(w) for w in LIKE_KEEPERS], dtype=np.uint64)

    def _spoken_parts(self, doc: Doc) -> tuple[np.ndarray, np.ndarray] | None:
        """(kept token indexes, per-token flag) for sentences holding fillers or stutters; None when there are none.

        Only those sentences are re-matched with fillers and stuttered repeats skipped; the rest keep their hits.
        """
        if len(doc) < 2:
            return None
        arr = doc.to_array([NORM, IS_ALPHA])
        norm, alpha = arr[:, 0].astype(np.uint64), arr[:, 1].astype(bool)
        filler = np.isin(norm, self.fillers)
        if not filler.any():
            return None
        like = norm == self.like
        like[1:] &= ~np.isin(norm[:-1], self.like_keepers)
        drop = filler | like
        drop[1:] |= (norm[1:] == norm[:-1]) & alpha[1:]
        pair = (norm[2:-1] == norm[:-3]) & (norm[3:] == norm[1:-2]) & alpha[:-3]
        drop[2:-1] |= pair
        drop[3:] |= pair
        sent_id = doc._.call_sent_id
        affected = np.isin(sent_id, np.unique(sent_id[drop]))
        return np.flatnonzero(affected & ~drop), affected

    def _match(self, target: Doc, sent_id: np.ndarray) -> set[tuple[int, int, str]]:
        """Phrase hits in `target`: single-segment phrases, checked case-sensitive ones and chained gap phrases.

        Gap-segment spans are kept per match id (one append per match) and gathered per segment only for the
        chains whose first segment occurs, since a common word belongs to dozens of segments.
        """
        fanout = self.fanout
        found: set[tuple[int, int, str]] = set()
        by_match: dict[int, list[tuple[int, int]]] = {}
        grouped: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for match_id, start, end in self.matcher(target):
            grouped[match_id].append((start, end))
        for match_id, spans in grouped.items():
            firsts, direct, exact = fanout[match_id]
            if firsts is not None:
                by_match[match_id] = spans
            for label in direct:
                found.update([(start, end, label) for start, end in spans])
            for label in exact:
                for start, end in spans:
                    if tuple(t.text for t in target[start:end]) in self.exact[label]:
                        found.add((start, end, label[1:]))
        if not by_match:
            return found
        present = {first for match_id in by_match for first in fanout[match_id][0] or ()}
        if not present:
            return found
        occurring = set().union(*(self.match_segments[match_id] for match_id in by_match))
        negations = [start for start, _, label in found if label == NEGATION_CUE]
        negated = None
        if negations:
            counts = np.zeros(len(target) + 1, dtype=np.int64)
            np.add.at(counts, np.asarray(negations) + 1, 1)
            negated = np.cumsum(counts).tolist()
        segments = _Segments(by_match, self.segment_matches)
        sents = sent_id.tolist()
        for first in present:
            for label, seg_labels in self.chains_by_first[first]:
                if not occurring.issuperset(seg_labels):
                    continue
                spans = _chain(seg_labels, segments, sents, negated if label[0] == "S" else None)
                if spans:
                    found.update([(s, e, label) for s, e in spans])
        return found

    def __call__(self, doc: Doc) -> Doc:
        """Match `doc` once; sentences with spoken fillers are matched again without them and mapped back."""
        sent_id = doc._.call_sent_id
        found = self._match(doc, sent_id)
        spoken = self._spoken_parts(doc)
        if spoken is not None:
            kept, affected = spoken
            found = {hit for hit in found if not affected[hit[0]]}
            if len(kept):
                strings = doc.vocab.strings
                part = Doc(doc.vocab, words=[strings[orth] for orth in doc.to_array(ORTH)[kept].tolist()])
                hits = self._match(part, sent_id[kept])
                found.update((int(kept[s]), int(kept[e - 1]) + 1, label) for s, e, label in hits)
        doc._.call_hits = [(label, start, end) for start, end, label in sorted(found)]
        return doc


class _Segments:
    """Per-document spans of each gap segment (sorted, with their starts), gathered lazily from match ids."""

    def __init__(self, by_match: dict[int, list[tuple[int, int]]], segment_matches: dict[str, tuple[int, ...]]) -> None:
        self.by_match = by_match
        self.segment_matches = segment_matches
        self.cache: dict[str, tuple[list[tuple[int, int]], list[int]]] = {}

    def get(self, seg_label: str) -> tuple[list[tuple[int, int]], list[int]]:
        """(spans sorted by start, their starts) of one segment in this document."""
        cached = self.cache.get(seg_label)
        if cached is None:
            spans: list[tuple[int, int]] = []
            for match_id in self.segment_matches[seg_label]:
                found = self.by_match.get(match_id)
                if found:
                    spans.extend(found)
            spans.sort()
            cached = self.cache[seg_label] = (spans, [s for s, _ in spans])
        return cached


def _chain(
    seg_labels: tuple[str, ...],
    segments: _Segments,
    sent_id: list[int],
    negated: list[int] | None,
) -> list[tuple[int, int]]:
    """Spans joining segment matches separated by at most MAX_GAP tokens inside one sentence (most chains find
    none, so this returns a plain list rather than a generator the caller would have to drain).

    Each partial chain finds its possible continuations by bisecting the next segment's sorted starts.
    `negated[i]` counts negation cues starting before token i; a gap holding one breaks the chain.
    """
    partial = segments.get(seg_labels[0])[0]
    for seg_label in seg_labels[1:]:
        nxt, starts = segments.get(seg_label)
        if not nxt:
            return []
        joined = []
        for s, e in partial:
            lo = bisect_left(starts, e)
            hi = bisect_right(starts, e + MAX_GAP, lo)
            if lo == hi:
                continue
            sent = sent_id[s]
            for s2, e2 in nxt[lo:hi]:
                if sent_id[s2] == sent and sent_id[e2 - 1] == sent and (negated is None or negated[s2] == negated[e]):
                    joined.append((s, e2))
        if not joined:
            return []
        partial = joined
    return partial
