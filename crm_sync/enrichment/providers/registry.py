"""Build the configured provider chain, in the configured order."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from crm_sync.enrichment.config import EnrichmentConfig
from crm_sync.enrichment.domain import Enricher
from crm_sync.enrichment.providers.csv_file import CsvFirmographicsProvider
from crm_sync.enrichment.providers.salesforce_fields import SalesforceFieldsProvider
from crm_sync.enrichment.providers.website import WebsiteProvider

BUILTIN_PROVIDERS = ("salesforce", "csv", "website")


def csv_directory(config: EnrichmentConfig, data_dir: Path) -> Path:
    """Where bulk firmographics files live (config csv_dir, relative to the data directory)."""
    return data_dir / config.csv_dir


def build_providers(
    config: EnrichmentConfig,
    data_dir: Path,
    *,
    website: WebsiteProvider | None = None,
    extra_providers: Sequence[Enricher] = (),
) -> list[Enricher]:
    """The providers named in `config.providers`, in that order; extra (e.g. paid API) providers by their name."""
    extras = {provider.name: provider for provider in extra_providers}
    chain: list[Enricher] = []
    for name in config.providers:
        if name in extras:
            chain.append(extras[name])
        elif name == "salesforce":
            chain.append(SalesforceFieldsProvider())
        elif name == "csv":
            chain.append(CsvFirmographicsProvider(csv_directory(config, data_dir)))
        elif name == "website":
            chain.append(website or WebsiteProvider(config.website))
        else:
            raise ValueError(f"unknown enrichment provider {name!r}; built in: {', '.join(BUILTIN_PROVIDERS)}")
    return chain
