"""Outcome sync: converted leads, their opportunities and the stage reached become Outcome rows (the labels
the learning loop trains on). Which statuses and stages count comes from settings.learning.

A lead progressed when it was converted, its status is a converted status, or its opportunity reached a
progressed stage; it did not when its status is a rejected one. Progress is never taken back (an opportunity
that reached Proposal and was later lost still progressed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from structlog import get_logger

from crm_sync.salesforce.client import SalesforceApi
from crm_sync.salesforce.errors import SalesforceError
from crm_sync.salesforce.flows import SyncReport, chunked
from crm_sync.salesforce.leads import store_lead
from crm_sync.salesforce.records import (
    LEAD_QUERY_FIELDS,
    RecordError,
    is_salesforce_id,
    parse_datetime,
    parse_lead,
    soql_datetime,
    soql_string,
)
from store.db import session_scope
from store.repositories import leads, outcomes, sync_state
from store.types import utcnow

log = get_logger(__name__)
LEADS_WATERMARK = "salesforce.outcomes.leads"
OPPORTUNITIES_WATERMARK = "salesforce.outcomes.opportunities"
REJECTED_STATUSES = ("Closed - Not Converted", "Unqualified", "Disqualified")
OPPORTUNITY_FIELDS = ("Id", "StageName", "IsClosed", "IsWon", "LastModifiedDate", "SystemModstamp")
OUTCOME_LEAD_FIELDS = (*LEAD_QUERY_FIELDS, "ConvertedDate", "ConvertedOpportunityId")
DEFAULT_LOOKBACK = timedelta(days=365)
ID_CHUNK = 100


@dataclass(frozen=True)
class OutcomeRules:
    """Which lead statuses and opportunity stages count as progressed (or rejected)."""

    converted_statuses: tuple[str, ...]
    progressed_stages: tuple[str, ...]
    rejected_statuses: tuple[str, ...] = REJECTED_STATUSES

    def decide(self, lead: dict[str, Any], opportunity: dict[str, Any] | None) -> bool | None:
        """True (progressed), False (rejected) or None (still open: no outcome yet)."""
        status = str(lead.get("Status") or "").lower()
        stage = str((opportunity or {}).get("StageName") or "").lower()
        if lead.get("IsConverted") or status in {s.lower() for s in self.converted_statuses}:
            return True
        if opportunity and (opportunity.get("IsWon") or stage in {s.lower() for s in self.progressed_stages}):
            return True
        if status in {s.lower() for s in self.rejected_statuses}:
            return False
        return None


def _decided_at(lead: dict[str, Any], opportunity: dict[str, Any] | None) -> datetime:
    converted = lead.get("ConvertedDate")
    if isinstance(converted, str):
        try:
            day = date.fromisoformat(converted[:10])
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        except ValueError:
            pass
    for value in ((opportunity or {}).get("LastModifiedDate"), lead.get("SystemModstamp")):
        moment = parse_datetime(value)
        if moment is not None:
            return moment
    return utcnow()


def _in_list(ids: Iterable[str]) -> str:
    return ", ".join(soql_string(i) for i in ids if is_salesforce_id(i))


def _since(engine: Engine, name: str, default: datetime) -> datetime:
    with session_scope(engine) as session:
        state = sync_state.get_sync_state(name, session=session)
        return state.watermark if state and state.watermark else default


def _lead_query(where: str) -> str:
    return f"SELECT {', '.join(OUTCOME_LEAD_FIELDS)} FROM Lead WHERE {where} ORDER BY SystemModstamp, Id"


def _fetch(
    client: SalesforceApi, rules: OutcomeRules, since_leads: datetime, since_opps: datetime
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    statuses = _in_list_strings((*rules.converted_statuses, *rules.rejected_statuses))
    where = f"SystemModstamp >= {soql_datetime(since_leads)} AND (IsConverted = true OR Status IN ({statuses}))"
    lead_rows = {r["Id"]: r for r in client.query(_lead_query(where))}
    opp_query = (
        f"SELECT {', '.join(OPPORTUNITY_FIELDS)} FROM Opportunity WHERE SystemModstamp >= {soql_datetime(since_opps)}"
    )
    opportunities = {o["Id"]: o for o in client.query(opp_query + " ORDER BY SystemModstamp, Id")}
    linked = {r.get("ConvertedOpportunityId") for r in lead_rows.values()}
    for ids in chunked(sorted(set(opportunities) - linked), ID_CHUNK):
        for row in client.query(_lead_query(f"ConvertedOpportunityId IN ({_in_list(ids)})")):
            lead_rows.setdefault(row["Id"], row)
    missing = sorted({str(i) for i in linked if i} - set(opportunities))
    for ids in chunked(missing, ID_CHUNK):
        query = f"SELECT {', '.join(OPPORTUNITY_FIELDS)} FROM Opportunity WHERE Id IN ({_in_list(ids)})"
        opportunities.update({o["Id"]: o for o in client.query(query)})
    return list(lead_rows.values()), opportunities


def _in_list_strings(values: Sequence[str]) -> str:
    return ", ".join(soql_string(v) for v in values)


def _store_outcome(
    engine: Engine,
    row: dict[str, Any],
    opportunity: dict[str, Any] | None,
    rules: OutcomeRules,
    own_domains: Sequence[str],
    report: SyncReport,
) -> None:
    progressed = rules.decide(row, opportunity)
    if progressed is None:
        return
    record = parse_lead(row)
    with session_scope(engine) as session:
        lead = leads.get_lead_by_salesforce_id(record.salesforce_id, session=session)
        lead_id = lead.id if lead else store_lead(record, session=session, own_domains=own_domains).lead_id
        assert lead_id is not None
        known = outcomes.get_outcome(lead_id, session=session)
        _, changed = outcomes.upsert_outcome(
            lead_id,
            session=session,
            progressed=progressed or bool(known and known.progressed),
            status=record.status,
            stage=(opportunity or {}).get("StageName"),
            opportunity_id=(opportunity or {}).get("Id"),
            source="salesforce",
            decided_at=known.decided_at if known and known.progressed else _decided_at(row, opportunity),
        )
    report.stored += 1
    report.created += int(changed)


def sync_outcomes(
    client: SalesforceApi,
    engine: Engine,
    rules: OutcomeRules,
    *,
    own_domains: Sequence[str] = (),
    initial_lookback: timedelta = DEFAULT_LOOKBACK,
    now: Callable[[], datetime] = utcnow,
) -> SyncReport:
    """Pull converted/decided leads and changed opportunities since the watermarks into Outcome rows.
    In the report, `stored` counts outcomes seen and `created` those that changed."""
    report = SyncReport()
    started = now()
    since_leads = _since(engine, LEADS_WATERMARK, started - initial_lookback)
    since_opps = _since(engine, OPPORTUNITIES_WATERMARK, started - initial_lookback)
    try:
        rows, opportunities = _fetch(client, rules, since_leads, since_opps)
    except SalesforceError as exc:
        report.stopped = str(exc)
        log.error("salesforce.outcomes.stopped", reason=str(exc))
        return report
    report.fetched = len(rows)
    for row in rows:
        opportunity = opportunities.get(row.get("ConvertedOpportunityId") or "")
        try:
            _store_outcome(engine, row, opportunity, rules, own_domains, report)
        except (RecordError, ValueError) as exc:
            report.skipped.append(f"lead {row.get('Id')!r}: {exc}"[:300])
        except Exception as exc:  # one bad row must not stop the others
            log.exception("salesforce.outcomes.row_failed", lead=row.get("Id"))
            report.skipped.append(f"lead {row.get('Id')!r}: {type(exc).__name__}: {exc}"[:300])
    stamps = {
        LEADS_WATERMARK: [parse_datetime(r.get("SystemModstamp")) for r in rows],
        OPPORTUNITIES_WATERMARK: [parse_datetime(o.get("SystemModstamp")) for o in opportunities.values()],
    }
    with session_scope(engine) as session:
        for name, values in stamps.items():
            seen = [v for v in values if v is not None]
            if seen:
                sync_state.set_watermark(name, min(max(seen), started), session=session)
    report.watermark = started
    log.info("salesforce.outcomes.synced", fetched=report.fetched, outcomes=report.stored, changed=report.created)
    return report
