"""The cold-start prior: a transparent logistic score with hand-set weights from config/scoring.yaml.

It exposes the same `predict_proba` / `predict_with_contributions` interface as `LeadModel`, so the scorer,
the explanations and the learning loop's evaluation treat the prior and a trained model alike.
"""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd

from scoring.calibration import sigmoid
from scoring.config import ConfigError, NumericTerm, PriorConfig, PriorWeights
from scoring.features import CATEGORY_LEVELS, FEATURE_NAMES, SPECS, encode_frame


class PriorModel:
    """One logistic prior (progression or Voice AI) compiled to vectors over the registry matrix."""

    def __init__(self, weights: PriorWeights, *, name: str) -> None:
        self.weights = weights
        self.name = name
        self._compile()

    def _compile(self) -> None:
        n = len(FEATURE_NAMES)
        self.bool_weights_ = np.zeros(n)
        self.numeric_ = []
        self.category_tables_: list[tuple[int, np.ndarray]] = []
        for feature, weight in self.weights.booleans.items():
            self.bool_weights_[self._index(feature, "bool")] = weight
        for feature, term in self.weights.numeric.items():
            self.numeric_.append((self._index(feature, "numeric"), term))
        for feature, table in self.weights.categories.items():
            j = self._index(feature, "category")
            levels = CATEGORY_LEVELS[feature]
            unknown = sorted(set(table) - set(levels))
            if unknown:
                raise ConfigError(f"prior.{self.name}.categories.{feature}: unknown levels {unknown}; known {levels}")
            self.category_tables_.append((j, np.array([table.get(level, 0.0) for level in levels])))

    def _index(self, feature: str, kind: str) -> int:
        spec = SPECS.get(feature)
        if spec is None:
            raise ConfigError(f"prior.{self.name}: unknown feature {feature!r}")
        if spec.kind != kind:
            raise ConfigError(f"prior.{self.name}: feature {feature!r} is {spec.kind}, listed under {kind} terms")
        return FEATURE_NAMES.index(feature)

    def predict_with_contributions(
        self, X: pd.DataFrame | np.ndarray, *, method: str = "exact"
    ) -> tuple[np.ndarray, np.ndarray]:
        """Probabilities and per-feature log-odds contributions (bias last), same layout as LeadModel;
        a linear score's contributions are exact, so `method` is accepted for interface parity only."""
        matrix = encode_frame(X) if isinstance(X, pd.DataFrame) else np.asarray(X, dtype=np.float64)
        contrib = np.zeros((matrix.shape[0], len(FEATURE_NAMES) + 1))
        contrib[:, :-1] = np.nan_to_num(matrix * self.bool_weights_, nan=0.0)
        for j, term in self.numeric_:
            contrib[:, j] = _numeric_term(matrix[:, j], term)
        for j, table in self.category_tables_:
            codes = matrix[:, j]
            known = ~np.isnan(codes)
            contrib[known, j] = table[codes[known].astype(np.intp)]
        contrib[:, -1] = self.weights.intercept
        return sigmoid(contrib.sum(axis=1)), contrib

    def predict_proba(self, X: pd.DataFrame | np.ndarray) -> np.ndarray:
        """Probability per row."""
        return self.predict_with_contributions(X)[0]


def _numeric_term(values: np.ndarray, term: NumericTerm) -> np.ndarray:
    transformed = np.log10(1.0 + np.maximum(values, 0.0)) if term.transform == "log10p" else values
    if term.clip is not None:
        transformed = np.clip(transformed, *term.clip)
    return np.nan_to_num(term.weight * (transformed - term.center), nan=0.0)


class PriorScorer:
    """The pair of priors used while no model is promoted; its version names a hash of its weights."""

    def __init__(self, config: PriorConfig) -> None:
        self.config = config
        self.progression = PriorModel(config.progression, name="progression")
        self.voice_ai = PriorModel(config.voice_ai, name="voice_ai")
        digest = hashlib.sha256(json.dumps(config.model_dump(), sort_keys=True).encode()).hexdigest()
        self.version = f"prior-{digest[:10]}"
