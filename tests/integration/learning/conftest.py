"""Shared learning fixtures: one small sample dataset with real call signals, read once per test session."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from admin_api.demo.sample_data import SampleDataset, generate_sample
from admin_api.demo.snapshots import sample_snapshots
from config.sections import LearningSection
from learning.bundles import train_bundle
from learning.table import SignalCache, TrainingTable, build_table
from learning.training import TrainConfig
from nlp import SignalExtractor
from scoring.model import ModelBundle

FAST = TrainConfig(max_rounds=40, early_stopping_rounds=10, max_trials=1, num_threads=1)


@pytest.fixture(scope="session")
def sample() -> SampleDataset:
    """A small deterministic sample (about 140 labelled leads)."""
    return generate_sample(160, seed=5)


@pytest.fixture(scope="session")
def signal_cache() -> SignalCache:
    """One extractor and signal cache for the whole session (the spaCy pipeline is costly to build)."""
    return SignalCache(SignalExtractor())


@pytest.fixture(scope="session")
def sample_table(sample: SampleDataset, signal_cache: SignalCache) -> TrainingTable:
    """The sample's training table."""
    return build_table(sample_snapshots(sample, LearningSection()), signal_cache, max_calls=5)


@pytest.fixture
def make_bundle(sample_table: TrainingTable) -> Callable[[str], ModelBundle]:
    """Train a small bundle under a given version name."""

    def make(version: str) -> ModelBundle:
        return train_bundle(sample_table, learning=LearningSection(), version=version, config=FAST).bundle

    return make
