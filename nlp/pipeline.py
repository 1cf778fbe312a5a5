"""Build the spaCy pipeline: fast tokenizer, note segmenter, phrase matcher, speaker turns, call analyzer."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import spacy
from spacy.attrs import NORM
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from nlp.analysis import CallAnalyzer
from nlp.lexicon import DATA_DIR, Lexicon, load_lexicon
from nlp.matching import CallMatcher
from nlp.patterns import normalise
from nlp.segmenter import NoteSegmenter
from nlp.speakers import SpeakerConfig, find_labels, label_turns, resolve_roles, segment_turns, token_turn_index
from nlp.tokenizer import NoteTokenizer

for _name in ("call_hits", "call_turns", "call_turn_index", "call_analysis", "call_sent_id", "call_sent_starts"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@lru_cache(maxsize=8)
def cached_lexicon(directory: str) -> Lexicon:
    """Load a lexicon once per directory per process."""
    return load_lexicon(Path(directory))


class SpeakerTurns:
    """Assigns speaker turns (transcript segments or labelled lines) and a per-token turn index."""

    def __init__(self, config: SpeakerConfig) -> None:
        self.config = config

    def __call__(self, doc: Doc) -> Doc:
        """Set `doc._.call_turns` and `doc._.call_turn_index`."""
        spans = doc.user_data.get("segment_spans")
        own_people: frozenset[str] = doc.user_data.get("own_people") or frozenset()
        if spans:
            turns = segment_turns(spans, self.config, own_people)
        else:
            text = doc.user_data.get("text") or doc.text
            labels = find_labels(text, self.config, own_people) if ":" in text else []
            doc.user_data["label_bodies"] = {start: body for start, body, _, _ in labels}
            turns = label_turns(text, self.config, own_people, labels)
        if turns:
            self_ids = [doc[s].idx for label, s, _ in doc._.call_hits or () if label == "SELF"]
            turns = resolve_roles(turns, self_ids)
        doc._.call_turns = turns
        doc._.call_turn_index = token_turn_index(doc, turns)
        return doc


@Language.factory("note_segmenter")
def make_note_segmenter(nlp: Language, name: str) -> NoteSegmenter:
    """spaCy factory for the note sentence segmenter."""
    return NoteSegmenter(nlp.vocab.strings)


@Language.factory("call_matcher", default_config={"lexicon_dir": str(DATA_DIR), "own_names": ["Telnyx"]})
def make_call_matcher(nlp: Language, name: str, lexicon_dir: str, own_names: list[str]) -> CallMatcher:
    """spaCy factory for the lexicon matcher."""
    return CallMatcher(nlp.vocab, cached_lexicon(lexicon_dir), tuple(own_names))


@Language.factory("speaker_turns", default_config={"lexicon_dir": str(DATA_DIR), "own_names": ["Telnyx"]})
def make_speaker_turns(nlp: Language, name: str, lexicon_dir: str, own_names: list[str]) -> SpeakerTurns:
    """spaCy factory for speaker turn detection."""
    return SpeakerTurns(SpeakerConfig.from_lexicon(cached_lexicon(lexicon_dir).speakers, tuple(own_names)))


@Language.factory("call_analyzer", default_config={"lexicon_dir": str(DATA_DIR)})
def make_call_analyzer(nlp: Language, name: str, lexicon_dir: str) -> CallAnalyzer:
    """spaCy factory for the signal decision rules."""
    return CallAnalyzer(cached_lexicon(lexicon_dir))


def _lex_attr_getters(vocab: Vocab) -> dict[int, Callable[[str], Any]]:
    """The vocab's lexeme attribute getters (a Cython attribute that spaCy's Vocab stub does not declare)."""
    getters: dict[int, Callable[[str], Any]] = cast(Any, vocab).lex_attr_getters
    return getters


def build_pipeline(own_names: tuple[str, ...] = ("Telnyx",), lexicon_dir: Path = DATA_DIR) -> Language:
    """Assemble the call-signal pipeline on top of `spacy.blank("en")` (no model download needed)."""
    nlp = spacy.blank("en")
    typos = cached_lexicon(str(lexicon_dir)).typos
    getters = _lex_attr_getters(nlp.vocab)
    getters[NORM] = lambda word: typos.get(normalise(word), normalise(word))
    for lexeme in nlp.vocab:
        lexeme.norm_ = getters[NORM](lexeme.orth_)
    nlp.tokenizer = NoteTokenizer(nlp.vocab)
    conf = {"lexicon_dir": str(lexicon_dir), "own_names": list(own_names)}
    nlp.add_pipe("note_segmenter")
    nlp.add_pipe("call_matcher", config=conf)
    nlp.add_pipe("speaker_turns", config=conf)
    nlp.add_pipe("call_analyzer", config={"lexicon_dir": str(lexicon_dir)})
    return nlp
