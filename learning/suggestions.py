"""Mine phrases of the notes associated with outcomes and AE 👎 reasons, for the lexicon suggestions.

For every target (progressed, did not progress, each 👎 reason) a phrase's rate among documents that contain it
is compared with the target's base rate (lift, with add-one smoothing); phrases seen in at least `min_documents`
notes with the highest lift that no current pattern covers are kept, with example clauses. The best-guess
signal is the call signal most over-represented among documents containing the phrase. Names, pronouns, stop
words and internal tokens are dropped (learning.suggestion_filter).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from config.sections import LearningSection
from learning.dataset import load_snapshots
from learning.suggestion_filter import proper_nouns, worth_reviewing
from nlp import BOOLEAN_SIGNALS, CallSignals, SignalExtractor
from nlp.suggest import Coverage, Suggestion
from scoring.text_features import clause_terms, clauses, document_terms, notes_text, prepare_document
from store.enums import FeedbackVerdict
from store.repositories.feedback import list_feedback


@dataclass(frozen=True)
class MinedDocument:
    """One lead's notes with what is known about it: outcome (if any), 👎 reasons and extracted signals."""

    notes: str
    progressed: bool | None
    reasons: tuple[str, ...] = ()
    signals: CallSignals | None = None


def _targets(doc: MinedDocument) -> set[str]:
    targets = {f"feedback:{r}" for r in doc.reasons}
    if doc.progressed is not None:
        targets.add("progressed" if doc.progressed else "not_progressed")
    return targets


def _example(text: str, phrase: str) -> str | None:
    for start, end in clauses(text):
        if phrase in clause_terms(text[start:end]):
            return " ".join(text[start:end].split())[:160]
    return None


def _signal(docs: Sequence[tuple[MinedDocument, Counter[str]]], phrase: str) -> str | None:
    with_signals = [d.signals for d, _ in docs if d.signals is not None]
    having = [d.signals for d, terms in docs if d.signals is not None and phrase in terms]
    if not having or not with_signals:
        return None
    best, best_gain = None, 0.0
    for name in BOOLEAN_SIGNALS:
        base = sum(getattr(s, name) for s in with_signals) / len(with_signals)
        rate = sum(getattr(s, name) for s in having) / len(having)
        if rate - base > best_gain:
            best, best_gain = name, rate - base
    return best if best_gain >= 0.2 else None


def mine(
    documents: Sequence[MinedDocument],
    coverage: Coverage,
    *,
    min_documents: int = 5,
    per_target: int = 10,
    min_lift: float = 1.5,
) -> list[Suggestion]:
    """Uncovered phrases most associated with each target, best first within a target."""
    prepared = [(d, prepare_document(d.notes).text) for d in documents]
    analysed = [(d, document_terms(text), text) for d, text in prepared if text]
    df: Counter[str] = Counter()
    by_target: dict[str, Counter[str]] = {}
    target_docs: Counter[str] = Counter()
    for doc, terms, _ in analysed:
        df.update(terms.keys())
        for target in _targets(doc):
            target_docs[target] += 1
            by_target.setdefault(target, Counter()).update(terms.keys())
    n = len(analysed)
    names = proper_nouns(d.notes for d in documents)
    pairs = [(d, t) for d, t, _ in analysed]
    out: list[Suggestion] = []
    for target, counts in sorted(by_target.items()):
        base = target_docs[target] / n
        ranked = []
        for phrase, hits in counts.items():
            if df[phrase] < min_documents:
                continue
            rate = (hits + base) / (df[phrase] + 1)
            if rate / base >= min_lift:
                ranked.append((rate / base, hits, phrase))
        ranked.sort(reverse=True)
        kept = 0
        for lift, _, phrase in ranked:
            if kept >= per_target:
                break
            if coverage.covers(phrase) or not worth_reviewing(phrase, names):
                continue
            quotes = [
                q for d, t, text in analysed if phrase in t and target in _targets(d) and (q := _example(text, phrase))
            ]
            out.append(
                Suggestion(
                    phrase=phrase,
                    target=target,
                    documents=df[phrase],
                    target_rate=round(counts[phrase] / df[phrase], 4),
                    base_rate=round(base, 4),
                    lift=round(lift, 3),
                    examples=tuple(dict.fromkeys(quotes))[:3],
                    signal=_signal(pairs, phrase),
                )
            )
            kept += 1
    return out


def store_documents(*, session: Session, learning: LearningSection, extractor: SignalExtractor) -> list[MinedDocument]:
    """Every labelled lead's notes with its outcome, its AE 👎 reasons and the signals read from its notes."""
    snapshots = load_snapshots(session=session, learning=learning)
    reasons: dict[int, list[str]] = {}
    for row in list_feedback(session=session):
        if row.lead_id is not None and row.verdict == FeedbackVerdict.DOWN and row.reason:
            reasons.setdefault(row.lead_id, []).append(row.reason)
    notes = [notes_text(c.notes for c in snap.calls) for snap in snapshots]
    signals = extractor.extract_many(notes)
    return [
        MinedDocument(text, snap.label.progressed, tuple(reasons.get(snap.lead_id, ())), found)
        for snap, text, found in zip(snapshots, notes, signals, strict=True)
    ]
