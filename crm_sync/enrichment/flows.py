"""Enrichment flows: build a company's subject, run the due providers, store results and update the company."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import structlog
from sqlmodel import Session

from crm_sync.enrichment.config import EnrichmentConfig
from crm_sync.enrichment.domain import CompanySubject, Enricher, ProviderResult
from scoring.enrichment import FIRMOGRAPHIC_KEYS, enrichment_facts, material_changes
from store.repositories import enrichment as repo
from store.repositories.companies import get_company, upsert_company
from store.tables import Company, Enrichment

log = structlog.get_logger(__name__)
# Company column -> Salesforce field, for when the caller has no Salesforce record at hand.
_COMPANY_TO_SALESFORCE = {
    "industry": "Industry",
    "employees": "NumberOfEmployees",
    "annual_revenue": "AnnualRevenue",
    "description": "Description",
    "country": "BillingCountry",
}


@dataclass(slots=True)
class EnrichmentOutcome:
    """What one enrichment of a company did: results per provider, fresh ones left alone, material changes."""

    company_id: int
    domain: str
    results: list[ProviderResult] = field(default_factory=list)
    fresh: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def material(self) -> bool:
        """True when the company's leads should be re-scored."""
        return bool(self.changed)


def due_providers(
    rows: Sequence[Enrichment], providers: Sequence[Enricher], now: datetime, *, force: bool = False
) -> list[Enricher]:
    """Providers with no stored result for the company or an expired one (all of them when forced)."""
    expiry = {row.provider: row.expires_at for row in rows}
    return [p for p in providers if force or p.name not in expiry or expiry[p.name] <= now]


def build_subject(
    company: Company, rows: Sequence[Enrichment], salesforce_fields: Mapping[str, Any] | None = None
) -> CompanySubject:
    """The provider input for a company; without a Salesforce record, its own columns stand in for one.

    Column values that another provider stored are left out, so the Salesforce provider never re-labels
    facts that enrichment itself wrote into the company row.
    """
    if salesforce_fields is None:
        learned = {(key, str(row.data.get(key))) for row in rows if row.provider != "salesforce" for key in row.data}
        salesforce_fields = {
            field_name: getattr(company, column)
            for column, field_name in _COMPANY_TO_SALESFORCE.items()
            if getattr(company, column) is not None and (column, str(getattr(company, column))) not in learned
        }
    return CompanySubject(company.id, company.domain, company.name, dict(salesforce_fields))


def run_providers(subject: CompanySubject, providers: Sequence[Enricher]) -> list[ProviderResult]:
    """Run providers in order (no DB); a provider that raises becomes a failed result, never a crash."""
    results: list[ProviderResult] = []
    for provider in providers:
        try:
            result = provider.enrich(subject)
        except Exception as exc:  # a provider bug must not stop the others or the worker
            log.exception("enrichment.provider.error", provider=provider.name, domain=subject.domain)
            result = ProviderResult.failed(provider.name, f"{type(exc).__name__}: {exc}")
        log.info(
            "enrichment.provider.done",
            provider=provider.name,
            domain=subject.domain,
            status=result.status,
            reason=result.reason,
        )
        results.append(result)
    return results


def store_results(
    company_id: int,
    results: Sequence[ProviderResult],
    *,
    session: Session,
    config: EnrichmentConfig,
    now: datetime,
    fresh: Sequence[str] = (),
) -> EnrichmentOutcome:
    """Save each result with its fetch and expiry time, fill the company's empty firmographics, report changes.

    A failed result keeps the provider's last good data (if any) so one bad fetch does not erase known facts.
    """
    company = get_company(company_id, session=session)
    if company is None:
        raise LookupError(f"company {company_id} does not exist")
    before = enrichment_facts(company_id, session=session, order=config.providers)
    previous = {row.provider: row for row in repo.enrichments_for_company(company_id, session=session)}
    for result in results:
        old = previous.get(result.provider)
        keep_old = result.status == "failed" and old is not None and bool(old.data)
        lifetime = config.ttl(result.provider) if result.status != "failed" else config.failed_retry
        repo.save_enrichment(
            company_id,
            result.provider,
            session=session,
            status=result.status,
            reason=result.reason,
            data=old.data if keep_old and old else result.data,
            fetched_at=old.fetched_at if keep_old and old else now,
            expires_at=now + lifetime,
        )
    after = enrichment_facts(company_id, session=session, order=config.providers)
    empty = {key: after[key] for key in FIRMOGRAPHIC_KEYS if getattr(company, key) is None and key in after}
    if empty:
        upsert_company(company.domain, session=session, **empty)
    outcome = EnrichmentOutcome(company_id, company.domain, list(results), list(fresh))
    outcome.changed, outcome.facts = material_changes(before, after), after
    return outcome


def enrich_company(
    company_id: int,
    providers: Sequence[Enricher],
    *,
    session: Session,
    config: EnrichmentConfig,
    now: datetime,
    salesforce_fields: Mapping[str, Any] | None = None,
    force: bool = False,
) -> EnrichmentOutcome:
    """Enrich one company now, running only providers whose stored result expired (all when `force`)."""
    company = get_company(company_id, session=session)
    if company is None:
        raise LookupError(f"company {company_id} does not exist")
    rows = repo.enrichments_for_company(company_id, session=session)
    due = due_providers(rows, providers, now, force=force)
    subject = build_subject(company, rows, salesforce_fields)
    results = run_providers(subject, due)
    fresh = [p.name for p in providers if p not in due]
    return store_results(company_id, results, session=session, config=config, now=now, fresh=fresh)
