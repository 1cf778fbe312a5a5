"""Multi-step learning work: retrain -> register -> evaluate -> gate -> (promote or shadow) -> report,
re-evaluation, and the review of a promotion held back for its shadow period."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import structlog
from sqlalchemy.engine import Engine
from sqlmodel import Session

from config import Settings
from learning.ablation import Ablation, run_ablation
from learning.bundles import TrainedBundle, train_bundle
from learning.dataset import load_snapshots
from learning.evaluation import Evaluation, evaluate
from learning.policy_records import record_policies
from learning.promotion import GateDecision, decide_promotion, enqueue_report
from learning.registry import RegistryError, load_champion, load_version, promote, register
from learning.report import write_report
from learning.shadow import compare_shadow, opening_comparison, start_shadow, window_of
from learning.table import SignalReader, TrainingTable, build_table
from learning.training import Progress, TrainConfig, TrainingError
from scoring.config import load_scoring_config
from scoring.model import ModelBundle
from scoring.scorer import Scorer, build_scorer
from store.db import session_scope
from store.repositories import model_versions
from store.repositories.model_versions import mark_version_details
from store.types import utcnow

log = structlog.get_logger(__name__)


@dataclass
class RetrainResult:
    """What one retraining run produced and decided."""

    version: str
    promoted: bool
    decision: GateDecision
    evaluation: Evaluation
    report_path: Path
    ablation: Ablation | None = None
    skipped: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON summary for the CLI and the JobRun record."""
        return {
            "version": self.version,
            "promoted": self.promoted,
            "decision": self.decision.to_dict(),
            "evaluation": self.evaluation.to_dict(),
            "report": str(self.report_path),
            "ablation": None if self.ablation is None else self.ablation.to_dict(),
            "skipped_models": self.skipped,
        }


def labelled_table(session: Session, settings: Settings, read_signals: SignalReader) -> TrainingTable:
    """The training table of every labelled lead in the store."""
    snapshots = load_snapshots(session=session, learning=settings.learning)
    max_calls = load_scoring_config(settings.scoring_file).max_calls
    return build_table(snapshots, read_signals, max_calls=max_calls)


def scorer_for(settings: Settings, bundle: ModelBundle | None) -> Scorer:
    """A Scorer with the configured rules and thresholds around a bundle (None = the prior)."""
    return build_scorer(bundle, scoring_path=settings.scoring_file, rules_path=settings.rules_file)


def _contenders(settings: Settings, challenger: ModelBundle, champion: ModelBundle | None) -> dict[str, Scorer]:
    scorers = {"challenger": scorer_for(settings, challenger), "prior": scorer_for(settings, None)}
    if champion is not None and champion.version != challenger.version:
        scorers["champion"] = scorer_for(settings, champion)
    return scorers


def retrain(
    engine: Engine,
    settings: Settings,
    read_signals: SignalReader,
    *,
    auto_promote: bool = True,
    config: TrainConfig | None = None,
    progress: Progress | None = None,
    text_features: bool | None = None,
) -> RetrainResult:
    """Train a challenger on the older labels, evaluate it on the newest slice, gate it and report.

    With `text_features` (default: settings.learning.text_features), signals-only, text-only and combined
    models are trained and compared on the same slice (the ablation in the report); the combined model is the
    challenger only if it beats signals-only.
    """
    learning = settings.learning
    if text_features is None:
        text_features = learning.text_features
    with session_scope(engine) as session:
        table = labelled_table(session, settings, read_signals)
    if len(table) < learning.min_training_samples:
        raise TrainingError(f"{len(table)} labelled leads; need at least {learning.min_training_samples} to train")
    train, test = table.time_split(learning.test_fraction)
    log.info("learning.retrain.start", labelled=len(table), train=len(train), test=len(test))
    ablation = None
    if text_features:
        ablation = run_ablation(
            train, test, learning=learning, make_scorer=lambda b: scorer_for(settings, b), config=config,
            progress=progress,
        )  # fmt: skip
        trained: TrainedBundle = ablation.challenger
    else:
        trained = train_bundle(train, learning=learning, config=config, progress=progress)
    version = trained.bundle.version
    with session_scope(engine) as session:
        register(trained.bundle, session=session, models_dir=settings.models_dir, details=trained.details, metrics={})
    with session_scope(engine) as session:
        challenger = load_version(version, session=session, models_dir=settings.models_dir)
        champion = load_champion(session=session, models_dir=settings.models_dir)
        evaluation = evaluate(test, _contenders(settings, challenger, champion))
        opening = opening_comparison(version, days=learning.shadow_days, now=utcnow()) if learning.shadow_days else None
        decision = decide_promotion(evaluation, learning, version=version, shadow=opening)
        skipped = dict(trained.bundle.skipped)
        report_path = write_report(
            evaluation, Path(learning.reports_dir), name=version, decision=decision, ablation=ablation, skipped=skipped
        )
        recorded = {"evaluation": evaluation.to_dict(), "gate": decision.to_dict(), "skipped_models": skipped}
        if ablation is not None:
            recorded["ablation"] = ablation.to_dict()
        model_versions.update_metrics(version, recorded, session=session)
        record_policies(evaluation, session=session)
        promoted = decision.promote and auto_promote
        if promoted:
            promote(version, session=session, models_dir=settings.models_dir, reason="; ".join(decision.reasons))
        elif opening is not None:
            start_shadow(version, opening.window, session=session)
        enqueue_report(decision, evaluation, session=session, report_path=str(report_path))
    log.info("learning.retrain.done", version=version, promoted=promoted, reasons=decision.reasons)
    return RetrainResult(version, promoted, decision, evaluation, report_path, ablation, skipped)


