"""Turn phrase hits into accepted signal mentions, applying scopes, speakers and reply handling."""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from spacy.tokens import Doc

from nlp.domain import PRODUCT_SIGNALS
from nlp.lexicon import Lexicon, SignalRule
from nlp.matching import labelled_phrases
from nlp.quantities import duration_days, urgency_for_days
from nlp.scope import PITCH, ScopeIndex
from nlp.segmenter import sentence_bounds
from nlp.speakers import OWN, PROSPECT, UNKNOWN, Turn

REPLY_WINDOW = 16
PITCH_DECLINE_WINDOW = 8  # tokens from a pitch cue to a decline that answers it ("pitched eSIM, they passed")
# Evidence prefers prospect words, then unattributed notes, then our rep (see evidence.best_mention); once a
# signal has a mention of some rank, later hits of the same or a worse rank cannot change its evidence.
MENTION_RANK = {PROSPECT: 0, OWN: 2}
MENTION_RANK_MAX = 3
QUESTION = frozenset({"question"})


class Mention(NamedTuple):
    """An accepted mention: token span [start, end) and the turn it belongs to (-1 when none)."""

    start: int
    end: int
    role: int
    turn: int


@dataclass
class Analysis:
    """What one document says, before it becomes a CallSignals value."""

    signals: dict[str, list[Mention]] = field(default_factory=lambda: defaultdict(list))
    competitors: dict[str, list[Mention]] = field(default_factory=lambda: defaultdict(list))
    urgency: list[tuple[str, Mention]] = field(default_factory=list)
    sentiment: float = 0.0
    prospect_talk_ratio: float | None = None


