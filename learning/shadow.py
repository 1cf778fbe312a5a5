"""Shadow scoring: a challenger scores live leads beside the champion for `learning.shadow_days`, without
cards or Salesforce writes, and is compared with it on the outcomes that arrived since the shadow began.

The shadow window is recorded in the challenger's registry details when it is registered but not promoted;
the newest registered version shadows while it is a candidate and its window is open. The comparison pairs
each lead's newest shadow score taken before its outcome with the champion score it stood beside, so both
sides are judged on the same leads at the same moment, each at its own handoff policy.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import structlog
from sqlmodel import Session

from learning import metrics
from learning.registry import RegistryError, load_version
from scoring.domain import Recommendation
from scoring.model import ModelBundle
from store.repositories import model_versions
from store.repositories.model_versions import mark_version_details
from store.repositories.shadow_scores import shadow_pairs
from store.tables import ModelVersion
from store.types import utcnow

log = structlog.get_logger(__name__)

MIN_SHADOW_OUTCOMES = 20
HANDOFF = Recommendation.AE_HANDOFF.value


@dataclass(frozen=True)
class ShadowWindow:
    """When a challenger's shadow period began and when it ends."""

    started_at: datetime
    ends_at: datetime

    def open_at(self, now: datetime) -> bool:
        """Whether the challenger still shadows at `now`."""
        return self.started_at <= now < self.ends_at

    def to_dict(self) -> dict[str, str]:
        """The form kept in the version's registry details."""
        return {"started_at": self.started_at.isoformat(), "ends_at": self.ends_at.isoformat()}


def window_of(row: ModelVersion) -> ShadowWindow | None:
    """The shadow window recorded for a version (None when it never shadowed)."""
    recorded = row.details.get("shadow")
    if not isinstance(recorded, dict):
        return None
    return ShadowWindow(datetime.fromisoformat(recorded["started_at"]), datetime.fromisoformat(recorded["ends_at"]))


def start_shadow(version: str, window: ShadowWindow, *, session: Session) -> None:
    """Record that `version` shadows the champion during `window`."""
    mark_version_details(version, {"shadow": window.to_dict()}, session=session)


def shadowing_version(*, session: Session, now: datetime | None = None) -> ModelVersion | None:
    """The version scoring in shadow now: the newest registered one, while a candidate inside its window."""
    versions = model_versions.list_model_versions(session=session)
    if not versions or versions[0].state != "candidate":
        return None
    window = window_of(versions[0])
    return versions[0] if window is not None and window.open_at(now or utcnow()) else None


def latest_shadowed(*, session: Session) -> str | None:
    """The newest version that has had a shadow period, open or over."""
    versions = model_versions.list_model_versions(session=session)
    return next((row.version for row in versions if window_of(row) is not None), None)


def shadow_bundle(*, session: Session, models_dir: Path) -> ModelBundle | None:
    """The bundle to score in shadow now (None when no challenger shadows or its artifact does not load)."""
    row = shadowing_version(session=session)
    if row is None:
        return None
    try:
        return load_version(row.version, session=session, models_dir=models_dir)
    except RegistryError as exc:
        log.error("learning.shadow.unloadable", version=row.version, error=str(exc))
        return None


@dataclass(frozen=True)
class SideFigures:
    """One side's figures on the shadow outcomes."""

    roc_auc: float | None
    brier: float | None
    handoff_precision: float | None
    handoffs: int


def side_figures(y: np.ndarray, probability: np.ndarray, handed_off: np.ndarray) -> SideFigures:
    """ROC-AUC, Brier and handoff precision (at the side's own policy) of one side."""
    return SideFigures(
        roc_auc=metrics.roc_auc(y, probability),
        brier=metrics.brier(y, probability),
        handoff_precision=metrics.handoff_precision(y, handed_off),
        handoffs=int(handed_off.sum()),
    )


