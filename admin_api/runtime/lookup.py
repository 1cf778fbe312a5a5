"""Wire the on-demand Salesforce lead lookup that /qualify and `fellow qualify` use for unknown targets."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from bot.backend import LeadLookup
from config import Settings
from crm_sync.salesforce.client import SalesforceClient
from crm_sync.salesforce.lookup import SalesforceLookup


def build_lead_lookup(settings: Settings, engine: Engine) -> LeadLookup | None:
    """The Salesforce lookup when Salesforce is configured, else None (the resolver then says it is off)."""
    if not settings.salesforce_enabled:
        return None
    return SalesforceLookup(
        SalesforceClient.from_settings(settings),
        engine,
        own_domains=settings.company.own_domains,
        closed=settings.learning.rejected_statuses,
    )
