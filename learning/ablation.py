"""Ablation of the model's inputs: named signals only, text only and both, with the rule prior, on one split.

All three variants train on the same older rows and are evaluated side by side on the same newest slice, so
the report shows what the words in the notes add. The variant that goes on to the promotion gate is the
combined model only when it beats signals-only on the primary metric; otherwise signals-only (the simpler
model) is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import structlog

from config.sections import LearningSection
from learning.bundles import FeatureSet, TrainedBundle, new_version, train_bundle
from learning.evaluation import Evaluation, evaluate
from learning.table import TrainingTable
from learning.training import Progress, TrainConfig
from learning.vocabulary import VocabularyConfig
from scoring.model import ModelBundle
from scoring.scorer import Scorer

log = structlog.get_logger(__name__)

VARIANTS: dict[str, FeatureSet] = {"signals_only": "signals", "text_only": "text", "combined": "both"}
SUFFIX: dict[str, str] = {"signals_only": "signals", "text_only": "text", "combined": "combined"}


@dataclass
class Ablation:
    """The three trained variants, their evaluation next to the prior, and which variant is the challenger."""

    bundles: dict[str, TrainedBundle]
    evaluation: Evaluation
    chosen: str
    reason: str

    @property
    def challenger(self) -> TrainedBundle:
        """The variant that goes on to the promotion gate."""
        return self.bundles[self.chosen]

    def to_dict(self) -> dict[str, Any]:
        """JSON summary: chosen variant, why, and every contender's figures."""
        return {
            "chosen": self.chosen,
            "reason": self.reason,
            "text_terms": {name: t.details.get("text_terms", 0) for name, t in self.bundles.items()},
            **self.evaluation.to_dict(),
        }


def choose_variant(evaluation: Evaluation, primary_metric: str = "roc_auc") -> tuple[str, str]:
    """ "combined" when it beats "signals_only" on the primary metric, else "signals_only"; and the reason."""
    combined = evaluation.metric("combined", primary_metric)
    signals = evaluation.metric("signals_only", primary_metric)
    if combined is not None and signals is not None and combined > signals:
        return "combined", f"combined {primary_metric} {combined:.4f} beats signals-only {signals:.4f}"
    shown = "n/a" if combined is None else f"{combined:.4f}"
    return "signals_only", f"combined {primary_metric} {shown} does not beat signals-only ({signals})"


def run_ablation(
    train: TrainingTable,
    test: TrainingTable,
    *,
    learning: LearningSection,
    make_scorer: Callable[[ModelBundle | None], Scorer],
    config: TrainConfig | None = None,
    vocabulary: VocabularyConfig | None = None,
    progress: Progress | None = None,
    primary_metric: str = "roc_auc",
) -> Ablation:
    """Train the three variants on `train`, evaluate them and the prior on `test`, and pick the challenger."""
    base = new_version(train)
    bundles: dict[str, TrainedBundle] = {}
    for name, features in VARIANTS.items():
        if progress is not None:
            progress(f"ablation: training {name}")
        bundles[name] = train_bundle(
            train,
            learning=learning,
            version=f"{base}-{SUFFIX[name]}",
            config=config,
            progress=progress,
            features=features,
            vocabulary=vocabulary,
        )
    scorers = {name: make_scorer(t.bundle) for name, t in bundles.items()}
    evaluation = evaluate(test, {**scorers, "prior": make_scorer(None)})
    chosen, reason = choose_variant(evaluation, primary_metric)
    if bundles["combined"].details.get("features") != "both":
        chosen, reason = "signals_only", "the training notes gave no usable text features"
    log.info("learning.ablation.done", chosen=chosen, reason=reason)
    return Ablation(bundles, evaluation, chosen, reason)
