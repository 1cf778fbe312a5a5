"""Train the progression and Voice AI models of one bundle from a training table.

`features` picks the inputs: the named registry features ("signals"), the text columns learned from the notes
("text", see `scoring.text_features`), or both. The text vocabulary is selected on the training rows only, from
both labels, and saved in both models' metadata so scoring rebuilds the same columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import numpy as np
import pandas as pd

from config.sections import LearningSection
from learning.drift import reference_profile
from learning.table import TrainingTable
from learning.training import BinaryFit, Progress, TrainConfig, fit_binary
from scoring.features import CATEGORY_LEVELS, FEATURE_NAMES, frame_digest
from scoring.model import LeadModel, ModelBundle, ModelKind, ModelMetadata, with_text
from scoring.text_features import TEXT_COLUMN, TextVocabulary, VocabularyConfig, fit_vocabulary

FeatureSet = Literal["signals", "text", "both"]


@dataclass(frozen=True)
class TrainedBundle:
    """A freshly trained bundle plus what the registry records about it."""

    bundle: ModelBundle
    details: dict[str, Any]


def new_version(table: TrainingTable, now: datetime | None = None) -> str:
    """A sortable, path-safe version name: training time plus a short hash of the training data."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return f"v{moment:%Y%m%d-%H%M%S}-{frame_digest(table.frame, table.progressed)[:6]}"


def _lead_model(
    fit: BinaryFit,
    kind: ModelKind,
    version: str,
    table: TrainingTable,
    y: np.ndarray,
    names: list[str],
    text: TextVocabulary | None,
) -> LeadModel:
    metadata = ModelMetadata(
        version=version,
        kind=kind,
        feature_names=names,
        categorical_levels={name: list(levels) for name, levels in CATEGORY_LEVELS.items()},
        trained_at=datetime.now(UTC),
        training_window=table.window(),
        n_train=len(y),
        metrics={k: float(v) for k, v in fit.metrics.items() if v is not None},
        data_hash=frame_digest(table.frame, y),
        params=fit.params,
        text_features=text.to_dict() if text else None,
    )
    return LeadModel(fit.booster, fit.calibrator, metadata)


def model_inputs(table: TrainingTable, names: list[str], text: TextVocabulary | None) -> pd.DataFrame:
    """The training frame: the chosen registry columns, then the text columns (named as the booster names them)."""
    frame = table.frame[names]
    if text is None:
        return frame
    block = with_text(np.empty((len(table), 0)), table.frame, text)
    return pd.concat([frame, pd.DataFrame(block, columns=text.column_names, index=frame.index)], axis=1)


def _vocabulary(table: TrainingTable, config: VocabularyConfig | None) -> TextVocabulary | None:
    if TEXT_COLUMN not in table.frame.columns:
        return None
    text = fit_vocabulary(table.frame[TEXT_COLUMN], [table.progressed, table.voice_ai], config=config)
    return text if text.terms else None


def train_bundle(
    table: TrainingTable,
    *,
    learning: LearningSection,
    version: str | None = None,
    config: TrainConfig | None = None,
    progress: Progress | None = None,
    features: FeatureSet = "signals",
    vocabulary: VocabularyConfig | None = None,
) -> TrainedBundle:
    """Train both models on a training table (time-ordered inside); TrainingError when labels are unusable.

    With text features but no usable text in the training notes, the bundle falls back to named features (and
    says so in `details["features"]`).
    """
    config = config or TrainConfig(seed=learning.seed, min_rows=learning.min_training_samples)
    ordered = table.time_ordered()
    version = version or new_version(ordered)
    text = _vocabulary(ordered, vocabulary) if features != "signals" else None
    names = [] if features == "text" and text is not None else list(FEATURE_NAMES)
    progression = fit_binary(
        model_inputs(ordered, names, text),
        ordered.progressed,
        ordered.weight,
        config=config,
        name="progression",
        progress=progress,
    )
    voice = ordered.take(np.flatnonzero(ordered.voice_known()))
    voice_fit = fit_binary(
        model_inputs(voice, names, text),
        voice.voice_ai,
        voice.weight,
        config=config,
        name="voice_ai",
        progress=progress,
    )
    bundle = ModelBundle(
        version=version,
        progression=_lead_model(progression, "progression", version, ordered, ordered.progressed, names, text),
        voice_ai=_lead_model(voice_fit, "voice_ai", version, voice, voice.voice_ai, names, text),
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
        "features": ("both" if names else "text") if text is not None else "signals",
        "text_terms": len(text.terms) if text else 0,
    }
    return TrainedBundle(bundle, details)
