"""Scoring configuration: recommendation thresholds, confidence weights, explanation limits and prior weights.

Loaded from ``config/scoring.yaml`` (owned by the scoring engine) by `load_scoring_config(path)`, so the
scorer receives a plain validated object and never reads settings or the environment itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"
DEFAULT_SCORING_PATH = CONFIG_DIR / "scoring.yaml"
DEFAULT_RULES_PATH = CONFIG_DIR / "rules.yaml"


class ConfigError(ValueError):
    """A scoring or rules configuration file is missing or invalid."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Thresholds(_Strict):
    """Qualification-score cut-offs for the recommendation."""

    ae_handoff: int = Field(ge=1, le=100)
    nurture: int = Field(ge=0, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.nurture > self.ae_handoff:
            raise ValueError(f"thresholds.nurture ({self.nurture}) must not exceed ae_handoff ({self.ae_handoff})")
        return self


class PriorityThresholds(_Strict):
    """Cut-offs for priority: HIGH_VOICE_AI needs both a high Voice AI fit and a minimum score."""

    high_voice_ai_fit: int = Field(ge=0, le=100)
    high_voice_ai_min_score: int = Field(ge=0, le=100)
    high: int = Field(ge=0, le=100)
    medium: int = Field(ge=0, le=100)


class CompletenessWeights(_Strict):
    """How much each kind of input counts towards data completeness."""

    company: float = Field(ge=0)
    industry: float = Field(ge=0)
    employees: float = Field(ge=0)
    description: float = Field(ge=0)
    calls: float = Field(ge=0)
    urgency: float = Field(ge=0)


class ConfidenceConfig(_Strict):
    """Confidence = completeness_weight * completeness + certainty_weight * |2p - 1|, then penalties."""

    completeness_weight: float = Field(ge=0, le=1)
    certainty_weight: float = Field(ge=0, le=1)
    prior_factor: float = Field(gt=0, le=1)
    signal_warning_factor: float = Field(gt=0, le=1)
    low_threshold: float = Field(ge=0, le=1)
    inputs: CompletenessWeights


class ExplanationConfig(_Strict):
    """How much explanation a result carries."""

    max_reasons: int = Field(ge=1, le=20)
    max_factors: int = Field(ge=1, le=50)
    max_evidence: int = Field(ge=0, le=50)
    min_contribution: float = Field(ge=0)
    max_quote_chars: int = Field(ge=20, le=1000)
    contributions: Literal["path", "shap"] = "path"


class NumericTerm(_Strict):
    """A numeric prior term: weight * (clip(transform(x), lo, hi) - center); missing contributes 0."""

    weight: float
    center: float = 0.0
    transform: Literal["linear", "log10p"] = "linear"
    clip: tuple[float, float] | None = None


class PriorWeights(_Strict):
    """One logistic prior: intercept plus boolean, numeric and categorical terms over registry features."""

    intercept: float
    booleans: dict[str, float] = Field(default_factory=dict)
    numeric: dict[str, NumericTerm] = Field(default_factory=dict)
    categories: dict[str, dict[str, float]] = Field(default_factory=dict)


class PriorConfig(_Strict):
    """Weights for the cold-start prior's two scores."""

    progression: PriorWeights
    voice_ai: PriorWeights


class PolicyConfig(_Strict):
    """The handoff goal: precision targets (with a confidence bound) and optional AE capacity per week."""

    target_precision: float = Field(gt=0, lt=1)
    voice_ai_target_precision: float = Field(gt=0, lt=1)
    confidence: float = Field(ge=0.5, lt=1)
    capacity_per_week: int | None = Field(default=None, ge=1)
    min_handoffs: int = Field(ge=1, le=1000)


class ScoringConfig(_Strict):
    """Everything the scorer needs besides the models and the rules."""

    thresholds: Thresholds
    priority: PriorityThresholds
    confidence: ConfidenceConfig
    explanation: ExplanationConfig
    max_calls: int = Field(ge=1, le=50)
    policy: PolicyConfig
    prior: PriorConfig


def read_yaml(path: Path) -> object:
    """Parse a YAML file; ConfigError naming the file when it is missing or malformed."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is not valid YAML: {exc}") from exc


def load_scoring_config(path: str | Path = DEFAULT_SCORING_PATH) -> ScoringConfig:
    """Load and validate config/scoring.yaml (prior feature names are checked by PriorScorer)."""
    data = read_yaml(Path(path))
    try:
        return ScoringConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
