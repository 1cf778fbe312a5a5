"""The worker's entry point: claim the most valuable requests, enrich them concurrently, store the results."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import structlog
from sqlalchemy.engine import Engine
from sqlmodel import Session

from crm_sync.enrichment.config import EnrichmentConfig
from crm_sync.enrichment.domain import CompanySubject, Enricher, ProviderResult
from crm_sync.enrichment.flows import build_subject, due_providers, run_providers, store_results
from crm_sync.enrichment.queue import enqueue_due, enrichment_backlog
from crm_sync.salesforce.flows import Rescore
from store.db import session_scope
from store.enums import ScoreTrigger
from store.repositories import enrichment as repo
from store.repositories.companies import get_company
from store.repositories.leads import leads_for_company
from store.types import utcnow

log = structlog.get_logger(__name__)


@dataclass(slots=True)
class BatchReport:
    """What one batch did; `rescore_company_ids` are companies whose facts changed materially."""

    queued: int = 0
    claimed: int = 0
    done: int = 0
    failed: int = 0
    rescore_company_ids: list[int] = field(default_factory=list)
    backlog: int = 0
    rescored: int = 0
    scoring_failures: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Work:
    request_id: int
    attempts: int
    subject: CompanySubject
    providers: list[Enricher]
    fresh: list[str]


def _claim(engine: Engine, providers: Sequence[Enricher], config: EnrichmentConfig, now: datetime) -> list[_Work]:
    work: list[_Work] = []
    with session_scope(engine) as session:
        lease = timedelta(minutes=config.queue.lease_minutes)
        for request in repo.claim_requests(config.queue.batch_size, session=session, lease=lease, now=now):
            company = get_company(request.company_id, session=session)
            if company is None:
                repo.finish_request(request.id or 0, "failed", session=session, error="company missing", now=now)
                continue
            rows = repo.enrichments_for_company(request.company_id, session=session)
            due = due_providers(rows, providers, now)
            fresh = [p.name for p in providers if p not in due]
            work.append(_Work(request.id or 0, request.attempts, build_subject(company, rows), due, fresh))
    return work


def _finish(
    engine: Engine,
    item: _Work,
    results: list[ProviderResult] | Exception,
    config: EnrichmentConfig,
    report: BatchReport,
) -> None:
    now = utcnow()
    with session_scope(engine) as session:
        if isinstance(results, Exception):
            retry = item.attempts < config.queue.max_attempts
            status = "pending" if retry else "failed"
            error = f"{type(results).__name__}: {results}"
            repo.finish_request(item.request_id, status, session=session, error=error, now=now)
            report.failed += 1
            return
        company_id = item.subject.company_id or 0
        outcome = store_results(company_id, results, session=session, config=config, now=now, fresh=item.fresh)
        errors = "; ".join(f"{r.provider}: {r.reason}" for r in results if r.status == "failed") or None
        repo.finish_request(item.request_id, "done", session=session, error=errors, now=now)
        report.done += 1
        if outcome.material:
            report.rescore_company_ids.append(company_id)


def rescore_companies(engine: Engine, company_ids: Sequence[int], rescore: Rescore, report: BatchReport) -> None:
    """Re-score every lead of companies whose enrichment changed materially, one transaction per lead;
    a failing lead is reported and does not stop the others."""
    for company_id in company_ids:
        with Session(engine) as session:
            lead_ids = [lead.id for lead in leads_for_company(company_id, session=session) if lead.id is not None]
        for lead_id in lead_ids:
            try:
                with session_scope(engine) as session:
                    rescore(lead_id, session=session, trigger=ScoreTrigger.ENRICHMENT_CHANGED)
            except Exception as exc:  # one lead's scoring bug must not stop the batch
                log.exception("enrichment.rescore.error", company_id=company_id, lead_id=lead_id)
                report.scoring_failures.append(f"lead {lead_id}: {type(exc).__name__}: {exc}"[:300])
            else:
                report.rescored += 1


def run_enrichment_batch(
    engine: Engine,
    providers: Sequence[Enricher],
    config: EnrichmentConfig,
    *,
    now: datetime | None = None,
    enqueue: bool = True,
    rescore: Rescore | None = None,
) -> BatchReport:
    """Queue due companies, then enrich the highest-value requests with at most `queue.concurrency` at once.

    Network work runs in worker threads (every fetch has timeouts and a deadline, so no thread hangs);
    DB work stays in this thread. With `rescore`, the leads of companies whose facts changed materially
    (`rescore_company_ids`) are re-scored afterwards; without it the caller does that.
    """
    now = now or utcnow()
    report = BatchReport()
    if enqueue:
        with session_scope(engine) as session:
            names = tuple(provider.name for provider in providers)
            report.queued = enqueue_due(names, session=session, config=config.queue, now=now)
    work = _claim(engine, providers, config, now)
    report.claimed = len(work)
    with ThreadPoolExecutor(max_workers=config.queue.concurrency, thread_name_prefix="enrich") as pool:
        futures = [(item, pool.submit(run_providers, item.subject, item.providers)) for item in work]
        for item, future in futures:
            try:
                outcome: list[ProviderResult] | Exception = future.result()
            except Exception as exc:  # run_providers already contains provider errors; this is a last guard
                outcome = exc
            try:
                _finish(engine, item, outcome, config, report)
            except Exception as exc:  # storing failed (DB trouble): give the request back rather than strand it
                log.exception("enrichment.store.error", company_id=item.subject.company_id)
                _finish(engine, item, exc, config, report)
    if rescore is not None:
        rescore_companies(engine, report.rescore_company_ids, rescore, report)
    with session_scope(engine) as session:
        report.backlog = enrichment_backlog(session=session)
    log.info(
        "enrichment.batch.done",
        queued=report.queued,
        claimed=report.claimed,
        done=report.done,
        failed=report.failed,
        rescore=len(report.rescore_company_ids),
        rescored=report.rescored,
        scoring_failures=len(report.scoring_failures),
        backlog=report.backlog,
    )
    return report
