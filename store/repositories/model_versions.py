"""Model registry rows: every version kept, exactly one champion at a time."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from store.tables import ModelVersion
from store.types import utcnow

STATES = ("candidate", "champion", "retired")


def add_model_version(
    version: str, *, session: Session, artifact_path: str, details: dict[str, Any], metrics: dict[str, Any]
) -> ModelVersion:
    """Register a newly trained version as a candidate."""
    row = ModelVersion(version=version, artifact_path=artifact_path, details=details, metrics=metrics)
    session.add(row)
    session.flush()
    return row


def get_model_version(version: str, *, session: Session) -> ModelVersion | None:
    """A registered version by name."""
    return session.exec(select(ModelVersion).where(ModelVersion.version == version)).first()


def get_champion(*, session: Session) -> ModelVersion | None:
    """The version currently serving, or None (the rule-based prior serves then)."""
    return session.exec(select(ModelVersion).where(ModelVersion.state == "champion")).first()


def set_champion(version: str, *, session: Session) -> ModelVersion:
    """Make a version champion and retire the previous one, in the caller's transaction."""
    row = get_model_version(version, session=session)
    if row is None:
        raise LookupError(f"model version {version!r} is not registered")
    now = utcnow()
    for current in session.exec(select(ModelVersion).where(ModelVersion.state == "champion")).all():
        if current.version != version:
            current.state, current.retired_at = "retired", now
            session.add(current)
    row.state, row.promoted_at = "champion", now
    session.add(row)
    session.flush()
    return row


def update_metrics(version: str, metrics: dict[str, Any], *, session: Session) -> None:
    """Merge evaluation figures into a version's stored metrics."""
    row = get_model_version(version, session=session)
    if row is None:
        raise LookupError(f"model version {version!r} is not registered")
    row.metrics = {**row.metrics, **metrics}
    session.add(row)
    session.flush()


def list_model_versions(*, session: Session) -> list[ModelVersion]:
    """All versions, newest first."""
    return list(session.exec(select(ModelVersion).order_by(col(ModelVersion.created_at).desc())).all())


def mark_version_details(version: str, details: dict[str, Any], *, session: Session) -> ModelVersion:
    """Merge keys into a registered version's details (rollback marks, promotion decisions)."""
    row = session.exec(select(ModelVersion).where(ModelVersion.version == version)).first()
    if row is None:
        raise LookupError(f"model version {version!r} is not registered")
    row.details = {**row.details, **details}
    session.add(row)
    session.flush()
    return row
