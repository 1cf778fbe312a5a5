"""The handoff policy a scorer applies: probability cut-offs chosen from outcomes (learning.policy), per model.

A policy is plain validated data stored with the model version it was chosen for. It says which calibrated
probability hands a lead to an AE (and, when AE capacity binds, the higher cut-off capacity allows), which Voice
AI probability flags HIGH_VOICE_AI, what precision and weekly volume to expect there, and whether the shown
probability beats the base rate's Brier score (if not, the product calls it uncalibrated). For the rule-based
prior it also carries the Platt calibration fitted on outcomes, applied on top of the prior's probabilities.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from scoring.calibration import calibrator_from_dict, logit


class OperatingPoint(BaseModel):
    """One chosen cut-off on a probability and what it is expected to deliver."""

    model_config = ConfigDict(frozen=True)

    target: float = Field(ge=0, le=1)
    met: bool
    threshold: float = Field(ge=0, le=1)
    handoffs: int = Field(ge=0)
    rows: int = Field(ge=0)
    expected_precision: float | None = None
    precision_lower_bound: float | None = None
    weekly_volume: float | None = None
    note: str = ""


class HandoffPolicy(BaseModel):
    """Operating points, capacity cut-off and calibration of one model version on its newest validated slice."""

    model_config = ConfigDict(frozen=True)

    model_version: str
    chosen_at: datetime
    confidence: float = Field(gt=0, lt=1)
    rows: int = Field(ge=0)
    handoff: OperatingPoint
    capacity: OperatingPoint | None = None
    voice_ai: OperatingPoint | None = None
    base_rate: float | None = None
    brier: float | None = None
    base_rate_brier: float | None = None
    calibration: dict[str, Any] | None = None

    @property
    def calibrated(self) -> bool:
        """True when the probability beat the base rate's Brier score on the validated slice."""
        return self.brier is not None and self.base_rate_brier is not None and self.brier < self.base_rate_brier

    @property
    def handoff_threshold(self) -> float:
        """The probability at or above which a lead goes to an AE (capacity's cut-off when it binds)."""
        return self.capacity.threshold if self.capacity is not None else self.handoff.threshold

    def calibrate(self, probability: np.ndarray) -> np.ndarray:
        """Apply the stored calibration (prior only) to probabilities; unchanged without one."""
        if self.calibration is None:
            return probability
        return calibrator_from_dict(self.calibration).transform(logit(probability))
