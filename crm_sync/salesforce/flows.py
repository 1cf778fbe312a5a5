"""Lead polling: SOQL on SystemModstamp since the watermark, store each chunk, re-score, then advance.

Salesforce drops sub-second precision and several writes share a stamp, so the query uses `>=` and records
are de-duplicated by Id; re-reading a lead that did not change is harmless (no re-score). The watermark moves
only after a chunk is stored and its leads scored, and never past the local clock (a Salesforce clock ahead of
ours must not make us skip leads).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import islice
from typing import Any, Protocol

from sqlalchemy.engine import Engine
from sqlmodel import Session
from structlog import get_logger

from crm_sync.progress import Progress, no_progress
from crm_sync.salesforce.client import SalesforceApi
from crm_sync.salesforce.errors import SalesforceError
from crm_sync.salesforce.leads import StoredLead, is_open, store_lead
from crm_sync.salesforce.records import (
    LEAD_QUERY_FIELDS,
    LeadRecord,
    RecordError,
    parse_lead,
    soql_datetime,
    soql_list,
    soql_string,
)
from store.db import session_scope
from store.enums import ScoreTrigger
from store.repositories import leads, sync_state
from store.types import utcnow

log = get_logger(__name__)
LEADS_SYNC = "salesforce.leads"
DEFAULT_CHUNK = 200
DEFAULT_INITIAL_LOOKBACK = timedelta(days=30)
PENDING_BATCH = 500  # leads left pending by earlier runs, re-scored per run


class Rescore(Protocol):
    """Scores one lead inside the caller's transaction (scoring.service.score_lead bound to a scorer)."""

    def __call__(self, lead_id: int, *, session: Session, trigger: str) -> object:
        """Score the lead, persist the Score and its outbox events in `session`; `trigger` says why. None means
        the lead was deliberately not scored."""
        ...


@dataclass
class SyncReport:
    """What a sync run did, with a reason for every record it could not use (nothing is dropped silently)."""

    fetched: int = 0
    stored: int = 0
    created: int = 0
    rescored: int = 0
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    scoring_failures: list[str] = field(default_factory=list)
    date_sources: dict[str, int] = field(default_factory=dict)
    watermark: datetime | None = None
    stopped: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready summary (for job details and the CLI)."""
        return {
            "fetched": self.fetched,
            "stored": self.stored,
            "created": self.created,
            "rescored": self.rescored,
            "skipped": self.skipped[:50],
            "skipped_count": len(self.skipped),
            "warnings": self.warnings[:50],
            "warning_count": len(self.warnings),
            "scoring_failures": self.scoring_failures[:50],
            **({"rejection_dated_by": self.date_sources} if self.date_sources else {}),
            "watermark": self.watermark.isoformat() if self.watermark else None,
            "stopped": self.stopped,
        }


def chunked(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Consecutive lists of up to `size` items."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def parse_records(raw_records: list[dict[str, Any]], report: SyncReport) -> list[LeadRecord]:
    """Parsed leads, de-duplicated by Id (newest kept); unusable records are reported, not dropped silently."""
    newest: dict[str, LeadRecord] = {}
    for raw in raw_records:
        try:
            record = parse_lead(raw)
        except RecordError as exc:
            report.skipped.append(str(exc))
            continue
        known = newest.get(record.salesforce_id)
        if known is not None:
            report.warnings.append(f"lead {record.salesforce_id}: duplicate in one batch, newest kept")
        if known is None or record.modstamp >= known.modstamp:
            newest[record.salesforce_id] = record
    return list(newest.values())


@dataclass(frozen=True)
class OrgView:
    """How this org's leads are read: our own domains, the integration user (whose writes are ours, not a
    person's) and the statuses that close a lead (closed leads are stored for history, never scored)."""

    own_domains: tuple[str, ...] = ()
    own_user: str | None = None
    closed_statuses: tuple[str, ...] | None = None

    def store(self, record: LeadRecord, session: Session) -> StoredLead:
        """store_lead with this view's settings."""
        return store_lead(
            record,
            session=session,
            own_domains=self.own_domains,
            own_user=self.own_user,
            closed_statuses=self.closed_statuses,
        )


