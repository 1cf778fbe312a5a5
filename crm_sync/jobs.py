"""Scheduled entry points for the CRM sync: thin wrappers the composition root registers with the scheduler
(and the CLI calls). Each returns a JSON-ready summary for the job-run record; an integration that is off
returns {"skipped": reason}."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine

from config import Settings
from crm_sync.fellow.client import FellowApi, FellowClient
from crm_sync.fellow.ingestion import ingest_calls, rematch_unmatched
from crm_sync.fellow.matching import CallMatcher
from crm_sync.progress import Progress, no_progress
from crm_sync.salesforce.client import SalesforceApi, SalesforceClient
from crm_sync.salesforce.errors import ApiBudgetExhausted
from crm_sync.salesforce.flows import (
    OrgView,
    Rescore,
    SyncReport,
    integration_user,
    open_leads_only,
    poll_leads,
)
from crm_sync.salesforce.outcomes import OutcomeRules, sync_outcomes
from crm_sync.salesforce.writeback import WritebackConsumer
from learning.rescore import rescore_if_champion_changed
from nlp import company_from_title


@dataclass
class SyncContext:
    """What the sync jobs share: settings, database, the scoring callable and the service clients."""

    settings: Settings
    engine: Engine
    rescore: Rescore
    salesforce: SalesforceApi | None = None
    fellow: FellowApi | None = None
    _writeback: WritebackConsumer | None = field(default=None, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings, engine: Engine, rescore: Rescore) -> SyncContext:
        """Build the clients for the integrations that are on (no network until a job runs)."""
        return cls(
            settings=settings,
            engine=engine,
            rescore=open_leads_only(rescore, settings.learning.rejected_statuses),
            salesforce=SalesforceClient.from_settings(settings) if settings.salesforce_enabled else None,
            fellow=FellowClient.from_settings(settings) if settings.fellow_enabled else None,
        )

    def matcher(self) -> CallMatcher:
        """A call matcher that ignores our own domains and names."""
        company = self.settings.company
        title_company = functools.partial(company_from_title, own_names=tuple(company.own_names))
        return CallMatcher(
            title_company,
            own_domains=company.own_domains,
            own_names=company.own_names,
            fuzzy_threshold=self.settings.sync.fuzzy_match_threshold,
        )

    def writeback(self) -> WritebackConsumer:
        """The writeback consumer (kept, so the field check runs once per process)."""
        if self.salesforce is None:
            raise RuntimeError("Salesforce is off")
        if self._writeback is None:
            fields = self.settings.salesforce_fields.model_dump()
            view = OrgView(
                tuple(self.settings.company.own_domains),
                integration_user(self.salesforce, SyncReport()),
                tuple(self.settings.learning.rejected_statuses),
            )
            self._writeback = WritebackConsumer(self.salesforce, self.engine, fields, view=view)
        return self._writeback


SYNC_REMATCH_LIMIT = 50_000  # calls imported before their leads synced: matched once the leads arrive


def _off(name: str, settings: Settings) -> dict[str, Any]:
    return {"skipped": f"{name} is {settings.integrations()[name]}"}


def poll_salesforce_leads(
    ctx: SyncContext, since: datetime | None = None, progress: Progress = no_progress
) -> dict[str, Any]:
    """Salesforce lead polling (every sync.salesforce_poll_minutes); the first run, or one given `since`, also
    reads every open lead whatever its age (`progress` hears the leads read)."""
    if ctx.salesforce is None:
        return _off("salesforce", ctx.settings)
    summary = poll_leads(
        ctx.salesforce,
        ctx.engine,
        ctx.rescore,
        own_domains=ctx.settings.company.own_domains,
        closed_statuses=ctx.settings.learning.rejected_statuses,
        since=since,
        initial_lookback=timedelta(days=ctx.settings.sync.initial_lookback_days),
        progress=progress,
    ).as_dict()
    if summary["created"]:
        summary["calls_rematched"] = rematch_unmatched(ctx.engine, ctx.rescore, ctx.matcher(), limit=SYNC_REMATCH_LIMIT)
    return summary


def rescore_after_champion_change(ctx: SyncContext) -> dict[str, Any]:
    """Re-score the open leads once the serving model changed (promotion, rollback, reload); their changed
    fields are written back by the writeback consumer. Runs every minute in the worker and in `fellow sync`."""
    report = rescore_if_champion_changed(
        ctx.engine, ctx.rescore, closed_statuses=ctx.settings.learning.rejected_statuses
    )
    return {"rescored": 0, "reason": "serving model unchanged"} if report is None else report.as_dict()


def sync_salesforce_outcomes(ctx: SyncContext) -> dict[str, Any]:
    """Outcome sync (every sync.outcome_sync_hours)."""
    if ctx.salesforce is None:
        return _off("salesforce", ctx.settings)
    learning = ctx.settings.learning
    rules = OutcomeRules(
        learning.converted_statuses,
        learning.progressed_stages,
        learning.rejected_statuses,
        voice_ai_field=learning.voice_ai_field,
        voice_ai_values=learning.voice_ai_values,
    )
    own = ctx.settings.company.own_domains
    lookback = timedelta(days=ctx.settings.sync.outcome_lookback_days)
    summary = sync_outcomes(ctx.salesforce, ctx.engine, rules, own_domains=own, initial_lookback=lookback).as_dict()
    summary["calls_rematched"] = rematch_unmatched(ctx.engine, ctx.rescore, ctx.matcher(), limit=SYNC_REMATCH_LIMIT)
    return summary


def run_salesforce_writeback(ctx: SyncContext, max_batches: int = 50) -> dict[str, Any]:
    """Deliver due score writebacks (every sync.outbox_poll_seconds); FieldSetupError propagates (actionable)."""
    if ctx.salesforce is None:
        return _off("salesforce", ctx.settings)
    try:
        report = ctx.writeback().drain(max_batches)
    except ApiBudgetExhausted as exc:
        return {"stopped": str(exc)}
    return {"delivered": report.delivered, "retried": report.retried, "dead": report.dead, "errors": report.errors[:20]}


def ingest_fellow_calls(ctx: SyncContext) -> dict[str, Any]:
    """Fellow call ingestion (every sync.fellow_ingest_minutes, and on a webhook hint), then a re-match of
    calls that were unmatched."""
    if ctx.fellow is None:
        return _off("fellow", ctx.settings)
    matcher = ctx.matcher()
    lookback = timedelta(days=ctx.settings.sync.initial_lookback_days)
    summary = ingest_calls(ctx.fellow, ctx.engine, ctx.rescore, matcher, initial_lookback=lookback).as_dict()
    summary["rematched"] = rematch_unmatched(ctx.engine, ctx.rescore, matcher)
    return summary
