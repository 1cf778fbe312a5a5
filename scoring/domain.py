"""Scoring contracts: the validated score input, the score result, and the plain facts features are built from.

`ScoreInput` and `ScoreResult` are the DESIGN.md input/output contracts shared by the API, the Slack bot, the
CLI and the scoring service. `CompanyFacts`, `LeadFacts` and `CallFacts` are DB-free dataclasses that store
rows and score inputs convert into, so training and scoring build features through one and the same path.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, computed_field, field_validator, model_validator

from scoring.quantities import parse_count, parse_quantity, parse_urgency
from store.normalize import SALESFORCE_ID, normalize_domain, salesforce_id18
from store.text import strip_unsafe

if TYPE_CHECKING:
    from nlp import CallSignals

MAX_EMPLOYEES = 5_000_000
MAX_REVENUE = 1e13
_PLAIN_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
MAX_NOTES_CHARS = 200_000


class Recommendation(StrEnum):
    """Where a lead should go next."""

    AE_HANDOFF = "AE_HANDOFF"
    NURTURE_TRACK = "NURTURE_TRACK"
    SELF_SERVICE = "SELF_SERVICE"


class Priority(StrEnum):
    """How urgently sales should act on a lead."""

    HIGH_VOICE_AI = "HIGH_VOICE_AI"
    HIGH = "HIGH"
    MEDIUM = "MEDIUM"
    LOW = "LOW"


RECOMMENDATION_LABELS: dict[str, str] = {
    Recommendation.AE_HANDOFF: "AE handoff",
    Recommendation.NURTURE_TRACK: "Nurture track",
    Recommendation.SELF_SERVICE: "Self-service",
}
"""How a person reads each recommendation (Slack cards, dashboard, reports): the one mapping."""
PRIORITY_LABELS: dict[str, str] = {
    Priority.HIGH_VOICE_AI: "High (Voice AI)",
    Priority.HIGH: "High",
    Priority.MEDIUM: "Medium",
    Priority.LOW: "Low",
}
"""How a person reads each priority: the one mapping."""


ScorerKind = Literal["model", "prior"]


def _blank_to_none(value: object) -> object:
    if isinstance(value, str):
        value = strip_unsafe(value).strip()
        return value or None
    return value


ShortText = Annotated[str, StringConstraints(max_length=200)]


class ScoreInput(BaseModel):
    """What a caller knows about a lead; at least one of company_name, domain or salesforce_lead_id."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    company_name: ShortText | None = None
    domain: Annotated[str, StringConstraints(max_length=300)] | None = None
    industry: Annotated[str, StringConstraints(max_length=100)] | None = None
    employees: int | None = Field(
        default=None,
        ge=0,
        le=MAX_EMPLOYEES,
        description='a number, or as sales data writes it ("50-100", "1,000+", "10k-50k", "under 50", "~500"): '
        "read as one representative number (ranges: the midpoint; N+: N; under N: N/2), the text kept in "
        "employees_text",
    )
    employees_text: ShortText | None = None
    annual_revenue: float | None = Field(
        default=None, ge=0, le=MAX_REVENUE, description='a number or "$2.5M", "10k-50k" (read like employees)'
    )
    annual_revenue_text: ShortText | None = None
    description: Annotated[str, StringConstraints(max_length=5_000)] | None = None
    call_notes: Annotated[str, StringConstraints(max_length=MAX_NOTES_CHARS)] | None = None
    urgency_level: int | None = Field(default=None, ge=1, le=5, description='1-5, "4/5" or low/medium/high/urgent')
    salesforce_lead_id: str | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _strip_blanks(cls, value: object) -> object:
        return _blank_to_none(value)

    @model_validator(mode="before")
    @classmethod
    def _read_approximations(cls, data: object) -> object:
        """Counts and amounts as people write them ("50-100", "1,000+", "$2.5M"): the original text is kept in
        `<field>_text` and the field gets the representative number (rules in scoring.quantities)."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for name, parse in (("employees", parse_count), ("annual_revenue", parse_quantity)):
            value = data.get(name)
            if isinstance(value, str) and value.strip() and not _PLAIN_NUMBER.match(value.strip()):
                data.setdefault(f"{name}_text", value.strip()[:200])
                try:
                    data[name] = parse(value)
                except ValueError as exc:
                    raise ValueError(f"{name}: {exc}") from None
        urgency = data.get("urgency_level")
        if isinstance(urgency, str) and urgency.strip() and not urgency.strip().isdigit():
            try:
                data["urgency_level"] = parse_urgency(urgency)
            except ValueError as exc:
                raise ValueError(f"urgency_level: {exc}") from None
        return data

    @field_validator("domain")
    @classmethod
    def _normalize_domain(cls, value: str | None) -> str | None:
        return None if value is None else normalize_domain(value)

    @field_validator("employees", mode="before")
    @classmethod
    def _check_employees(cls, value: object) -> object:
        if isinstance(value, bool):
            raise ValueError("employees must be a whole number, not true/false")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int) and not 0 <= value <= MAX_EMPLOYEES:
            raise ValueError(f"employees must be between 0 and {MAX_EMPLOYEES:,} (got {value:,})")
        return value

    @field_validator("urgency_level", mode="before")
    @classmethod
    def _check_urgency(cls, value: object) -> object:
        if isinstance(value, int) and not isinstance(value, bool) and not 1 <= value <= 5:
            raise ValueError(f"urgency_level must be an integer from 1 (low) to 5 (urgent) (got {value})")
        return value

    @field_validator("salesforce_lead_id")
    @classmethod
    def _check_lead_id(cls, value: str | None) -> str | None:
        if value is not None and not SALESFORCE_ID.match(value):
            raise ValueError(f"salesforce_lead_id {value!r} is not a 15- or 18-character Salesforce Id")
        return None if value is None else salesforce_id18(value)

    @model_validator(mode="after")
    def _require_identity(self) -> ScoreInput:
        if not (self.company_name or self.domain or self.salesforce_lead_id):
            raise ValueError("provide at least one of company_name, domain or salesforce_lead_id")
        return self


class Factor(BaseModel):
    """One feature's contribution to the progression score (log-odds), with its plain-language text."""

    feature: str
    value: float | str | bool | None
    contribution: float
    text: str