def store_records(engine: Engine, records: list[LeadRecord], report: SyncReport, view: OrgView) -> list[StoredLead]:
    """Store a chunk in one transaction; if that fails, one transaction per lead so one bad row blocks no one."""
    try:
        with session_scope(engine) as session:
            stored = [view.store(r, session) for r in records]
    except Exception:  # a bad row fails the whole chunk: isolate it below
        log.warning("salesforce.leads.chunk_failed", leads=len(records))
        stored = []
        for record in records:
            try:
                with session_scope(engine) as session:
                    stored.append(view.store(record, session))
            except Exception as exc:  # reported with its reason, the others continue
                report.skipped.append(f"lead {record.salesforce_id}: not stored ({type(exc).__name__}: {exc})"[:300])
    for item in stored:
        report.warnings.extend(f"lead {item.salesforce_id}: {w}" for w in item.warnings)
    report.stored += len(stored)
    report.created += sum(1 for item in stored if item.created)
    return stored


def rescore_leads(
    engine: Engine,
    lead_ids: Iterable[int],
    rescore: Rescore,
    report: SyncReport,
    *,
    trigger: str,
    progress: Progress = no_progress,
) -> None:
    """Score each lead in its own transaction (scoring clears its `score_pending` mark in the same commit); a
    failure is reported, does not stop the others, and leaves the lead pending for `rescore_pending`. `progress`
    hears ("scoring", leads done, leads to score)."""
    todo = list(lead_ids)
    for done, lead_id in enumerate(todo, start=1):
        try:
            with session_scope(engine) as session:
                scored = rescore(lead_id, session=session, trigger=trigger)
        except Exception as exc:  # one lead's scoring bug must not stop the sync
            log.exception("salesforce.leads.rescore_failed", lead_id=lead_id)
            report.scoring_failures.append(f"lead {lead_id}: {type(exc).__name__}: {exc}"[:300])
        else:
            report.rescored += int(scored is not None)
        progress("scoring", done, len(todo))


def open_leads_only(rescore: Rescore, closed_statuses: Sequence[str]) -> Rescore:
    """A Rescore that leaves converted, deleted and closed leads alone (returns None and clears their pending
    mark): new calls or outcomes on them are history, not something to score and write back."""

    def guarded(lead_id: int, *, session: Session, trigger: str) -> object:
        lead = leads.get_lead(lead_id, session=session)
        if lead is not None and not is_open(
            converted=lead.is_converted,
            status=lead.status,
            closed_statuses=closed_statuses,
            deleted=lead.deleted_at is not None,
        ):
            if lead.score_pending:
                lead.score_pending = False
                session.add(lead)
            return None
        return rescore(lead_id, session=session, trigger=trigger)

    return guarded


def rescore_pending(
    engine: Engine, rescore: Rescore, report: SyncReport, *, trigger: str, tried: Iterable[int] = ()
) -> None:
    """Re-score leads left pending by an earlier run (a crash between storing and scoring, or a scoring error),
    except those this run has just tried; at most PENDING_BATCH per run."""
    skip = set(tried)
    with session_scope(engine) as session:
        pending = leads.score_pending_ids(session=session, limit=PENDING_BATCH + len(skip))
    retry = [lead_id for lead_id in pending if lead_id not in skip][:PENDING_BATCH]
    if retry:
        log.info("sync.rescore_pending", leads=len(retry), trigger=trigger)
        rescore_leads(engine, retry, rescore, report, trigger=trigger)


def _advance(engine: Engine, name: str, records: list[LeadRecord], now: datetime, report: SyncReport) -> None:
    newest = max(r.modstamp for r in records)
    if newest > now:
        report.warnings.append(f"clock skew: SystemModstamp {newest.isoformat()} is ahead of local time")
        newest = now
    with session_scope(engine) as session:
        state = sync_state.get_sync_state(name, session=session)
        current = state.watermark if state else None
        if current is None or newest > current:
            sync_state.set_watermark(name, newest, session=session)
            report.watermark = newest
        else:
            report.watermark = current


