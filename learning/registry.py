"""The model registry: artifacts under `models_dir`, one row per version, one champion at a time.

Artifacts are written atomically by `ModelBundle.save` (temp directory + rename) before the version is
registered, and a version is promoted only after its artifact loads and passes compatibility checks, so a
crash or a corrupt file never leaves a half model serving. Version names are path-safe by construction and
anything that would resolve outside `models_dir` is refused.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import structlog
from sqlmodel import Session

from store.repositories import model_versions
from store.repositories.model_versions import mark_version_details
from store.tables import ModelVersion

if TYPE_CHECKING:
    from scoring.model import ModelBundle

log = structlog.get_logger(__name__)

VERSION_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")


class RegistryError(ValueError):
    """A registry operation was refused (unknown version, bad name, unloadable artifact)."""


def artifact_dir(models_dir: Path, version: str) -> Path:
    """Where a version's artifact lives; RegistryError for names that are not plain, safe file names."""
    if not VERSION_RE.match(version) or ".." in version:
        raise RegistryError(f"invalid model version name {version!r}: use letters, digits, '.', '_' and '-'")
    root = Path(models_dir).resolve()
    path = (root / version).resolve()
    if path.parent != root:
        raise RegistryError(f"model version {version!r} would resolve outside {root}")
    return path


def register(
    bundle: ModelBundle, *, session: Session, models_dir: Path, details: dict[str, Any], metrics: dict[str, Any]
) -> ModelVersion:
    """Save a bundle's artifact atomically and register it as a candidate."""
    path = artifact_dir(models_dir, bundle.version)
    if model_versions.get_model_version(bundle.version, session=session) is not None:
        raise RegistryError(f"model version {bundle.version} is already registered")
    bundle.save(path)
    row = model_versions.add_model_version(
        bundle.version, session=session, artifact_path=str(path), details=details, metrics=metrics
    )
    log.info("learning.registry.registered", version=bundle.version, path=str(path))
    return row


def load_version(version: str, *, session: Session, models_dir: Path) -> ModelBundle:
    """Load a registered version's artifact; RegistryError when unknown or unloadable."""
    from scoring.model import IncompatibleModelError, ModelBundle  # LightGBM loads here, not for `learn list`

    row = model_versions.get_model_version(version, session=session)
    if row is None:
        raise RegistryError(f"model version {version!r} is not registered")
    path = artifact_dir(models_dir, version)
    try:
        bundle = ModelBundle.load(path)
    except IncompatibleModelError as exc:
        raise RegistryError(f"model version {version} cannot be loaded: {exc}") from exc
    if bundle.version != version:
        raise RegistryError(f"artifact at {path} holds version {bundle.version}, not {version}")
    return bundle


def load_champion(*, session: Session, models_dir: Path) -> ModelBundle | None:
    """The serving bundle, or None when the rule-based prior serves (no champion, or it fails to load)."""
    row = model_versions.get_champion(session=session)
    if row is None:
        return None
    try:
        return load_version(row.version, session=session, models_dir=models_dir)
    except RegistryError as exc:
        log.error("learning.registry.champion_unloadable", version=row.version, error=str(exc))
        return None


def promote(version: str, *, session: Session, models_dir: Path, reason: str) -> ModelVersion:
    """Make a version champion after proving its artifact loads; the previous champion is retired."""
    load_version(version, session=session, models_dir=models_dir)
    row = model_versions.set_champion(version, session=session)
    mark_version_details(version, {"promotion_reason": reason, "rolled_back": False}, session=session)
    log.info("learning.registry.promoted", version=version, reason=reason)
    return row


def rollback_candidates(current: ModelVersion, *, session: Session) -> list[ModelVersion]:
    """Earlier champions a rollback from `current` may reinstate, most recently promoted first."""
    earlier = [
        row
        for row in model_versions.list_model_versions(session=session)
        if row.version != current.version
        and row.promoted_at is not None
        and not row.details.get("rolled_back")
        and (current.promoted_at is None or row.promoted_at <= current.promoted_at)
    ]
    return sorted(earlier, key=lambda r: r.promoted_at or r.created_at, reverse=True)


def rollback(*, session: Session, models_dir: Path) -> ModelVersion:
    """Reinstate the most recent earlier champion that still loads; the current one is marked rolled back."""
    current = model_versions.get_champion(session=session)
    if current is None:
        raise RegistryError("there is no champion to roll back")
    for row in rollback_candidates(current, session=session):
        try:
            load_version(row.version, session=session, models_dir=models_dir)
        except RegistryError as exc:
            log.warning("learning.registry.rollback_skip", version=row.version, error=str(exc))
            continue
        mark_version_details(current.version, {"rolled_back": True}, session=session)
        restored = model_versions.set_champion(row.version, session=session)
        log.info("learning.registry.rolled_back", from_version=current.version, to_version=row.version)
        return restored
    raise RegistryError(f"no earlier champion that loads to roll back to from {current.version}")


def versions_table(*, session: Session) -> list[dict[str, Any]]:
    """Every version with its state and headline figures, newest first (for `fellow learn list`)."""
    rows = []
    for row in model_versions.list_model_versions(session=session):
        evaluation = row.metrics.get("evaluation", {}).get("contenders", {}).get("challenger", {})
        rows.append(
            {
                "version": row.version,
                "state": row.state,
                "created_at": row.created_at.isoformat(),
                "promoted_at": row.promoted_at.isoformat() if row.promoted_at else None,
                "rolled_back": bool(row.details.get("rolled_back")),
                "n_train": row.details.get("n_train"),
                "roc_auc": evaluation.get("roc_auc"),
                "handoff_precision": evaluation.get("handoff_precision"),
            }
        )
    return rows
