"""Fixtures for scoring tests: synthetic leads and tiny LightGBM bundles trained in-process."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import lightgbm
import numpy as np
import pandas as pd
import pytest

from nlp import CallSignals
from scoring.calibration import IsotonicCalibrator, PlattCalibrator
from scoring.config import load_scoring_config
from scoring.domain import CallFacts, CompanyFacts, LeadFacts
from scoring.features import CATEGORY_LEVELS, build_features, features_frame
from scoring.model import LeadModel, ModelBundle, ModelMetadata
from scoring.prior import PriorScorer
from scoring.rules import load_rules
from scoring.scorer import Scorer

NOW = datetime(2025, 3, 1, tzinfo=UTC)


def synthetic_rows(n: int, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Features for n leads plus progression and Voice AI labels that depend on the signals with noise."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        has_call = rng.random() < 0.7
        signals = (
            CallSignals(
                pricing_requested=bool(rng.random() < 0.4),
                next_meeting_scheduled=bool(rng.random() < 0.4),
                product_voice_ai=bool(rng.random() < 0.3),
                not_interested=bool(rng.random() < 0.1),
                urgency=str(rng.choice(["high", "medium", "low"])),
                sentiment=float(rng.uniform(-1, 1)),
            )
            if has_call
            else None
        )
        calls = (
            [CallFacts(i, NOW - timedelta(days=int(rng.integers(1, 60))), "notes here", signals)] if has_call else []
        )
        company = CompanyFacts(
            name=f"Co {i}",
            domain=f"co{i}.com",
            industry=str(rng.choice(["Healthcare", "Logistics", "Retail", "Knitting"])),
            employees=int(rng.integers(1, 20_000)),
            description=str(rng.choice(["AI contact center", "bakery", "freight delivery"])),
        )
        rows.append(build_features(company, LeadFacts(title="VP Sales"), calls, NOW))
    frame = features_frame(rows)
    pricing = frame["pricing_requested"].fillna(0).to_numpy()
    meeting = frame["next_meeting_scheduled"].fillna(0).to_numpy()
    voice = frame["product_voice_ai"].fillna(0).to_numpy()
    y_progress = (1.5 * pricing + meeting + rng.normal(0, 0.6, n) > 1.2).astype(int)
    y_voice = (2 * voice + frame["desc_ai_automation"].fillna(0).to_numpy() + rng.normal(0, 0.5, n) > 1.5).astype(int)
    return frame, y_progress, y_voice


def train_model(
    frame: pd.DataFrame, y: np.ndarray, kind: str, version: str, calibration: str = "isotonic"
) -> LeadModel:
    """Train a tiny booster on all registry columns and wrap it with a calibrator fitted on the same data."""
    booster = lightgbm.train(
        {"objective": "binary", "verbose": -1, "num_leaves": 7, "min_data_in_leaf": 5, "seed": 1, "num_threads": 1},
        lightgbm.Dataset(frame, y),
        num_boost_round=25,
    )
    margin = booster.predict(frame, raw_score=True)
    calibrator = (IsotonicCalibrator() if calibration == "isotonic" else PlattCalibrator()).fit(margin, y)
    metadata = ModelMetadata(
        version=version,
        kind=kind,
        feature_names=list(frame.columns),
        categorical_levels={k: list(v) for k, v in CATEGORY_LEVELS.items()},
        trained_at=NOW,
        n_train=len(frame),
        metrics={"roc_auc": 0.8},
    )
    return LeadModel(booster, calibrator, metadata)


@pytest.fixture(scope="session")
def training_data() -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    return synthetic_rows(600)


@pytest.fixture(scope="session")
def bundle(training_data: tuple[pd.DataFrame, np.ndarray, np.ndarray]) -> ModelBundle:
    frame, y_progress, y_voice = training_data
    return ModelBundle(
        version="test-v1",
        progression=train_model(frame, y_progress, "progression", "test-v1"),
        voice_ai=train_model(frame, y_voice, "voice_ai", "test-v1", calibration="platt"),
    )


@pytest.fixture(scope="session")
def scoring_config():
    return load_scoring_config()


@pytest.fixture(scope="session")
def prior_scorer(scoring_config) -> Scorer:
    return Scorer(None, load_rules(), PriorScorer(scoring_config.prior), scoring_config)


@pytest.fixture(scope="session")
def model_scorer(bundle: ModelBundle, scoring_config) -> Scorer:
    return Scorer(bundle, load_rules(), PriorScorer(scoring_config.prior), scoring_config)
