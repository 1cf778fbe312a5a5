"""Train the progression and Voice AI models of one bundle from a training table.

`features` picks the inputs: the named registry features ("signals"), the text columns learned from the notes
("text", see `scoring.text_features`), or both. The text vocabulary is selected on the training rows only, from
both labels, with one linear text scorer per label (`learning.text_scores`, out-of-fold scores for training),
and saved in both models' metadata so scoring rebuilds the same columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import numpy as np
import pandas as pd
import structlog

from config.sections import LearningSection
from learning.drift import reference_profile
from learning.table import TrainingTable
from learning.text_scores import fit_text_scorers
from learning.training import BinaryFit, Progress, TrainConfig, TrainingError, fit_binary
from learning.vocabulary import VocabularyConfig, documents_from_terms, fit_vocabulary_terms, note_terms
from scoring.features import CATEGORY_LEVELS, TRAINED_FEATURE_NAMES, encode_frame, frame_digest
from scoring.model import LeadModel, ModelBundle, ModelKind, ModelMetadata
from scoring.text_features import TEXT_COLUMN, TextVocabulary

FeatureSet = Literal["signals", "text", "both"]
log = structlog.get_logger(__name__)


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


def _inputs(frame: pd.DataFrame, text: TextVocabulary | None, block: np.ndarray | None) -> pd.DataFrame:
    """The training frame: the chosen registry columns, then the text columns (named as the booster names them)."""
    if text is None or block is None:
        return frame
    return pd.concat([frame, pd.DataFrame(block, columns=text.column_names, index=frame.index)], axis=1)


@dataclass(frozen=True)
class _TextInputs:
    """The fitted vocabulary with its scorers, its columns for scoring the training rows, and the same columns
    with the scorers' out-of-fold values, which is what the trees train on."""

    text: TextVocabulary
    scoring_block: np.ndarray
    training_block: np.ndarray


def _text_inputs(
    table: TrainingTable, config: VocabularyConfig | None, seed: int, progress: Progress | None
) -> _TextInputs | None:
    """Fit the vocabulary and scorers on the training rows, analysing each note once."""
    if TEXT_COLUMN not in table.frame.columns:
        return None
    config = config or VocabularyConfig()
    terms = note_terms(table.frame[TEXT_COLUMN], max_ngram=config.max_ngram)
    vocabulary = fit_vocabulary_terms(terms, [table.progressed, table.voice_ai], config=config)
    if not vocabulary.terms:
        return None
    documents = documents_from_terms(vocabulary, terms)
    labels = {"progression": table.progressed, "voice_ai": table.voice_ai}
    text, out_of_fold = fit_text_scorers(vocabulary, documents, labels, table.weight, seed=seed, progress=progress)
    scoring_block = text.rows(documents)
    training_block = scoring_block.copy()
    if out_of_fold.shape[1]:
        training_block[:, -out_of_fold.shape[1] :] = out_of_fold
    return _TextInputs(text, scoring_block, training_block)


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
    inputs = _text_inputs(ordered, vocabulary, config.seed, progress) if features != "signals" else None
    text = inputs.text if inputs else None
    training_block = inputs.training_block if inputs else None
    names = [] if features == "text" and text is not None else list(TRAINED_FEATURE_NAMES)
    progression = fit_binary(
        _inputs(ordered.frame[names], text, training_block),
        ordered.progressed,
        ordered.weight,
        config=config,
        name="progression",
        progress=progress,
    )
    known = np.flatnonzero(ordered.voice_known())
    voice = ordered.take(known)
    skipped: dict[str, str] = {}
    voice_fit: BinaryFit | None = None
    try:
        voice_fit = fit_binary(
            _inputs(voice.frame[names], text, None if training_block is None else training_block[known]),
            voice.voice_ai,
            voice.weight,
            config=config,
            name="voice_ai",
            progress=progress,
        )
    except TrainingError as exc:
        skipped["voice_ai"] = f"{exc}; the rule-based Voice AI estimate stays in use"
        log.warning("learning.train.model_skipped", model="voice_ai", reason=str(exc))
        if progress is not None:
            progress(f"voice_ai: not trained ({exc}); the rule-based Voice AI estimate stays in use")
    bundle = ModelBundle(
        version=version,
        progression=_lead_model(progression, "progression", version, ordered, ordered.progressed, names, text),
        voice_ai=None
        if voice_fit is None
        else _lead_model(voice_fit, "voice_ai", version, voice, voice.voice_ai, names, text),
        skipped=skipped,
    )
    training_matrix = encode_frame(ordered.frame)
    if inputs is not None:
        training_matrix = np.hstack([training_matrix, inputs.scoring_block])
    window = ordered.window()
    details = {
        "n_train": len(ordered),
        "n_voice_train": len(voice),
        "training_window": [t.isoformat() for t in window] if window else None,
        "label_sources": {str(k): int(v) for k, v in zip(*np.unique(ordered.source, return_counts=True), strict=True)},
        "trials": {"progression": progression.trials, "voice_ai": voice_fit.trials if voice_fit else []},
        "fit_metrics": {"progression": progression.metrics, "voice_ai": voice_fit.metrics if voice_fit else {}},
        "skipped_models": skipped,
        "reference": reference_profile(ordered.frame, bundle.progression.predict_proba(training_matrix)),
        "seed": config.seed,
        "features": ("both" if names else "text") if text is not None else "signals",
        "text_terms": len(text.terms) if text else 0,
        "text_columns": len(text.column_names) if text else 0,
    }
    return TrainedBundle(bundle, details)
