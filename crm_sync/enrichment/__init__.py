"""Company enrichment: Salesforce fields, bulk firmographics and the company website, queued by expected value."""

from crm_sync.enrichment.address_guard import AddressGuard, RefusedAddressError
from crm_sync.enrichment.config import EnrichmentConfig, EnrichmentConfigError, load_enrichment_config
from crm_sync.enrichment.domain import CompanySubject, Enricher, ProviderResult
from crm_sync.enrichment.flows import EnrichmentOutcome, enrich_company
from crm_sync.enrichment.jobs import BatchReport, run_enrichment_batch
from crm_sync.enrichment.providers.registry import build_providers
from crm_sync.enrichment.queue import backlog_alert, enrichment_backlog, expected_value, request_enrichment

__all__ = [
    "AddressGuard",
    "BatchReport",
    "CompanySubject",
    "Enricher",
    "EnrichmentConfig",
    "EnrichmentConfigError",
    "EnrichmentOutcome",
    "ProviderResult",
    "RefusedAddressError",
    "backlog_alert",
    "build_providers",
    "enrich_company",
    "enrichment_backlog",
    "expected_value",
    "load_enrichment_config",
    "request_enrichment",
    "run_enrichment_batch",
]
