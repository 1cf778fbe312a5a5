"""Trained models read only features whose training value means what it means when serving."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from learning.table import TrainingTable
from scoring.features import FEATURE_NAMES, SPECS, TRAINED_FEATURE_NAMES
from scoring.model import ModelBundle


def test_days_since_last_call_is_fixed_by_the_snapshot_so_models_do_not_train_on_it(
    sample_table: TrainingTable, make_bundle: Callable[[str], ModelBundle]
) -> None:
    with_calls = sample_table.frame["call_count"].to_numpy(dtype=np.float64) > 0
    days = sample_table.frame["days_since_last_call"].to_numpy(dtype=np.float64)[with_calls]
    assert with_calls.any() and np.nanmax(days) < 1.0, "the snapshot is the last call: the value is always ~0"
    bundle = make_bundle("v-trained-features")
    for model in (bundle.progression, bundle.voice_ai):
        assert model is not None
        assert "days_since_last_call" not in model.metadata.feature_names
        assert model.metadata.feature_names == list(TRAINED_FEATURE_NAMES)
    assert not SPECS["days_since_last_call"].trained and "days_since_last_call" in FEATURE_NAMES
