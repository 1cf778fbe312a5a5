"""The training table: one row per labelled lead, features as of what was known when it was scored.

Features go through `scoring.features.build_features` / `features_frame` (the scorer's own path), using only
calls that started at or before the lead's snapshot time, and only the newest `max_calls` of them, as the
scorer does. The snapshot time is the judged score's time for feedback labels; for outcomes it is the last
moment the lead would have been (re-)scored before the label became known: its latest call or score before
the decision, else its creation.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from learning.labels import Label
from nlp import CallSignals, Evidence, SignalExtractor
from scoring.domain import CallFacts, CompanyFacts, LeadFacts
from scoring.features import build_features, features_frame
from scoring.text_features import TEXT_COLUMN, notes_text


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One call's raw text, as stored (signals are read from it when the table is built)."""

    call_id: int | str | None
    started_at: datetime | None
    notes: str | None
    title: str | None = None
    transcript: tuple[dict, ...] | None = None


@dataclass(frozen=True, slots=True)
class LeadSnapshot:
    """Everything about one labelled lead the features may use, plus its label."""

    lead_id: int
    company: CompanyFacts | None
    lead: LeadFacts
    calls: tuple[CallRecord, ...]
    label: Label
    snapshot_at: datetime
    exploration: bool = False


SignalReader = Callable[[Sequence[CallRecord]], list[CallSignals]]


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def snapshot_time(label: Label, created_at: datetime | None, event_times: Iterable[datetime | None]) -> datetime:
    """When the features of a labelled lead must be taken (never after the label became known)."""
    known = _utc(label.known_at)
    if label.snapshot_at is not None:
        return min(_utc(label.snapshot_at), known)
    candidates = [_utc(t) for t in event_times if t is not None and _utc(t) <= known]
    if created_at is not None and _utc(created_at) <= known:
        candidates.append(_utc(created_at))
    return max(candidates, default=known)