def evaluate_version(
    engine: Engine, settings: Settings, read_signals: SignalReader, *, version: str | None = None
) -> tuple[Evaluation, Path]:
    """Re-evaluate a version (default: the newest registered) against the champion and the prior on the newest
    slice, and record each one's handoff policy chosen there."""
    with session_scope(engine) as session:
        if version is None:
            versions = model_versions.list_model_versions(session=session)
            if not versions:
                raise RegistryError("no model versions are registered yet; run `fellow learn train` first")
            version = versions[0].version
        challenger = load_version(version, session=session, models_dir=settings.models_dir)
        champion = load_champion(session=session, models_dir=settings.models_dir)
        table = labelled_table(session, settings, read_signals)
    if not len(table):
        raise TrainingError("no labelled leads to evaluate on")
    _, test = table.time_split(settings.learning.test_fraction)
    evaluation = evaluate(test, _contenders(settings, challenger, champion))
    with session_scope(engine) as session:
        record_policies(evaluation, session=session)
    path = write_report(evaluation, Path(settings.learning.reports_dir), name=f"{version}-evaluation")
    return evaluation, path


def held_for_shadow(session: Session) -> tuple[str, datetime] | None:
    """The newest candidate whose promotion waits for its shadow period and review, with the period's end
    (None when none waits): a retrain meanwhile would replace it before it could be judged."""
    versions = model_versions.list_model_versions(session=session)
    row = versions[0] if versions else None
    if row is None or row.state != "candidate" or row.details.get("shadow_reviewed_at"):
        return None
    window = window_of(row)
    awaiting = bool(row.metrics.get("gate", {}).get("awaiting_shadow"))
    return (row.version, window.ends_at) if awaiting and window is not None else None


def _awaiting_review(session: Session) -> str | None:
    """The newest candidate whose promotion waited only for its shadow period, once that period has ended."""
    held = held_for_shadow(session)
    return held[0] if held is not None and utcnow() >= held[1] else None


def review_shadow(engine: Engine, settings: Settings, read_signals: SignalReader) -> RetrainResult | None:
    """Once the shadow period of a held-back challenger ends, gate it again on the newest slice and on the shadow
    comparison, promote it if both favour it, and report (None when no version awaits review)."""
    with session_scope(engine) as session:
        version = _awaiting_review(session)
        if version is None:
            return None
        challenger = load_version(version, session=session, models_dir=settings.models_dir)
        champion = load_champion(session=session, models_dir=settings.models_dir)
        table = labelled_table(session, settings, read_signals)
    _, test = table.time_split(settings.learning.test_fraction)
    evaluation = evaluate(test, _contenders(settings, challenger, champion))
    with session_scope(engine) as session:
        shadow = compare_shadow(version, session=session)
        decision = decide_promotion(evaluation, settings.learning, version=version, shadow=shadow)
        path = write_report(evaluation, Path(settings.learning.reports_dir), name=version, decision=decision)
        recorded: dict[str, dict[str, Any] | None] = {"evaluation": evaluation.to_dict(), "gate": decision.to_dict()}
        recorded["shadow"] = None if shadow is None else shadow.to_dict()
        model_versions.update_metrics(version, recorded, session=session)
        mark_version_details(version, {"shadow_reviewed_at": utcnow().isoformat()}, session=session)
        record_policies(evaluation, session=session)
        if decision.promote:
            promote(version, session=session, models_dir=settings.models_dir, reason="; ".join(decision.reasons))
        enqueue_report(decision, evaluation, session=session, report_path=str(path))
    log.info("learning.shadow.reviewed", version=version, promoted=decision.promote, reasons=decision.reasons)
    return RetrainResult(version, decision.promote, decision, evaluation, path)
