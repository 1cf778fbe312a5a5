"""One pass of spaCy PhraseMatchers that finds every lexicon phrase (signals, cues, names) in a note.

Phrases expand to literal token sequences matched on a normalised NORM attribute (lower case, numbers
unified, known typos fixed); phrases with `..` gaps are matched per segment and chained within a sentence.
A signal chain whose gap holds a negation cue ("budget has not been approved") is dropped. Spoken
transcripts ("we're uh we're looking at like an AI voice agent") are matched with their fillers and
stuttered repeats skipped, so phrases still line up; hits are mapped back to the original tokens.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import numpy as np
from spacy.attrs import IS_ALPHA, NORM
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
        keys: set[str] = set()
        segment_labels: dict[tuple[tuple[str, ...], ...], str] = {}
        for label, phrase in labelled_phrases(lexicon):
            compiled = compile_phrase(phrase, own_names)
            if len(compiled.segments) == 1:
                key = label
                if compiled.case_sensitive:
                    key = f"={label}"
                    self.exact.setdefault(key, set()).update(compiled.segments[0])
                self.matcher.add(key, [Doc(vocab, words=list(seq)) for seq in compiled.segments[0]])
                keys.add(key)
                continue
            if compiled.case_sensitive:
                raise PatternError(f"phrase {phrase!r}: case-sensitive phrases cannot have gaps")
            seg_labels = []
            for alternatives in compiled.segments:
                seg_label = segment_labels.setdefault(alternatives, f"G{len(segment_labels)}")
                if seg_label not in keys:
                    self.matcher.add(seg_label, [Doc(vocab, words=list(seq)) for seq in alternatives])
                    keys.add(seg_label)
                seg_labels.append(seg_label)
            self.chains.append((label, tuple(seg_labels)))
        self.labels = {vocab.strings.add(key): key for key in keys}
        self.fillers = np.array([vocab.strings.add(w) for w in FILLERS], dtype=np.uint64)
        self.like = vocab.strings.add("like")
        self.like_keepers = np.array([vocab.strings.add(w) for w in LIKE_KEEPERS], dtype=np.uint64)

    def _kept_tokens(self, doc: Doc) -> np.ndarray | None:
        """Indexes of the tokens left once spoken fillers and stuttered repeats are skipped; None if nothing is."""
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
        return np.flatnonzero(~drop)

    def __call__(self, doc: Doc) -> Doc:
        """Run the matcher once over `doc` (fillers skipped), check case-sensitive hits and chain gap segments."""
        kept = self._kept_tokens(doc)
        target = doc if kept is None else Doc(doc.vocab, words=[doc[int(i)].text for i in kept])
        sent_id = doc._.call_sent_id if kept is None else doc._.call_sent_id[kept]
        labels = self.labels
        found: set[tuple[int, int, str]] = set()
        segments: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for match_id, start, end in self.matcher(target):
            label = labels[match_id]
            first = label[0]
            if first == "G":
                segments[label].append((start, end))
            elif first == "=":
                if tuple(t.text for t in target[start:end]) in self.exact[label]:
                    found.add((start, end, label[1:]))
            else:
                found.add((start, end, label))
        if segments:
            negated = np.zeros(len(target) + 1, dtype=np.int64)
            for start, _, label in found:
                if label == NEGATION_CUE:
                    negated[start + 1] += 1
            negated = np.cumsum(negated)
            for label, seg_labels in self.chains:
                if seg_labels[0] in segments:
                    chained = _chain(label, seg_labels, segments, sent_id, negated if label[0] == "S" else None)
                    found.update((s, e, label) for label, s, e in chained)
        if kept is not None:
            found = {(int(kept[s]), int(kept[e - 1]) + 1, label) for s, e, label in found}
        doc._.call_hits = [(label, start, end) for start, end, label in sorted(found)]
        return doc


def _chain(
    label: str,
    seg_labels: tuple[str, ...],
    segments: dict[str, list[tuple[int, int]]],
    sent_id: np.ndarray,
    negated: np.ndarray | None,
) -> Iterator[Hit]:
    """Join segment matches separated by at most MAX_GAP tokens inside one sentence.

    `negated[i]` counts negation cues starting before token i; a gap holding one breaks the chain.
    """
    partial = [(s, e) for s, e in segments[seg_labels[0]]]
    for seg_label in seg_labels[1:]:
        nxt = segments.get(seg_label)
        if not nxt:
            return
        partial = [
            (s, e2)
            for s, e in partial
            for s2, e2 in nxt
            if e <= s2 <= e + MAX_GAP
            and sent_id[s2] == sent_id[s]
            and sent_id[e2 - 1] == sent_id[s]
            and (negated is None or negated[s2] == negated[e])
        ]
    for start, end in partial:
        yield (label, start, end)
