"""Nested configuration groups; their defaults live in config/defaults.yaml."""

from __future__ import annotations

import ipaddress
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class Section(BaseModel):
    """Base for config groups: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ApiSection(Section):
    """Admin/scoring API knobs (the seed's api_config.json)."""

    max_batch_size: int = Field(100, ge=1, le=1000)
    cache_ttl_seconds: int = Field(3600, ge=0)
    score_cache_max_bytes: int = Field(8_000_000, ge=0)
    max_request_bytes: int = Field(1_000_000, ge=1024)
    workers: int = Field(1, ge=1, le=32)
    public_health: bool = True
    public_metrics: bool = True
    model_refresh_seconds: float = Field(5.0, gt=0, le=3600)
    auth_max_failures: int = Field(10, ge=1)
    auth_window_seconds: float = Field(60.0, gt=0)
    session_hours: int = Field(8, ge=1, le=24 * 30)
    max_json_depth: int = Field(64, ge=4, le=1000)
    allow_unsigned_fellow_webhooks: bool = False
    docs_in_production: bool = False
    trusted_proxies: tuple[str, ...] = ()

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for entry in value:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(f"{entry!r} is not an IP address or CIDR network") from None
        return value


class LearningSection(Section):
    """Learning-loop knobs (the seed's learning_config.json plus promotion/drift settings)."""

    retrain_frequency_days: int = Field(7, ge=1)
    retrain_on_new_labels: int = Field(50, ge=1)
    min_training_samples: int = Field(10, ge=2)
    accuracy_threshold: float = Field(0.75, ge=0, le=1)
    critical_accuracy_threshold: float = Field(0.65, ge=0, le=1)
    decline_threshold: float = Field(0.1, ge=0, le=1)
    promotion_margin: float = Field(0.005, ge=0, le=1)
    max_calibration_regression: float = Field(0.02, ge=0, le=1)
    max_recall_regression: float = Field(0.05, ge=0, le=1)
    exploration_rate: float = Field(0.05, ge=0, le=0.5)
    test_fraction: float = Field(0.2, gt=0, lt=0.5)
    label_precedence: tuple[Literal["outcome", "feedback"], ...] = ("outcome", "feedback")
    feedback_weight: float = Field(0.5, gt=0, le=10)
    outcome_weight: float = Field(1.0, gt=0, le=10)
    converted_statuses: tuple[str, ...] = ("Closed - Converted", "Converted", "Qualified")
    rejected_statuses: tuple[str, ...] = ("Closed - Not Converted", "Unqualified", "Disqualified")
    progressed_stages: tuple[str, ...] = ("Qualification", "Needs Analysis", "Proposal", "Closed Won")
    voice_ai_field: str | None = Field(
        "Voice_AI__c", pattern=r"^(OpportunityLineItem(\.[A-Za-z][A-Za-z0-9_]{0,79}){1,3}|[A-Za-z][A-Za-z0-9_]{0,79})$"
    )
    voice_ai_values: tuple[str, ...] = ("true",)
    text_features: bool = True
    psi_warn: float = Field(0.1, ge=0)
    psi_alert: float = Field(0.25, ge=0)
    shadow_days: int = Field(0, ge=0, le=365)
    require_shadow: bool = False
    seed: int = 42
    models_dir: str = "data/models"
    reports_dir: str = "data/reports"

    @model_validator(mode="after")
    def _shadow_period_for_promotion(self) -> LearningSection:
        """Promotion cannot wait for a shadow period that never runs."""
        if self.require_shadow and self.shadow_days == 0:
            raise ValueError("require_shadow needs shadow_days of at least 1")
        return self


class SyncSection(Section):
    """Schedules of the sync and learning jobs run by `fellow worker`."""

    salesforce_poll_minutes: int = Field(5, ge=1)
    fellow_ingest_minutes: int = Field(60, ge=1)
    outcome_sync_hours: int = Field(24, ge=1)
    drift_check_hours: int = Field(24, ge=1)
    outbox_poll_seconds: float = Field(2.0, gt=0)
    salesforce_api_reserve: int = Field(1000, ge=0)
    http_timeout_seconds: float = Field(15.0, gt=0, le=300)
    max_retries: int = Field(5, ge=0, le=20)
    initial_lookback_days: int = Field(30, ge=1, le=3650)
    outcome_lookback_days: int = Field(3650, ge=1, le=36500)
    fuzzy_match_threshold: float = Field(90.0, ge=50, le=100)
    enrichment_minutes: int = Field(15, ge=1)


class SlackSection(Section):
    """Slack behaviour that is not a credential."""

    post_threshold: int = Field(60, ge=0, le=100)
    feedback_user_group: str | None = None


class SalesforceFieldsSection(Section):
    """Names of the Lead custom fields the writeback fills (sales ops may rename them)."""

    score: str = "Fellow_Qualification_Score__c"
    recommendation: str = "Fellow_Recommendation__c"
    voice_ai_fit: str = "Fellow_Voice_AI_Fit__c"
    priority: str = "Fellow_Priority__c"
    reasons: str = "Fellow_Score_Reasons__c"
    model_version: str = "Fellow_Model_Version__c"
    scored_at: str = "Fellow_Scored_At__c"


_FRAME_ORIGIN = re.compile(r"^https://(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?$")


class CanvasSection(Section):
    """The Lead-page panel (a Salesforce Canvas app): who may frame it, how fresh a signed request must be, how
    long the panel's own token lives, and which Salesforce user is which AE (Slack user id)."""

    frame_ancestors: tuple[str, ...] = ()
    max_age_seconds: int = Field(900, ge=30, le=86_400)
    clock_skew_seconds: int = Field(60, ge=0, le=600)
    panel_minutes: int = Field(60, ge=1, le=24 * 60)
    user_map: dict[str, str] = {}

    @field_validator("frame_ancestors")
    @classmethod
    def _origins(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for entry in value:
            if not _FRAME_ORIGIN.match(entry):
                raise ValueError(
                    f"{entry!r} is not an https origin such as https://acme.lightning.force.com "
                    "or https://*.my.salesforce.com"
                )
        return value

    @field_validator("user_map")
    @classmethod
    def _users(cls, value: dict[str, str]) -> dict[str, str]:
        mapped: dict[str, str] = {}
        for key, ae in value.items():
            if not key.strip() or not ae.strip() or len(ae) > 64:
                raise ValueError(f"user_map entry {key!r}: {ae!r} needs a Salesforce user id or email and an AE id")
            mapped[key.strip().casefold() if "@" in key else key.strip()[:15]] = ae.strip()
        return mapped


class CompanySection(Section):
    """Who 'we' are, so our own reps, domain and name are never mistaken for the prospect."""

    own_names: tuple[str, ...] = ("Telnyx",)
    own_domains: tuple[str, ...] = ("telnyx.com",)
    rep_names: tuple[str, ...] = ()  # our reps' names ("Chris Wu"), so their transcript turns are never the prospect's
