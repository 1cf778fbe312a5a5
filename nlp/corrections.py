"""AE corrections as signal-level labels: evaluation-set records, lexicon suggestions, live precision per signal.

A correction says "this quote does not show `signal`" and optionally "it shows `corrected_signal`". Exported,
each corrected quote becomes one case in the evaluation-set format (tests/data/nlp/*.jsonl): the quote as
`text`, the signals it still supports (the score's other evidence on the same quote, minus every corrected one,
plus the corrected-to signals) as `signals`.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from nlp.domain import BOOLEAN_SIGNALS
from nlp.suggest import Coverage, Suggestion
from store.repositories.corrections import latest_evidence, list_corrections
from store.repositories.scores import scores_by_id
from store.tables import SignalCorrection

FALSE_POSITIVE = "not_right"  # Suggestion.target of a phrase behind corrected signals (an `exclude` candidate)
MISSED = "missed"  # Suggestion.target of a quote AEs said shows a signal the pipeline missed (a phrase candidate)
Z95 = 1.96


@dataclass(frozen=True)
class SignalPrecision:
    """Per signal: quotes on the latest cards, how many AEs marked not right, and the estimate with its interval."""

    signal: str
    shown: int
    not_right: int
    precision: float | None
    low: float | None
    high: float | None


def _key(call_id: object, quote: str) -> tuple[str, str]:
    return str(call_id), " ".join(quote.split()).casefold()


def export_records(*, session: Session) -> list[dict[str, Any]]:
    """One evaluation-set record per corrected quote (oldest first), in the tests/data/nlp jsonl format."""
    rows = list_corrections(session=session)
    scores = scores_by_id({row.score_id for row in rows}, session=session)
    by_quote: dict[tuple[str, str], list[SignalCorrection]] = defaultdict(list)
    for row in rows:
        by_quote[_key(row.call_id, row.quote)].append(row)
    records = []
    for group in by_quote.values():
        first = group[0]
        shown: set[str] = set()
        for score_id in {row.score_id for row in group}:
            score = scores.get(score_id)
            for item in (score.evidence if score else None) or []:
                if isinstance(item, dict) and _key(first.call_id, str(item.get("quote") or "")) == _key(
                    first.call_id, first.quote
                ):
                    shown.add(str(item.get("signal")))
        wrong = {row.signal for row in group}
        added = {row.corrected_signal for row in group if row.corrected_signal}
        signals = sorted(((shown - wrong) | added) & set(BOOLEAN_SIGNALS), key=BOOLEAN_SIGNALS.index)
        records.append(
            {
                "id": f"corr{first.id:05d}",
                "style": "ae_correction",
                "text": " ".join(first.quote.split()),
                "signals": signals,
                "not_signals": sorted(wrong & set(BOOLEAN_SIGNALS), key=BOOLEAN_SIGNALS.index),
                "call_id": first.call_id,
                "corrected_by": sorted({row.user_id for row in group}),
                "comments": [row.comment for row in group if row.comment],
            }
        )
    return records


def correction_suggestions(rows: Sequence[SignalCorrection], coverage: Coverage) -> list[Suggestion]:
    """Lexicon proposals from corrections: the trigger phrases of corrected false positives (candidates for the
    signal's `exclude` list or a narrower phrase) and quotes AEs added as showing a missed signal."""
    wrong: Counter[tuple[str, str]] = Counter()
    wrong_examples: dict[tuple[str, str], list[str]] = defaultdict(list)
    missed: Counter[tuple[str, str]] = Counter()
    for row in rows:
        phrase = " ".join((row.trigger or "").split()).lower()
        if phrase and row.signal in BOOLEAN_SIGNALS:
            wrong[(row.signal, phrase)] += 1
            wrong_examples[(row.signal, phrase)].append(" ".join(row.quote.split()))
        added = row.corrected_signal
        quote = " ".join(row.quote.split())
        if added in BOOLEAN_SIGNALS and quote and not coverage.covers(quote.lower()):
            missed[(added, quote)] += 1
    out = [
        Suggestion(
            phrase=phrase,
            target=FALSE_POSITIVE,
            documents=count,
            target_rate=1.0,
            base_rate=0.0,
            lift=float(count),
            examples=tuple(dict.fromkeys(wrong_examples[(signal, phrase)]))[:3],
            signal=signal,
        )
        for (signal, phrase), count in wrong.most_common()
    ]
    out += [
        Suggestion(
            phrase=quote,
            target=MISSED,
            documents=count,
            target_rate=1.0,
            base_rate=0.0,
            lift=float(count),
            examples=(quote,),
            signal=signal,
        )
        for (signal, quote), count in missed.most_common()
    ]
    return out


def signal_precision(*, session: Session) -> list[SignalPrecision]:
    """Per signal, the share of quotes on the latest cards that no AE marked not right (Wilson 95% interval).

    Quotes nobody corrected count as right, so this is an upper estimate that tightens as AEs review more cards.
    """
    shown: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for _score_id, evidence in latest_evidence(session=session):
        for item in evidence:
            if isinstance(item, dict) and item.get("signal") in BOOLEAN_SIGNALS:
                shown[str(item["signal"])].add(_key(item.get("call_id"), str(item.get("quote") or "")))
    wrong: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for row in list_corrections(session=session):
        wrong[row.signal].add(_key(row.call_id, row.quote))
    out = []
    for signal in BOOLEAN_SIGNALS:
        items = shown[signal] | wrong[signal]
        n, bad = len(items), len(wrong[signal])
        if n == 0:
            out.append(SignalPrecision(signal, 0, 0, None, None, None))
            continue
        low, high = _wilson(n - bad, n)
        out.append(SignalPrecision(signal, n, bad, round((n - bad) / n, 4), low, high))
    return out


def _wilson(successes: int, n: int) -> tuple[float, float]:
    """Wilson score interval for a proportion (95%)."""
    p = successes / n
    denom = 1 + Z95**2 / n
    centre = (p + Z95**2 / (2 * n)) / denom
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / denom
    return round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)
