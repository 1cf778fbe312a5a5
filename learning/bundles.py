"""Train the progression and Voice AI models of one bundle from a training table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np

from config.sections import LearningSection
from learning.drift import reference_profile
from learning.table import TrainingTable
from learning.training import BinaryFit, Progress, TrainConfig, fit_binary
from scoring.features import CATEGORY_LEVELS, FEATURE_NAMES, frame_digest
from scoring.model import LeadModel, ModelBundle, ModelKind, ModelMetadata


@dataclass(frozen=True)
class TrainedBundle:
    """A freshly trained bundle plus what the registry records about it."""

    bundle: ModelBundle
    details: dict[str, Any]


def new_version(table: TrainingTable, now: datetime | None = None) -> str:
    """A sortable, path-safe version name: training time plus a short hash of the training data."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return f"v{moment:%Y%m%d-%H%M%S}-{frame_digest(table.frame, table.progressed)[:6]}"


def _lead_model(fit: BinaryFit, kind: ModelKind, version: str, table: TrainingTable, y: np.ndarray) -> LeadModel:
    metadata = ModelMetadata(
        version=version,
        kind=kind,
        feature_names=list(FEATURE_NAMES),
        categorical_levels={name: list(levels) for name, levels in CATEGORY_LEVELS.items()},
        trained_at=datetime.now(UTC),
        training_window=table.window(),
        n_train=len(y),
        metrics={k: float(v) for k, v in fit.metrics.items() if v is not None},
        data_hash=frame_digest(table.frame, y),
        params=fit.params,
    )
    return LeadModel(fit.booster, fit.calibrator, metadata)


def train_bundle(
    table: TrainingTable,
    *,
    learning: LearningSection,
    version: str | None = None,
    config: TrainConfig | None = None,
    progress: Progress | None = None,
) -> TrainedBundle:
    """Train both models on a training table (time-ordered inside); TrainingError when labels are unusable."""
    config = config or TrainConfig(seed=learning.seed, min_rows=learning.min_training_samples)
    ordered = table.time_ordered()
    version = version or new_version(ordered)
    frame = ordered.frame[list(FEATURE_NAMES)]
    progression = fit_binary(
        frame, ordered.progressed, ordered.weight, config=config, name="progression", progress=progress
    )
    voice = ordered.take(np.flatnonzero(ordered.voice_known()))
    voice_fit = fit_binary(
        voice.frame[list(FEATURE_NAMES)],
        voice.voice_ai,
        voice.weight,
        config=config,
        name="voice_ai",
        progress=progress,
    )
    bundle = ModelBundle(
        version=version,
        progression=_lead_model(progression, "progression", version, ordered, ordered.progressed),
        voice_ai=_lead_model(voice_fit, "voice_ai", version, voice, voice.voice_ai),
    )
    window = ordered.window()
    details = {
        "n_train": len(ordered),
        "n_voice_train": len(voice),
        "training_window": [t.isoformat() for t in window] if window else None,
        "label_sources": {str(k): int(v) for k, v in zip(*np.unique(ordered.source, return_counts=True), strict=True)},
        "trials": {"progression": progression.trials, "voice_ai": voice_fit.trials},
        "fit_metrics": {"progression": progression.metrics, "voice_ai": voice_fit.metrics},
        "reference": reference_profile(ordered.frame, bundle.progression.predict_proba(ordered.frame)),
        "seed": config.seed,
    }
    return TrainedBundle(bundle, details)