def _verdict(n: int, champion: SideFigures, challenger: SideFigures) -> tuple[bool, list[str]]:
    """Whether the outcomes favour the challenger, and why in plain words."""
    if n < MIN_SHADOW_OUTCOMES:
        return False, [f"only {n} outcomes arrived since the shadow began; at least {MIN_SHADOW_OUTCOMES} needed"]
    if challenger.roc_auc is None or champion.roc_auc is None:
        return False, ["ROC-AUC is undefined on the shadow outcomes (one class only)"]
    reasons = []
    if challenger.roc_auc < champion.roc_auc:
        reasons.append(f"ROC-AUC {challenger.roc_auc:.3f} is below the champion's {champion.roc_auc:.3f}")
    if challenger.brier is not None and champion.brier is not None and challenger.brier > champion.brier:
        reasons.append(f"Brier {challenger.brier:.3f} is worse than the champion's {champion.brier:.3f}")
    new, old = challenger.handoff_precision, champion.handoff_precision
    if new is not None and old is not None and new < old:
        reasons.append(f"handoff precision {new:.0%} is below the champion's {old:.0%}")
    if reasons:
        return False, reasons
    return True, [f"ROC-AUC {challenger.roc_auc:.3f} vs {champion.roc_auc:.3f}, no worse on Brier or precision"]


@dataclass(frozen=True)
class ShadowComparison:
    """Champion vs shadow challenger on the outcomes that arrived since the shadow began."""

    version: str
    window: ShadowWindow
    elapsed: bool
    n: int
    progressed: int
    champion: SideFigures
    challenger: SideFigures
    favours_challenger: bool
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (CLI, registry metrics, dashboard)."""
        return {
            "version": self.version,
            **self.window.to_dict(),
            "elapsed": self.elapsed,
            "n": self.n,
            "progressed": self.progressed,
            "champion": asdict(self.champion),
            "challenger": asdict(self.challenger),
            "favours_challenger": self.favours_challenger,
            "reasons": self.reasons,
        }


def compare_arrays(
    version: str, window: ShadowWindow, now: datetime, y: np.ndarray, champion: tuple[np.ndarray, np.ndarray],
    challenger: tuple[np.ndarray, np.ndarray],
) -> ShadowComparison:  # fmt: skip
    """The comparison from outcomes and each side's (probability, handed off) on the same leads."""
    ours, theirs = side_figures(y, *champion), side_figures(y, *challenger)
    favours, reasons = _verdict(len(y), ours, theirs)
    return ShadowComparison(
        version=version,
        window=window,
        elapsed=now >= window.ends_at,
        n=len(y),
        progressed=int(y.sum()),
        champion=ours,
        challenger=theirs,
        favours_challenger=favours,
        reasons=reasons,
    )


def opening_comparison(version: str, *, days: int, now: datetime) -> ShadowComparison:
    """The comparison of a shadow period starting now: no outcomes yet, the period not elapsed."""
    empty = np.empty(0)
    window = ShadowWindow(now, now + timedelta(days=days))
    return compare_arrays(version, window, now, empty, (empty, empty), (empty, empty))


def compare_shadow(version: str, *, session: Session, now: datetime | None = None) -> ShadowComparison | None:
    """Compare a version's shadow scores with the champion's on the outcomes since its shadow began (None when
    the version never shadowed)."""
    row = model_versions.get_model_version(version, session=session)
    window = None if row is None else window_of(row)
    if window is None:
        return None
    pairs = shadow_pairs(version, since=window.started_at, session=session)
    y = np.array([float(p.outcome.progressed) for p in pairs])
    champion = (
        np.array([p.champion.progression_probability for p in pairs]),
        np.array([float(p.champion.recommendation == HANDOFF) for p in pairs]),
    )
    challenger = (
        np.array([p.shadow.progression_probability for p in pairs]),
        np.array([float(p.shadow.recommendation == HANDOFF) for p in pairs]),
    )
    return compare_arrays(version, window, now or utcnow(), y, champion, challenger)
