"""The model page's explanations: each version's figures, gate verdict in plain words, skipped models, handoff
policy, shadow comparison and report, read from what the registry recorded."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from admin_api.runtime.serving import VERSION_PATTERN
from learning.registry import rollback_candidates
from learning.shadow import compare_shadow, window_of
from scoring.policy import HandoffPolicy
from store.tables import ModelVersion


@dataclass(frozen=True)
class PolicyView:
    """A version's handoff policy as the page shows it."""

    target: float
    threshold: float
    expected_precision: float | None
    weekly_volume: float | None
    met: bool
    calibrated: bool
    note: str


@dataclass(frozen=True)
class VersionCard:
    """One registry version with everything the page says about it."""

    version: str
    state: str
    created_at: datetime
    promoted_at: datetime | None
    figures: dict[str, Any]
    verdict: str
    reasons: list[str]
    skipped: dict[str, str]
    policy: PolicyView | None
    shadow: dict[str, Any] | None
    report: bool
    rolled_back: bool = False
    rule_audit: list[dict[str, Any]] = field(default_factory=list)
    compared: list[dict[str, Any]] = field(default_factory=list)
    trade_off: str | None = None
    evaluation_report: bool = False


@dataclass(frozen=True)
class ModelActions:
    """Which model actions can succeed now: rollback (and to what), and which versions may be served."""

    rollback_to: str | None
    servable: frozenset[str]


def report_path(reports_dir: Path, version: str) -> Path | None:
    """The HTML report written for a version (None for names that are not plain version names)."""
    if not VERSION_PATTERN.match(version) or ".." in version:
        return None
    return Path(reports_dir) / f"{version}.html"


def _verdict(row: ModelVersion) -> tuple[str, list[str]]:
    """What the promotion gate decided, in plain words, and its reasons."""
    gate = row.metrics.get("gate")
    manual = row.details.get("promotion_reason")
    if not isinstance(gate, dict):
        return ("Promoted: " + manual, []) if manual else ("Not evaluated by the gate yet.", [])
    reasons = [str(reason) for reason in gate.get("reasons", [])]
    against = gate.get("incumbent", "the incumbent")
    if gate.get("promote"):
        return f"The gate promoted it over the {against}.", reasons
    if gate.get("awaiting_shadow"):
        return "Held back until its shadow period ends; then the gate looks again.", reasons
    if row.state == "champion" and manual:
        return f"The gate kept it out, but it was promoted by hand ({manual}).", reasons
    return f"The gate kept it out: it did not beat the {against}.", reasons


def _policy(data: Any) -> PolicyView | None:
    """The recorded policy (None when absent or no longer valid)."""
    if not isinstance(data, dict):
        return None
    try:
        policy = HandoffPolicy.model_validate(data)
    except ValidationError:
        return None
    point = policy.capacity or policy.handoff
    return PolicyView(
        target=policy.handoff.target,
        threshold=policy.handoff_threshold,
        expected_precision=point.expected_precision,
        weekly_volume=point.weekly_volume,
        met=point.met,
        calibrated=policy.calibrated,
        note=" ".join(p.note for p in (policy.handoff, policy.capacity) if p is not None),
    )


def _compared(evaluation: dict[str, Any]) -> list[dict[str, Any]]:
    """Each contender's figures on the newest slice (this version first), for the side-by-side table."""
    contenders = evaluation.get("contenders") or {}
    names = {"challenger": "this version", "champion": "champion then", "prior": "rule-based prior"}
    return [
        {
            "name": label,
            "version": contenders[key].get("model_version"),
            **{k: contenders[key].get(k) for k in ("roc_auc", "brier", "handoff_precision", "handed_off", "n")},
        }
        for key, label in names.items()
        if isinstance(contenders.get(key), dict)
    ]


def trade_off(compared: list[dict[str, Any]]) -> str | None:
    """The ranking-versus-handoff trade-off in plain words when AUC and handoff precision disagree (else None)."""
    if len(compared) < 2:
        return None
    mine, other = compared[0], compared[-1] if len(compared) == 2 else compared[1]
    keys = ("roc_auc", "handoff_precision")
    if any(mine.get(k) is None or other.get(k) is None for k in keys):
        return None
    auc_up = mine["roc_auc"] > other["roc_auc"]
    precision_up = mine["handoff_precision"] > other["handoff_precision"]
    if auc_up == precision_up:
        return None
    volume = f" handing off {mine.get('handed_off', '?')} leads against {other.get('handed_off', '?')}"
    return (
        f"Trade-off against the {other['name']}: ROC-AUC {mine['roc_auc']:.3f} vs {other['roc_auc']:.3f} "
        f"({'better' if auc_up else 'worse'}), handoff precision {mine['handoff_precision']:.1%} vs "
        f"{other['handoff_precision']:.1%} ({'better' if precision_up else 'worse'}),{volume} on the same slice. "
        "The gate ranks by ROC-AUC; handoff precision is what AEs feel."
    )


def model_actions(rows: list[ModelVersion], *, session: Session, serving: str) -> ModelActions:
    """What the page may offer: a rollback only when an earlier champion exists, "serve" only for versions other
    than the one serving whose model file is on disk."""
    champion = next((row for row in rows if row.state == "champion"), None)
    candidates = [] if champion is None else rollback_candidates(champion, session=session)
    servable = frozenset(
        row.version
        for row in rows
        if row.version != serving and row.artifact_path and Path(row.artifact_path).is_file()
    )
    return ModelActions(rollback_to=candidates[0].version if candidates else None, servable=servable)


def version_card(row: ModelVersion, *, session: Session, reports_dir: Path) -> VersionCard:
    """Everything the page shows for one version."""
    evaluation = row.metrics.get("evaluation") or {}
    challenger = (evaluation.get("contenders") or {}).get("challenger") or {}
    verdict, reasons = _verdict(row)
    shadow = compare_shadow(row.version, session=session) if window_of(row) is not None else None
    path = report_path(reports_dir, row.version)
    evaluation_path = report_path(reports_dir, f"{row.version}-evaluation")
    compared = _compared(evaluation)
    return VersionCard(
        version=row.version,
        state=row.state,
        created_at=row.created_at,
        promoted_at=row.promoted_at,
        figures={key: challenger.get(key) for key in ("roc_auc", "brier", "handoff_precision", "handoff_recall")}
        | {"rows": evaluation.get("n")},
        verdict=verdict,
        reasons=reasons,
        skipped=dict(row.metrics.get("skipped_models") or {}),
        policy=_policy(challenger.get("policy")),
        shadow=None if shadow is None else shadow.to_dict(),
        report=path is not None and path.is_file(),
        rolled_back=bool(row.details.get("rolled_back")),
        rule_audit=list(challenger.get("rule_audit") or []),
        compared=compared,
        trade_off=trade_off(compared),
        evaluation_report=evaluation_path is not None and evaluation_path.is_file(),
    )


def version_cards(rows: list[ModelVersion], *, session: Session, reports_dir: Path) -> dict[str, Any]:
    """Cards for every version (newest first) and the rule audit of the newest evaluation."""
    cards = [version_card(row, session=session, reports_dir=reports_dir) for row in rows]
    audited = next((card for card in cards if card.rule_audit), None)
    return {
        "cards": cards,
        "rule_audit": [] if audited is None else audited.rule_audit,
        "rule_audit_version": None if audited is None else audited.version,
    }