class SignalCache:
    """Reads call signals with a SignalExtractor, remembering them by a hash of the call's text.

    With `path`, results also persist in a JSON-lines file named after the extractor's lexicon fingerprint,
    so a retrain (or benchmark) re-reads only calls it has not seen, and a lexicon change starts afresh.
    """

    def __init__(self, extractor: SignalExtractor, directory: Path | None = None) -> None:
        self.extractor = extractor
        self.cache_: dict[str, CallSignals] = {}
        self.path_ = None if directory is None else directory / f"call-signals-{extractor_fingerprint(extractor)}.jsonl"
        if self.path_ is not None and self.path_.exists():
            with self.path_.open(encoding="utf-8") as handle:
                for line in handle:
                    if line.strip():
                        entry = json.loads(line)
                        self.cache_[entry["key"]] = signals_from_dict(entry["signals"])

    @staticmethod
    def key(call: CallRecord) -> str:
        """Hash of everything the extractor reads from a call."""
        payload = json.dumps([call.notes or "", call.title, call.transcript], sort_keys=True, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()

    def __call__(self, calls: Sequence[CallRecord]) -> list[CallSignals]:
        """Signals for each call, extracting only the ones not seen before (plain notes in one batch)."""
        keys = [self.key(call) for call in calls]
        missing = {k: call for k, call in zip(keys, calls, strict=True) if k not in self.cache_}
        plain = [(k, c) for k, c in missing.items() if not c.title and not c.transcript]
        fresh: dict[str, CallSignals] = {}
        for (k, _), signals in zip(plain, self.extractor.extract_many([c.notes or "" for _, c in plain]), strict=True):
            fresh[k] = signals
        for k, call in missing.items():
            if k not in fresh:
                transcript = list(call.transcript) if call.transcript else None
                fresh[k] = self.extractor.extract(call.notes or "", call.title, transcript=transcript)
        self.cache_.update(fresh)
        if fresh and self.path_ is not None:
            self.path_.parent.mkdir(parents=True, exist_ok=True)
            with self.path_.open("a", encoding="utf-8") as handle:
                for k, signals in fresh.items():
                    handle.write(json.dumps({"key": k, "signals": signals.to_dict()}) + "\n")
        return [self.cache_[k] for k in keys]


def extractor_fingerprint(extractor: SignalExtractor) -> str:
    """Short hash of the extractor's lexicon files and settings (cached signals are only valid for these)."""
    digest = hashlib.sha256(repr((extractor.own_company_names, extractor.own_domains, extractor.max_chars)).encode())
    for file in sorted(Path(extractor.lexicon_dir).rglob("*")):
        if file.is_file():
            digest.update(file.name.encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def signals_from_dict(data: dict) -> CallSignals:
    """Rebuild CallSignals from its `to_dict` form."""
    values = dict(data)
    values["evidence"] = tuple(Evidence(**item) for item in values.get("evidence", ()))
    values["competitors"] = tuple(values.get("competitors", ()))
    values["warnings"] = tuple(values.get("warnings", ()))
    return CallSignals(**values)


@dataclass(frozen=True)
class TrainingTable:
    """Aligned arrays: features frame (plus the raw notes in TEXT_COLUMN), labels, weights, label times and
    flags, one row per lead."""

    frame: pd.DataFrame
    lead_ids: np.ndarray
    progressed: np.ndarray
    voice_ai: np.ndarray
    weight: np.ndarray
    known_at: np.ndarray
    source: np.ndarray
    exploration: np.ndarray

    def __len__(self) -> int:
        return len(self.lead_ids)

    def take(self, index: np.ndarray | Sequence[int]) -> TrainingTable:
        """The rows at `index` (positions), in that order."""
        idx = np.asarray(index, dtype=np.intp)
        return TrainingTable(
            frame=self.frame.iloc[idx].reset_index(drop=True),
            lead_ids=self.lead_ids[idx],
            progressed=self.progressed[idx],
            voice_ai=self.voice_ai[idx],
            weight=self.weight[idx],
            known_at=self.known_at[idx],
            source=self.source[idx],
            exploration=self.exploration[idx],
        )

    def time_ordered(self) -> TrainingTable:
        """Rows sorted by the time the label became known (ties by lead id)."""
        return self.take(np.lexsort((self.lead_ids, self.known_at)))

    def time_split(self, test_fraction: float) -> tuple[TrainingTable, TrainingTable]:
        """(older rows, newest `test_fraction` of rows) by label time."""
        ordered = self.time_ordered()
        n_test = max(1, round(len(ordered) * test_fraction))
        cut = len(ordered) - n_test
        return ordered.take(np.arange(cut)), ordered.take(np.arange(cut, len(ordered)))

    def voice_known(self) -> np.ndarray:
        """Boolean mask of rows whose Voice AI label is known."""
        return ~np.isnan(self.voice_ai)

    def window(self) -> tuple[datetime, datetime] | None:
        """First and last label time, or None when empty."""
        if not len(self):
            return None
        times = pd.to_datetime(self.known_at, utc=True)
        return times.min().to_pydatetime(), times.max().to_pydatetime()


def build_table(snapshots: Sequence[LeadSnapshot], read_signals: SignalReader, *, max_calls: int) -> TrainingTable:
    """Build the features and label arrays for labelled leads (signals for all calls read in one pass)."""
    chosen: list[list[CallRecord]] = []
    for snap in snapshots:
        at = _utc(snap.snapshot_at)
        usable = [c for c in snap.calls if c.started_at is None or _utc(c.started_at) <= at]
        usable.sort(key=lambda c: _utc(c.started_at) if c.started_at else at, reverse=True)
        chosen.append(usable[:max_calls])
    flat = [call for calls in chosen for call in calls]
    signals = iter(read_signals(flat))
    rows = []
    for snap, calls in zip(snapshots, chosen, strict=True):
        facts = [CallFacts(c.call_id, c.started_at, c.notes, next(signals)) for c in calls]
        rows.append(build_features(snap.company, snap.lead, facts, snap.snapshot_at))
    labels = [snap.label for snap in snapshots]
    frame = features_frame(rows)
    frame[TEXT_COLUMN] = [notes_text(c.notes for c in calls) for calls in chosen]
    return TrainingTable(
        frame=frame,
        lead_ids=np.array([s.lead_id for s in snapshots], dtype=np.int64),
        progressed=np.array([float(lb.progressed) for lb in labels], dtype=np.float64),
        voice_ai=np.array([np.nan if lb.voice_ai is None else float(lb.voice_ai) for lb in labels], dtype=np.float64),
        weight=np.array([lb.weight for lb in labels], dtype=np.float64),
        known_at=np.array([_utc(lb.known_at).replace(tzinfo=None) for lb in labels], dtype="datetime64[us]"),
        source=np.array([lb.source for lb in labels], dtype=object),
        exploration=np.array([s.exploration for s in snapshots], dtype=bool),
    )
