"""Enrichment settings: provider order, TTLs, website politeness and caps, queue weights (config/enrichment.yaml)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from scoring.enrichment import DEFAULT_PROVIDER_ORDER

DEFAULT_CONFIG_PATH = Path(__file__).resolve().parents[2] / "config" / "enrichment.yaml"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WebsiteConfig(_Frozen):
    """How the website reader fetches: identity, paths, timeouts, caps and politeness."""

    user_agent: str = Field(min_length=10, max_length=300)
    paths: tuple[str, ...] = ("/",)
    connect_timeout_seconds: float = Field(5.0, gt=0, le=60)
    read_timeout_seconds: float = Field(10.0, gt=0, le=120)
    page_deadline_seconds: float = Field(15.0, gt=0, le=300)
    max_page_bytes: int = Field(1_500_000, ge=1024, le=50_000_000)
    max_robots_bytes: int = Field(200_000, ge=512, le=5_000_000)
    max_redirects: int = Field(5, ge=0, le=20)
    politeness_delay_seconds: float = Field(1.0, ge=0, le=60)
    allowed_ports: tuple[int, ...] = (80, 443)

    @field_validator("paths")
    @classmethod
    def _absolute_paths(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value or any(not path.startswith("/") for path in value):
            raise ValueError("website.paths must be a non-empty list of paths starting with '/'")
        return value


class QueueWeights(_Frozen):
    """Weights of the expected-value terms used to order enrichment requests."""

    score: float = Field(0.35, ge=0)
    voice_ai_fit: float = Field(0.25, ge=0)
    uncertainty: float = Field(0.25, ge=0)
    recency: float = Field(0.15, ge=0)


class QueueConfig(_Frozen):
    """How the worker drains the queue."""

    concurrency: int = Field(4, ge=1, le=64)
    batch_size: int = Field(20, ge=1, le=1000)
    max_attempts: int = Field(3, ge=1, le=20)
    lease_minutes: int = Field(15, ge=1)
    backlog_alert: int = Field(50, ge=1)
    weights: QueueWeights = QueueWeights()
    recency_half_life_days: float = Field(14.0, gt=0)


class EnrichmentConfig(_Frozen):
    """The whole enrichment configuration."""

    providers: tuple[str, ...] = DEFAULT_PROVIDER_ORDER
    ttl_days: dict[str, float] = Field(default_factory=lambda: {"salesforce": 1.0, "csv": 30.0, "website": 30.0})
    failed_retry_hours: float = Field(12.0, gt=0)
    csv_dir: str = "enrichment"
    website: WebsiteConfig
    queue: QueueConfig = QueueConfig()

    @field_validator("providers")
    @classmethod
    def _unique(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError("providers must not repeat")
        return value

    def ttl(self, provider: str) -> timedelta:
        """How long a successful result of this provider stays fresh (default 30 days)."""
        return timedelta(days=self.ttl_days.get(provider, 30))

    @property
    def failed_retry(self) -> timedelta:
        """How long to wait before retrying a provider that failed for a company."""
        return timedelta(hours=self.failed_retry_hours)


class EnrichmentConfigError(ValueError):
    """The enrichment configuration file is missing or invalid."""


def load_enrichment_config(path: Path | str = DEFAULT_CONFIG_PATH) -> EnrichmentConfig:
    """Read and validate an enrichment YAML file; raise EnrichmentConfigError with the reason."""
    file = Path(path)
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise EnrichmentConfigError(f"cannot read enrichment config {file}: {exc}") from None
    try:
        return EnrichmentConfig.model_validate(raw)
    except ValidationError as exc:
        raise EnrichmentConfigError(f"invalid enrichment config {file}: {exc}") from None
