"""Probability calibrators that map a LightGBM raw margin (log-odds) to a calibrated probability.

They follow scikit-learn conventions (parameters in ``__init__``, learned state in ``*_`` attributes, ``fit``
returns self) and serialise to plain JSON so a model artifact never depends on pickle compatibility.
"""

from __future__ import annotations

from typing import Any, ClassVar, Protocol

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted


def sigmoid(margin: np.ndarray) -> np.ndarray:
    """Numerically stable logistic function."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(margin, dtype=np.float64)))


def logit(probability: np.ndarray) -> np.ndarray:
    """Log-odds of probabilities (clipped away from 0 and 1), the inverse of `sigmoid`."""
    p = np.clip(np.asarray(probability, dtype=np.float64), 1e-9, 1.0 - 1e-9)
    return np.log(p / (1.0 - p))


class Calibrator(Protocol):
    """Maps raw margins to calibrated probabilities and round-trips through JSON."""

    method: ClassVar[str]

    def transform(self, margin: np.ndarray) -> np.ndarray: ...

    def to_dict(self) -> dict[str, Any]: ...


class IdentityCalibrator(BaseEstimator):
    """No calibration: the booster's own sigmoid probability."""

    method: ClassVar[str] = "none"

    def fit(self, margin: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None) -> IdentityCalibrator:
        """Nothing to learn; kept for a uniform interface."""
        self.fitted_ = True
        return self

    def transform(self, margin: np.ndarray) -> np.ndarray:
        """Return sigmoid(margin)."""
        return sigmoid(margin)

    def to_dict(self) -> dict[str, Any]:
        """Serialise to JSON-friendly data."""
        return {"method": self.method}


class PlattCalibrator(BaseEstimator):
    """Platt scaling: p = sigmoid(coef * margin + intercept), fitted by logistic regression on a held-out slice."""

    method: ClassVar[str] = "platt"

    def fit(self, margin: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None) -> PlattCalibrator:
        """Fit coef_ and intercept_ on held-out margins and 0/1 labels."""
        regression = LogisticRegression(C=1e6)
        regression.fit(np.asarray(margin, dtype=np.float64).reshape(-1, 1), y, sample_weight=sample_weight)
        self.coef_ = float(regression.coef_[0, 0])
        self.intercept_ = float(regression.intercept_[0])
        return self

    def transform(self, margin: np.ndarray) -> np.ndarray:
        """Return calibrated probabilities."""
        check_is_fitted(self, "coef_")
        return sigmoid(self.coef_ * np.asarray(margin, dtype=np.float64) + self.intercept_)

    def to_dict(self) -> dict[str, Any]:
        """Serialise to JSON-friendly data."""
        check_is_fitted(self, "coef_")
        return {"method": self.method, "coef": self.coef_, "intercept": self.intercept_}


class IsotonicCalibrator(BaseEstimator):
    """Isotonic regression on the margin, stored as its step thresholds and applied by interpolation."""

    method: ClassVar[str] = "isotonic"

    def fit(self, margin: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None) -> IsotonicCalibrator:
        """Fit the monotone map on held-out margins and 0/1 labels."""
        regression = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0)
        regression.fit(np.asarray(margin, dtype=np.float64), y, sample_weight=sample_weight)
        self.x_thresholds_ = np.asarray(regression.X_thresholds_, dtype=np.float64)
        self.y_thresholds_ = np.asarray(regression.y_thresholds_, dtype=np.float64)
        return self

    def transform(self, margin: np.ndarray) -> np.ndarray:
        """Return calibrated probabilities (clipped to the fitted range)."""
        check_is_fitted(self, "x_thresholds_")
        return np.interp(np.asarray(margin, dtype=np.float64), self.x_thresholds_, self.y_thresholds_)

    def to_dict(self) -> dict[str, Any]:
        """Serialise to JSON-friendly data."""
        check_is_fitted(self, "x_thresholds_")
        return {"method": self.method, "x": self.x_thresholds_.tolist(), "y": self.y_thresholds_.tolist()}


CALIBRATORS: dict[str, type[IdentityCalibrator | PlattCalibrator | IsotonicCalibrator]] = {
    cls.method: cls for cls in (IdentityCalibrator, PlattCalibrator, IsotonicCalibrator)
}


def calibrator_from_dict(data: dict[str, Any]) -> IdentityCalibrator | PlattCalibrator | IsotonicCalibrator:
    """Rebuild a fitted calibrator from `to_dict` output; ValueError on an unknown or malformed entry."""
    method = data.get("method")
    if method == "none":
        return IdentityCalibrator().fit(np.empty(0), np.empty(0))
    if method == "platt":
        platt = PlattCalibrator()
        platt.coef_, platt.intercept_ = float(data["coef"]), float(data["intercept"])
        return platt
    if method == "isotonic":
        iso = IsotonicCalibrator()
        iso.x_thresholds_ = np.asarray(data["x"], dtype=np.float64)
        iso.y_thresholds_ = np.asarray(data["y"], dtype=np.float64)
        if iso.x_thresholds_.shape != iso.y_thresholds_.shape or iso.x_thresholds_.size == 0:
            raise ValueError("isotonic calibrator needs equally long, non-empty x and y thresholds")
        return iso
    raise ValueError(f"unknown calibration method {method!r}; expected one of {sorted(CALIBRATORS)}")