class RuleFired(BaseModel):
    """A rule override that matched this lead."""

    rule_id: str
    effect: str
    reason: str


class EvidenceItem(BaseModel):
    """A quote from a call supporting a signal."""

    signal: str
    quote: str
    call_id: int | str | None = None
    start: int | None = None
    end: int | None = None
    speaker: str | None = None
    trigger: str | None = None


class QuoteGroup(BaseModel):
    """One quote from a call with every signal it supports, so a card or report shows each quote once."""

    quote: str
    signals: list[str]
    call_id: int | str | None = None
    start: int | None = None
    end: int | None = None
    speaker: str | None = None


def group_quotes(evidence: Sequence[EvidenceItem]) -> list[QuoteGroup]:
    """Evidence grouped by (call, quote) in first-seen order; each group lists its signals without repeats."""
    groups: dict[tuple[str, str], QuoteGroup] = {}
    for item in evidence:
        quote = " ".join(item.quote.split())
        if not quote:
            continue
        key = (str(item.call_id), quote.casefold())
        group = groups.get(key)
        if group is None:
            groups[key] = QuoteGroup(
                quote=quote,
                signals=[item.signal],
                call_id=item.call_id,
                start=item.start,
                end=item.end,
                speaker=item.speaker,
            )
        elif item.signal not in group.signals:
            group.signals.append(item.signal)
    return list(groups.values())


HandoffBasis = Literal["policy", "threshold", "rule", "capacity"]


class ScoreResult(BaseModel):
    """The DESIGN.md score output contract."""

    model_config = ConfigDict(frozen=True)

    qualification_score: int = Field(ge=0, le=100)
    progression_probability: float = Field(ge=0.0, le=1.0)
    voice_ai_fit: int = Field(ge=0, le=100)
    recommendation: Recommendation
    priority: Priority
    confidence: float = Field(ge=0.0, le=1.0)
    reasoning: list[str]
    factors: list[Factor]
    rules_fired: list[RuleFired]
    evidence: list[EvidenceItem]
    model_version: str
    scorer: ScorerKind
    scored_at: datetime
    warnings: list[str] = Field(default_factory=list)
    handoff_basis: HandoffBasis = "threshold"
    calibrated: bool = False

    @computed_field  # type: ignore[prop-decorator]
    @property
    def quotes(self) -> list[QuoteGroup]:
        """The evidence with each quote once and the signals it supports beside it (additive to `evidence`)."""
        return group_quotes(self.evidence)


@dataclass(frozen=True, slots=True)
class CompanyFacts:
    """Firmographics known about a company (from the store or from a score input).

    ``enrichment`` holds the merged enrichment facts (`scoring.enrichment.merge_facts`; keys from FACT_KEYS);
    it has no fact keys when the company was never enriched (score inputs have none), so its features stay unknown.
    """

    name: str | None = None
    domain: str | None = None
    industry: str | None = None
    employees: int | None = None
    country: str | None = None
    description: str | None = None
    annual_revenue: float | None = None
    funding_stage: str | None = None
    enrichment: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class LeadFacts:
    """What is known about the person/lead (from the store or from a score input)."""

    email: str | None = None
    title: str | None = None
    source: str | None = None
    urgency_level: int | None = None
    salesforce_id: str | None = None


@dataclass(frozen=True, slots=True)
class CallFacts:
    """One call with its notes and the signals extracted from them."""

    call_id: int | str | None
    started_at: datetime | None
    notes: str | None = None
    signals: CallSignals | None = field(default=None)


def facts_from_input(data: ScoreInput) -> tuple[CompanyFacts, LeadFacts]:
    """Split a score input into company and lead facts (call notes become a CallFacts in the scorer)."""
    company = CompanyFacts(
        name=data.company_name,
        domain=data.domain,
        industry=data.industry,
        employees=data.employees,
        description=data.description,
        annual_revenue=data.annual_revenue,
    )
    lead = LeadFacts(urgency_level=data.urgency_level, salesforce_id=data.salesforce_lead_id)
    return company, lead
