"""One pass of spaCy Matcher/PhraseMatchers that finds every lexicon phrase (signals, cues, names) in a note."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from nlp.lexicon import Lexicon
from nlp.patterns import compile_phrase

Hit = tuple[str, int, int]


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


def duration_patterns(lexicon: Lexicon) -> list[list[dict]]:
    """Matcher patterns for "in 3 weeks", "within a couple of months", "next 10 days"."""
    conf = lexicon.durations
    leads = [str(w).lower() for w in conf.get("lead_words", ())]
    units = [str(u).lower() for u in conf.get("units", {})]
    words = [str(w).lower() for w in conf.get("number_words", {})]
    patterns = []
    for lead in leads:
        head = [{"LOWER": w} for w in lead.split()]
        for number in ({"LIKE_NUM": True}, {"LOWER": {"IN": words}}):
            patterns.append(
                [*head, {"LOWER": "the", "OP": "?"}, number, {"LOWER": "of", "OP": "?"}, {"LOWER": {"IN": units}}]
            )
    return patterns


class CallMatcher:
    """Finds lexicon phrases; stores sorted `(label, start, end)` token hits on `doc._.call_hits`."""

    def __init__(self, vocab: Vocab, lexicon: Lexicon, own_names: tuple[str, ...]) -> None:
        self.vocab = vocab
        self.matcher = Matcher(vocab, validate=True)
        self.lower = PhraseMatcher(vocab, attr="LOWER")
        self.orth = PhraseMatcher(vocab, attr="ORTH")
        for label, phrase in labelled_phrases(lexicon):
            for compiled in compile_phrase(phrase, own_names):
                if compiled.literal is not None:
                    target = self.orth if compiled.case_sensitive else self.lower
                    target.add(label, [Doc(vocab, words=list(compiled.literal))])
                else:
                    self.matcher.add(label, [compiled.pattern])
        self.matcher.add("DUR", duration_patterns(lexicon))

    def __call__(self, doc: Doc) -> Doc:
        """Run all matchers once over `doc`."""
        strings = self.vocab.strings
        found = {(strings[m], s, e) for m, s, e in self.matcher(doc)}
        found.update((strings[m], s, e) for m, s, e in self.lower(doc))
        found.update((strings[m], s, e) for m, s, e in self.orth(doc))
        doc._.call_hits = sorted(found, key=lambda hit: (hit[1], hit[2], hit[0]))
        return doc
