"""Per-signal precision/recall/F1 of the extractor against hand-labelled cases (YAML evaluation sets)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from nlp.domain import BOOLEAN_SIGNALS, CallSignals
from nlp.extractor import SignalExtractor

EXTRA_TARGETS = ("urgency", "competitors", "volume")


@dataclass(frozen=True)
class EvalCase:
    """One labelled snippet: input plus the expected signals."""

    id: str
    text: str
    transcript: list[dict[str, Any]] | None
    signals: frozenset[str]
    urgency: str | None
    competitors: frozenset[str]
    volume: tuple[float, str] | None
    attendees: tuple[str, ...] = ()


def attendee_lines(raw: object) -> tuple[str, ...]:
    """A case's `attendees` as the extractor takes them: "Name <email>" for `{name, email}` objects, strings as-is."""
    if not isinstance(raw, list):
        return ()
    lines = []
    for item in raw:
        if isinstance(item, str):
            lines.append(item)
        elif isinstance(item, dict) and item.get("email"):
            lines.append(f"{item.get('name') or ''} <{item['email']}>".strip())
    return tuple(lines)


@dataclass
class Counts:
    """Confusion counts for one target."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 1.0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 1.0 when nothing was expected."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class EvalReport:
    """Counts per boolean signal and per extra target, plus the mismatching cases for debugging."""

    counts: dict[str, Counts] = field(default_factory=lambda: {n: Counts() for n in (*BOOLEAN_SIGNALS, *EXTRA_TARGETS)})
    errors: list[str] = field(default_factory=list)

    def table(self) -> str:
        """A fixed-width table of precision, recall, F1 and support per target."""
        lines = [f"{'signal':<24}{'prec':>6}{'rec':>6}{'f1':>6}{'tp':>5}{'fp':>5}{'fn':>5}"]
        for name, c in self.counts.items():
            lines.append(f"{name:<24}{c.precision:6.2f}{c.recall:6.2f}{c.f1:6.2f}{c.tp:5d}{c.fp:5d}{c.fn:5d}")
        return "\n".join(lines)


def load_cases(path: Path) -> list[EvalCase]:
    """Read an evaluation set (`.yaml` list or `.jsonl` one case per line), rejecting unknown signal names."""
    content = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        raw = [json.loads(line) for line in content.splitlines() if line.strip()]
    else:
        raw = yaml.safe_load(content)
    cases = []
    for item in raw:
        signals = frozenset(item.get("signals") or ())
        if not signals <= set(BOOLEAN_SIGNALS):
            raise ValueError(f"{item['id']}: unknown signals {sorted(signals - set(BOOLEAN_SIGNALS))}")
        volume = item.get("volume")
        cases.append(
            EvalCase(
                id=str(item["id"]),
                text=str(item.get("text") or ""),
                transcript=item.get("transcript"),
                signals=signals,
                urgency=item.get("urgency"),
                competitors=frozenset(item.get("competitors") or ()),
                volume=(float(volume[0]), str(volume[1])) if volume else None,
                attendees=attendee_lines(item.get("attendees")),
            )
        )
    return cases


def _count(counts: Counts, expected: bool, predicted: bool) -> None:
    counts.tp += expected and predicted
    counts.fp += predicted and not expected
    counts.fn += expected and not predicted


def evaluate(extractor: SignalExtractor, cases: list[EvalCase]) -> EvalReport:
    """Run the extractor over every case and tally per-target confusion counts."""
    report = EvalReport()
    for case in cases:
        got: CallSignals = extractor.extract(case.text, transcript=case.transcript, attendees=case.attendees)
        predicted = set(got.active_signals())
        for name in BOOLEAN_SIGNALS:
            _count(report.counts[name], name in case.signals, name in predicted)
        if predicted != case.signals:
            report.errors.append(
                f"{case.id}: missing {sorted(case.signals - predicted)} extra {sorted(predicted - case.signals)}"
            )
        _count(report.counts["urgency"], case.urgency is not None, got.urgency is not None)
        if case.urgency != got.urgency:
            if case.urgency and got.urgency:
                report.counts["urgency"].tp -= 1
                report.counts["urgency"].fp += 1
                report.counts["urgency"].fn += 1
            report.errors.append(f"{case.id}: urgency expected {case.urgency} got {got.urgency}")
        comp = report.counts["competitors"]
        comp.tp += len(case.competitors & set(got.competitors))
        comp.fp += len(set(got.competitors) - case.competitors)
        comp.fn += len(case.competitors - set(got.competitors))
        if case.competitors != set(got.competitors):
            report.errors.append(f"{case.id}: competitors expected {sorted(case.competitors)} got {got.competitors}")
        vol_ok = (
            case.volume is not None
            and got.volume_per_month is not None
            and got.volume_unit == case.volume[1]
            and abs(got.volume_per_month - case.volume[0]) <= 0.02 * case.volume[0]
        )
        _count(report.counts["volume"], case.volume is not None, got.volume_per_month is not None)
        if (case.volume is not None or got.volume_per_month is not None) and not vol_ok:
            if case.volume is not None and got.volume_per_month is not None:
                report.counts["volume"].tp -= 1
                report.counts["volume"].fp += 1
                report.counts["volume"].fn += 1
            report.errors.append(
                f"{case.id}: volume expected {case.volume} got {got.volume_per_month} {got.volume_unit}"
            )
    return report
