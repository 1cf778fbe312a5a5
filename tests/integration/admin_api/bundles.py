"""Small real model bundles for registry tests: LightGBM boosters trained on synthetic firmographics."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import lightgbm
import numpy as np
from sqlalchemy.engine import Engine

from learning.registry import register
from scoring.calibration import IdentityCalibrator
from scoring.domain import CompanyFacts, LeadFacts
from scoring.features import CATEGORY_LEVELS, FEATURE_NAMES, build_features, encode_frame, features_frame
from scoring.model import LeadModel, ModelBundle, ModelMetadata
from store.db import session_scope


def _model(version: str, kind: str, matrix: np.ndarray, labels: np.ndarray) -> LeadModel:
    data = lightgbm.Dataset(matrix, labels, feature_name=list(FEATURE_NAMES), free_raw_data=False)
    params = {"objective": "binary", "verbose": -1, "num_leaves": 4, "min_data_in_leaf": 5, "seed": 1}
    booster = lightgbm.train(params, data, num_boost_round=8)
    metadata = ModelMetadata(
        version=version,
        kind=kind,  # type: ignore[arg-type]
        feature_names=list(FEATURE_NAMES),
        categorical_levels={name: list(levels) for name, levels in CATEGORY_LEVELS.items()},
        trained_at=datetime.now(UTC),
        n_train=len(labels),
    )
    return LeadModel(booster, IdentityCalibrator().fit(np.zeros(1), np.zeros(1)), metadata)


def make_bundle(version: str, *, threshold: int, seed: int = 0) -> ModelBundle:
    """A bundle whose progression model learned 'more employees than `threshold` progress'."""
    rng = np.random.default_rng(seed)
    employees = rng.integers(1, 5000, size=300)
    rows = [
        build_features(
            CompanyFacts(name=f"c{i}", domain=f"c{i}.com", employees=int(n)), LeadFacts(), [], datetime.now(UTC)
        )
        for i, n in enumerate(employees)
    ]
    matrix = encode_frame(features_frame(rows))
    labels = (employees > threshold).astype(float)
    return ModelBundle(
        version, _model(version, "progression", matrix, labels), _model(version, "voice_ai", matrix, 1 - labels)
    )


def register_bundle(engine: Engine, models_dir: Path, bundle: ModelBundle) -> None:
    """Save and register a bundle as a candidate."""
    with session_scope(engine) as session:
        register(bundle, session=session, models_dir=models_dir, details={"test": True}, metrics={"roc_auc": 0.7})
