"""Enrichment contracts: what a provider is given, what it returns, and the `Enricher` protocol.

Providers are pure: they receive a `CompanySubject` (no DB session) and return a `ProviderResult`; the flow
stores results, so network work can run concurrently and DB work stays in one thread.

Adding a paid data API (Clearbit, Apollo, ZoomInfo, …): write a class with a `name` and an
`enrich(subject) -> ProviderResult` method that calls the vendor with its own timeout and retries, maps the
vendor's answer onto the fact keys in `scoring.enrichment.FACT_KEYS` (unknown keys are kept but not
used by scoring), and returns `ProviderResult.failed(name, reason)` on errors instead of raising. Pass an
instance in `extra_providers` to `build_providers` and list its name in `providers:` of the enrichment config.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

Status = Literal["ok", "failed", "skipped"]


@dataclass(frozen=True, slots=True)
class CompanySubject:
    """What is known about a company before enrichment: its domain, name and any Salesforce fields."""

    company_id: int | None
    domain: str
    name: str | None = None
    salesforce_fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ProviderResult:
    """One provider's answer: status, a reason when not ok, and the facts it found."""

    provider: str
    status: Status
    data: dict[str, Any] = field(default_factory=dict)
    reason: str | None = None

    @classmethod
    def ok(cls, provider: str, data: dict[str, Any]) -> ProviderResult:
        """A successful result carrying facts."""
        return cls(provider, "ok", data)

    @classmethod
    def failed(cls, provider: str, reason: str, data: dict[str, Any] | None = None) -> ProviderResult:
        """A failure worth retrying later (timeouts, server errors)."""
        return cls(provider, "failed", data or {}, reason[:500])

    @classmethod
    def skipped(cls, provider: str, reason: str) -> ProviderResult:
        """Nothing to do for this company (free-mail domain, refused address, not in the file)."""
        return cls(provider, "skipped", {}, reason[:500])


@runtime_checkable
class Enricher(Protocol):
    """A source of facts about a company."""

    name: str

    def enrich(self, subject: CompanySubject) -> ProviderResult:
        """Find facts about the subject; never raise for expected failures, return a failed result instead."""
        ...