def lead_query(since: datetime, *, exclude_user: str | None = None, open_leads_of: Sequence[str] | None = None) -> str:
    """SOQL for leads a person changed at or after `since` (changes by `exclude_user`, our integration user, are
    our own writeback), plus, with `open_leads_of` (the closed statuses), every open lead whatever its age (the
    backfill). Oldest change first, a stable order for chunked storage."""
    changed = f"SystemModstamp >= {soql_datetime(since)}"
    if exclude_user:
        changed += f" AND LastModifiedById != {soql_string(exclude_user)}"
    where = changed
    if open_leads_of is not None:
        closed = soql_list(open_leads_of)
        still_open = f"IsConverted = false AND Status NOT IN ({closed})" if closed else "IsConverted = false"
        where = f"({still_open}) OR ({changed})"
    fields = ", ".join(LEAD_QUERY_FIELDS)
    return f"SELECT {fields} FROM Lead WHERE {where} ORDER BY SystemModstamp, Id"


def integration_user(client: SalesforceApi, report: SyncReport) -> str | None:
    """The integration user's id, or None (with a warning) when the org will not say."""
    try:
        return client.user_id()
    except SalesforceError as exc:
        report.warnings.append(f"integration user unknown ({exc}); our own writes will be re-read")
        return None


def poll_leads(
    client: SalesforceApi,
    engine: Engine,
    rescore: Rescore,
    *,
    own_domains: Iterable[str] = (),
    closed_statuses: Sequence[str] | None = None,
    since: datetime | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    initial_lookback: timedelta = DEFAULT_INITIAL_LOOKBACK,
    now: Callable[[], datetime] = utcnow,
    progress: Progress = no_progress,
) -> SyncReport:
    """Pull leads a person changed since the watermark, store them, re-score new/changed open ones, advance the
    watermark. The first run (no watermark) or an explicit `since` also reads every open lead, whatever its age;
    with `closed_statuses` converted and closed leads are stored but not scored. `progress` hears ("leads",
    leads read, None) after each chunk (the query's size is unknown until its last page) and the final count."""
    report = SyncReport()
    started = now()
    view = OrgView(tuple(own_domains), integration_user(client, report), tuple(closed_statuses or ()) or None)
    with session_scope(engine) as session:
        state = sync_state.get_sync_state(LEADS_SYNC, session=session)
        watermark = state.watermark if state and state.watermark else None
    backfill = watermark is None or since is not None
    start = since or watermark or started - initial_lookback
    soql = lead_query(start, exclude_user=view.own_user, open_leads_of=(closed_statuses or ()) if backfill else None)
    if backfill:
        log.info("salesforce.leads.backfill", since=start.isoformat())
    tried: set[int] = set()
    try:
        for raw_chunk in chunked(client.query(soql), chunk_size):
            report.fetched += len(raw_chunk)
            records = parse_records(raw_chunk, report)
            if not records:
                continue
            stored = store_records(engine, records, report, view)
            due = [s.lead_id for s in stored if s.needs_score]
            rescore_leads(engine, due, rescore, report, trigger=ScoreTrigger.SALESFORCE)
            tried.update(due)
            _advance(engine, LEADS_SYNC, records, started, report)
            if backfill:
                log.info(
                    "salesforce.leads.progress", fetched=report.fetched, stored=report.stored, scored=report.rescored
                )
            progress("leads", report.fetched, None)
    except SalesforceError as exc:
        report.stopped = str(exc)
        log.error("salesforce.leads.stopped", reason=str(exc), stored=report.stored)
    progress("leads", report.fetched, report.fetched)
    rescore_pending(engine, rescore, report, trigger=ScoreTrigger.SALESFORCE, tried=tried)
    log.info("salesforce.leads.polled", **{k: v for k, v in report.as_dict().items() if not isinstance(v, list)})
    return report