class CallAnalyzer:
    """Decides which hits count: prospect vs rep speech, negation/hypothetical/past/pitch scopes, replies."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.cue_labels = frozenset(
            label for label, _ in labelled_phrases(lexicon) if label[0] in "QX" or label == "U|exclude"
        )

    def __call__(self, doc: Doc) -> Doc:
        """Attach an `Analysis` to `doc._.call_analysis`."""
        doc._.call_analysis = self.analyse(doc)
        return doc

    def analyse(self, doc: Doc) -> Analysis:
        """Run the decision rules over the hits of `doc`."""
        lex = self.lexicon
        hits = doc._.call_hits or []
        turns: list[Turn] = doc._.call_turns or []
        turn_index: np.ndarray = doc._.call_turn_index
        scope = ScopeIndex(doc, hits, self.cue_labels, lex.window, lex.after_window)
        out = Analysis()
        if not len(doc):
            return out

        turn_of = turn_index.tolist()
        roles = [turn.role for turn in turns]
        reported = _reported_tokens(doc, scope) if OWN in roles else frozenset()

        def role(tok: int) -> int:
            t = turn_of[tok]
            if t < 0:
                return UNKNOWN
            return UNKNOWN if roles[t] == OWN and tok in reported else roles[t]

        def mention(start: int, end: int) -> Mention:
            return Mention(start, end, role(start), turn_of[start])

        product_starts = [s for label, s, _ in hits if label[0] == "S" and label[2:] in PRODUCT_SIGNALS]
        rep_products: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
        rep_claims: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
        declines: list[Mention] = []
        settled: dict[str, int] = {}
        cue_labels = self.cue_labels
        tone: list[tuple[str, int, int]] = []
        for label, start, end in hits:
            if label in cue_labels:
                continue
            kind, _, name = label.partition("|")
            if kind == "S":
                rule = lex.signals[name]
                speaker = role(start)
                if rule.speakers == "prospect" and speaker == OWN:
                    if name in PRODUCT_SIGNALS and not scope.negated(start, end):
                        rep_products[turn_of[start]].append((name, start, end))
                    elif self._claimable(rule, name, scope, start, end):
                        rep_claims[turn_of[start]].append((name, start, end))
                    continue
                if speaker == OWN and scope.blocked(QUESTION, start, end):
                    if self._claimable(rule, name, scope, start, end):
                        rep_claims[turn_of[start]].append((name, start, end))
                    continue  # a rep's question ("Any questions on pricing?") is never the prospect's request
                if settled.get(name, MENTION_RANK_MAX) <= MENTION_RANK.get(speaker, 1):
                    continue
                if scope.blocked(rule.blocked_by, start, end):
                    continue
                if rule.exclude and scope.in_clause(f"X|{name}", start, end):
                    continue
                if name == "not_interested":
                    if _about_product(scope, start, end, product_starts) or _declines_a_pitch(scope, start):
                        continue
                    if _replies_to_pitch(turns, turn_index, start, rep_products):
                        declines.append(mention(start, end))
                        continue
                out.signals[name].append(mention(start, end))
                settled[name] = min(settled.get(name, MENTION_RANK_MAX), MENTION_RANK.get(speaker, 1))
            elif kind == "C":
                self._competitor(doc, scope, name, start, end, role(start), mention, out)
            elif kind == "U" and name != "exclude":
                self._urgency(scope, name, start, end, role(start), mention, out)
            elif label == "DUR":
                days = duration_days([t.text for t in doc[start:end]], lex.durations)
                if days is not None:
                    self._urgency(scope, urgency_for_days(days, lex.durations), start, end, role(start), mention, out)
            elif kind == "T":
                tone.append((label, start, end))
        offered: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
        for source in (rep_products, rep_claims):
            for t, items in source.items():
                offered[t].extend(items)
        self._affirmed_pitches(doc, scope, turns, turn_index, offered, out)
        for cue in scope.cues.get("Q|decline_reply", []):
            if role(cue.start) != OWN and _replies_to_pitch(turns, turn_index, cue.start, rep_products):
                declines.append(mention(cue.start, cue.end))
        if declines and not any(out.signals.get(p) for p in PRODUCT_SIGNALS):
            out.signals["not_interested"].extend(declines)
        out.sentiment = self._sentiment(tone, scope, role)
        if doc.user_data.get("is_transcript"):
            out.prospect_talk_ratio = _talk_ratio(turns, turn_index)
        return out

    def _competitor(
        self, doc: Doc, scope: ScopeIndex, name: str, start: int, end: int, role: int, mention, out: Analysis
    ) -> None:
        rule = self.lexicon.competitors[name]
        if role == OWN:
            return
        if rule.context_required:
            lo, hi = sentence_bounds(doc, start)
            words = (doc[i].lower_ for i in range(lo, hi) if not start <= i < end)
            if not any(word in self.lexicon.context_words for word in words):
                return
        out.competitors[name].append(mention(start, end))
        for product in rule.implies:
            if not scope.blocked(self.lexicon.signals[product].blocked_by, start, end):
                out.signals[product].append(mention(start, end))

    @staticmethod
    def _urgency(
        scope: ScopeIndex,
        level: str,
        start: int,
        end: int,
        role: int,
        mention,
        out: Analysis,
    ) -> None:
        if role == OWN or scope.in_clause("U|exclude", start, end) or scope.hypothetical(start, end):
            return
        if level != "low" and scope.negated(start, end):
            return
        out.urgency.append((level, mention(start, end)))

    @staticmethod
    def _claimable(rule: SignalRule, name: str, scope: ScopeIndex, start: int, end: int) -> bool:
        """Whether our side's words for `name` would be the prospect's if the prospect's next turn confirmed them
        ("So the budget is approved for Q1?" - "Yes, that's right"): not negated, not excluded, not in a
        scope (hypothetical, past...) that blocks the signal. Declines are judged by the reply logic instead."""
        if name == "not_interested" or scope.negated(start, end):
            return False
        if rule.exclude and scope.in_clause(f"X|{name}", start, end):
            return False
        return not scope.blocked(rule.blocked_by - QUESTION, start, end)

    def _affirmed_pitches(
        self,
        doc: Doc,
        scope: ScopeIndex,
        turns: list[Turn],
        turn_index: np.ndarray,
        offered: dict[int, list[tuple[str, int, int]]],
        out: Analysis,
    ) -> None:
        """A prospect's "yes, exactly what we need" right after a rep's product question, or "yes" / "correct" right
        after a rep's question or recap ("so budget is approved?"), counts for what the rep said."""
        for t, pitched in offered.items():
            nxt = t + 1
            if nxt >= len(turns) or turns[nxt].role == OWN:
                continue
            first = _first_token(turn_index, nxt)
            opening = [c for c in scope.cues.get("Q|affirm_reply", []) if first <= c.start < first + REPLY_WINDOW]
            declines = [c for c in scope.cues.get("Q|decline_reply", []) if first <= c.start < first + REPLY_WINDOW]
            if not opening or declines or all(scope.negated(c.start, c.end) for c in opening):
                continue
            reply_end = sentence_bounds(doc, opening[0].start)[1]
            for name, start, _ in pitched:
                out.signals[name].append(Mention(sentence_bounds(doc, start)[0], reply_end, turns[nxt].role, nxt))

    def _sentiment(self, tone: list[tuple[str, int, int]], scope: ScopeIndex, role) -> float:
        positive = negative = 0.0
        for label, start, end in tone:
            weight = self.lexicon.own_speaker_weight if role(start) == OWN else 1.0
            sign = 1.0 if label == "T|pos" else -1.0
            if label == "T|pos" and scope.negated(start, end):
                sign = -sign
            if sign > 0:
                positive += weight
            else:
                negative += weight
        return max(-1.0, min(1.0, (positive - negative) / (positive + negative + 2.0)))


