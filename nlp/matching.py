"""One pass of spaCy PhraseMatchers that finds every lexicon phrase (signals, cues, names) in a note.

Phrases expand to literal token sequences matched on a normalised NORM attribute (lower case, numbers
unified, known typos fixed); phrases with `..` gaps are matched per segment and chained within a sentence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import numpy as np
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from nlp.lexicon import Lexicon
from nlp.patterns import compile_phrase

Hit = tuple[str, int, int]
MAX_GAP = 3


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
    """Finds lexicon phrases; stores sorted `(label, start, end)` token hits on `doc._.call_hits`."""

    def __init__(self, vocab: Vocab, lexicon: Lexicon, own_names: tuple[str, ...]) -> None:
        self.vocab = vocab
        self.norm = PhraseMatcher(vocab, attr="NORM")
        self.orth = PhraseMatcher(vocab, attr="ORTH")
        self.chains: list[tuple[str, tuple[str, ...]]] = []
        for label, phrase in labelled_phrases(lexicon):
            compiled = compile_phrase(phrase, own_names)
            target = self.orth if compiled.case_sensitive else self.norm
            if len(compiled.segments) == 1:
                target.add(label, [Doc(vocab, words=list(seq)) for seq in compiled.segments[0]])
                continue
            seg_labels = tuple(f"G{len(self.chains)}:{k}" for k in range(len(compiled.segments)))
            for seg_label, alternatives in zip(seg_labels, compiled.segments, strict=True):
                target.add(seg_label, [Doc(vocab, words=list(seq)) for seq in alternatives])
            self.chains.append((label, seg_labels))

    def __call__(self, doc: Doc) -> Doc:
        """Run both matchers once over `doc` and chain gap segments."""
        strings = self.vocab.strings
        found: set[Hit] = set()
        segments: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for matcher in (self.norm, self.orth):
            for match_id, start, end in matcher(doc):
                label = strings[match_id]
                if label[0] == "G" and ":" in label:
                    segments[label].append((start, end))
                else:
                    found.add((label, start, end))
        if segments:
            sent_id = doc._.call_sent_id
            for label, seg_labels in self.chains:
                if seg_labels[0] in segments:
                    found.update(_chain(label, seg_labels, segments, sent_id))
        doc._.call_hits = sorted(found, key=lambda hit: (hit[1], hit[2], hit[0]))
        return doc


def _chain(
    label: str, seg_labels: tuple[str, ...], segments: dict[str, list[tuple[int, int]]], sent_id: np.ndarray
) -> Iterator[Hit]:
    """Join segment matches separated by at most MAX_GAP tokens inside one sentence."""
    partial = [(s, e) for s, e in segments[seg_labels[0]]]
    for seg_label in seg_labels[1:]:
        nxt = segments.get(seg_label)
        if not nxt:
            return
        partial = [
            (s, e2)
            for s, e in partial
            for s2, e2 in nxt
            if e <= s2 <= e + MAX_GAP and sent_id[s2] == sent_id[s] and sent_id[e2 - 1] == sent_id[s]
        ]
    for start, end in partial:
        yield (label, start, end)
