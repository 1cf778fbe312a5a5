"""How the CRM sync meets scoring and the scheduler: the re-score callable, the shared SyncContext and jobs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from admin_api.runtime.scheduler import JobContext, JobSpec
from config import Settings
from crm_sync.enrichment import backlog_alert, build_providers, load_enrichment_config, run_enrichment_batch
from crm_sync.jobs import (
    SyncContext,
    ingest_fellow_calls,
    poll_salesforce_leads,
    rescore_after_champion_change,
    sync_salesforce_outcomes,
)
from learning.exploration import exploration_key, is_exploration
from nlp import SignalExtractor
from scoring.scorer import Scorer
from scoring.service import score_lead
from store.db import session_scope
from store.repositories.leads import get_lead
from store.repositories.outbox import enqueue
from store.tables import Score
from store.topics import Topic, report_key
from store.types import utcnow


def make_rescore(settings: Settings, scorer: Callable[[], Scorer], extractor: SignalExtractor) -> Callable[..., Score]:
    """Score one stored lead with the serving scorer, routing the configured exploration share as unscored; a
    lead whose inputs and serving model are unchanged keeps its newest score (no duplicate card)."""
    learning = settings.learning

    def rescore(lead_id: int, *, session: Session, trigger: str) -> Score:
        lead = get_lead(lead_id, session=session)
        key = exploration_key(lead_id, lead.salesforce_id if lead else None)
        explore = is_exploration(key, rate=learning.exploration_rate, seed=learning.seed)
        return score_lead(
            lead_id,
            session=session,
            scorer=scorer(),
            extractor=extractor,
            trigger=trigger,
            exploration=explore,
            skip_unchanged=True,
        )

    return rescore


def _job(name: str, func: Callable[[SyncContext], dict[str, Any]], sync: SyncContext, every: timedelta) -> JobSpec:
    def run(_context: JobContext) -> dict[str, Any]:
        return func(sync)

    return JobSpec(name=name, func=run, trigger_kwargs={"seconds": every.total_seconds()})


def sync_jobs(settings: Settings, sync: SyncContext) -> list[JobSpec]:
    """Scheduled sync jobs for the integrations that are on (the writeback runs as an outbox consumer)."""
    schedule = settings.sync
    jobs: list[JobSpec] = []
    if settings.salesforce_enabled:
        jobs.append(
            _job(
                "salesforce.poll_leads",
                poll_salesforce_leads,
                sync,
                timedelta(minutes=schedule.salesforce_poll_minutes),
            )
        )
        jobs.append(
            _job("salesforce.outcomes", sync_salesforce_outcomes, sync, timedelta(hours=schedule.outcome_sync_hours))
        )
    if settings.fellow_enabled:
        jobs.append(_job("fellow.ingest", ingest_fellow_calls, sync, timedelta(minutes=schedule.fellow_ingest_minutes)))
    jobs.append(_job("learning.rescore_on_champion_change", rescore_after_champion_change, sync, timedelta(minutes=1)))
    return jobs


def enrichment_job(settings: Settings, engine: Engine, rescore: Callable[..., Score]) -> JobSpec:
    """Drain the enrichment queue by expected value; re-score leads whose company changed materially and
    raise a channel alert (once a day) while the backlog is above its threshold."""
    config = load_enrichment_config(settings.enrichment_file)
    providers = build_providers(config, Path(settings.data_dir))

    def run(_context: JobContext) -> dict[str, Any]:
        report = run_enrichment_batch(engine, providers, config, rescore=rescore)
        with session_scope(engine) as session:
            alert = backlog_alert(session=session, config=config.queue)
            if alert is not None:
                day = utcnow().date().isoformat()
                payload = {"kind": "drift", "title": "Enrichment backlog", "text": alert, "fields": {}}
                enqueue(Topic.SLACK_REPORT, report_key("enrichment_backlog", day), payload, session=session)
        return {**asdict(report), "alert": alert}

    every = timedelta(minutes=settings.sync.enrichment_minutes).total_seconds()
    return JobSpec(name="enrichment.batch", func=run, trigger_kwargs={"seconds": every})
