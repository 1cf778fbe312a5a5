"""The cold-start prior: transparent weights, validated against the registry."""

from __future__ import annotations

import numpy as np
import pytest

from scoring.config import ConfigError, PriorWeights, load_scoring_config
from scoring.features import FEATURE_INDEX, build_features, encode_row
from scoring.prior import PriorModel, PriorScorer

from .conftest import NOW


def test_contributions_are_the_configured_weights() -> None:
    config = load_scoring_config()
    prior = PriorScorer(config.prior)
    features = build_features(None, None, [], NOW) | {"pricing_requested": True, "call_urgency": "high"}
    proba, contrib = prior.progression.predict_with_contributions(encode_row(features))
    weights = config.prior.progression
    assert contrib[0, FEATURE_INDEX["pricing_requested"]] == weights.booleans["pricing_requested"]
    assert contrib[0, FEATURE_INDEX["call_urgency"]] == weights.categories["call_urgency"]["high"]
    assert contrib[0, FEATURE_INDEX["employees"]] == 0.0
    assert contrib[0, -1] == weights.intercept
    np.testing.assert_allclose(proba, 1 / (1 + np.exp(-contrib.sum(axis=1))))
    assert prior.version.startswith("prior-")


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"intercept": 0, "booleans": {"shoe_size": 1}}, "unknown feature 'shoe_size'"),
        ({"intercept": 0, "booleans": {"employees": 1}}, "is numeric, listed under bool"),
        ({"intercept": 0, "categories": {"industry": {"knitting": 1}}}, "unknown levels ['knitting']"),
    ],
)
def test_bad_prior_weights_fail_at_load(weights: dict, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        PriorModel(PriorWeights.model_validate(weights), name="progression")
    assert message in str(info.value)