def _reported_tokens(doc: Doc, scope: ScopeIndex) -> frozenset[int]:
    """Tokens after a reporting cue ("they said", "according to them") to the end of its sentence."""
    tokens: set[int] = set()
    for cue in scope.cues.get("Q|reported", ()):
        tokens.update(range(cue.end, sentence_bounds(doc, cue.start)[1]))
    return frozenset(tokens)


def _talk_ratio(turns: list[Turn], turn_index: np.ndarray) -> float | None:
    """Share of transcript tokens spoken by the prospect side; None when roles are unknown."""
    if not turns or not any(t.role == OWN for t in turns) or all(t.role == OWN for t in turns):
        return None
    counts = np.bincount(turn_index[turn_index >= 0], minlength=len(turns))
    total = counts.sum()
    if total == 0:
        return None
    prospect = sum(int(c) for c, t in zip(counts, turns, strict=True) if t.role != OWN)
    return round(prospect / float(total), 4)


def _about_product(scope: ScopeIndex, start: int, end: int, product_starts: list[int]) -> bool:
    """ "Not interested in SMS": the disinterest is about a product later in the same clause."""
    i = bisect.bisect_left(product_starts, end)
    return i < len(product_starts) and scope.clause_id[product_starts[i]] == scope.clause_id[start]


def _declines_a_pitch(scope: ScopeIndex, start: int) -> bool:
    """ "Pitched eSIM, they passed": a decline a few tokens after a pitch cue in the same sentence turns down that
    one offer, which is not a decline of the whole deal."""
    starts = scope.starts.get(PITCH, [])
    i = bisect.bisect_left(starts, start) - 1
    return i >= 0 and start - starts[i] <= PITCH_DECLINE_WINDOW and scope.sent_id[starts[i]] == scope.sent_id[start]


def _replies_to_pitch(
    turns: list[Turn], turn_index: np.ndarray, start: int, rep_products: dict[int, list[tuple[str, int, int]]]
) -> bool:
    """The token opens a turn that answers a rep turn which offered a product."""
    t = int(turn_index[start])
    if t <= 0 or turns[t].role == OWN or turns[t - 1].role != OWN or not rep_products.get(t - 1):
        return False
    return start - _first_token(turn_index, t) <= REPLY_WINDOW


def _first_token(turn_index: np.ndarray, turn: int) -> int:
    """Index of the first token of `turn` (turn indexes never decrease along the document)."""
    return int(np.searchsorted(turn_index, turn))
