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


def version_card(row: ModelVersion, *, session: Session, reports_dir: Path) -> VersionCard:
    """Everything the page shows for one version."""
    evaluation = row.metrics.get("evaluation") or {}
    challenger = (evaluation.get("contenders") or {}).get("challenger") or {}
    verdict, reasons = _verdict(row)
    shadow = compare_shadow(row.version, session=session) if window_of(row) is not None else None
    path = report_path(reports_dir, row.version)
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
