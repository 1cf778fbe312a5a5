"""Outcome sync: converted leads, their opportunities and the stage reached become Outcome rows (the labels
the learning loop trains on). Which statuses and stages count comes from settings.learning.

A lead progressed when it was converted, its status is a converted status, or its opportunity reached a
progressed stage; it did not when its status is a rejected one. Progress is never taken back (an opportunity
that reached Proposal and was later lost still progressed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from structlog import get_logger

from crm_sync.salesforce.client import SalesforceApi
from crm_sync.salesforce.errors import SalesforceError, SalesforceRequestError
from crm_sync.salesforce.flows import SyncReport, chunked, integration_user
from crm_sync.salesforce.leads import store_lead
from crm_sync.salesforce.records import (
    LEAD_QUERY_FIELDS,
    RecordError,
    is_salesforce_id,
    parse_datetime,
    parse_lead,
    soql_datetime,
    soql_list,
)
from store.db import session_scope
from store.repositories import leads, outcomes, sync_state
from store.tables import Lead
from store.types import utcnow

log = get_logger(__name__)
LEADS_WATERMARK = "salesforce.outcomes.leads"
OPPORTUNITIES_WATERMARK = "salesforce.outcomes.opportunities"
REJECTED_STATUSES = ("Closed - Not Converted", "Unqualified", "Disqualified")
OPPORTUNITY_FIELDS = ("Id", "StageName", "IsClosed", "IsWon", "CreatedDate", "LastModifiedDate", "SystemModstamp")
OUTCOME_LEAD_FIELDS = (*LEAD_QUERY_FIELDS, "ConvertedDate", "ConvertedOpportunityId")
DEFAULT_LOOKBACK = timedelta(days=3650)
ID_CHUNK = 100
LINE_ITEM = "OpportunityLineItem"
LINE_ITEM_VALUES = "_voice_ai_line_item_values"  # set on an opportunity dict: its line items' flag values


@dataclass(frozen=True)
class OutcomeRules:
    """The org's outcome mapping: which lead statuses and opportunity stages count as progressed (or rejected),
    and which Opportunity field marks a Voice AI deal (a checkbox, or a picklist/text whose value is one of
    `voice_ai_values`; None = the org does not record it, so Voice AI labels stay unknown)."""

    converted_statuses: tuple[str, ...]
    progressed_stages: tuple[str, ...]
    rejected_statuses: tuple[str, ...] = REJECTED_STATUSES
    voice_ai_field: str | None = None
    voice_ai_values: tuple[str, ...] = ("true",)

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

    @property
    def line_item_path(self) -> str | None:
        """The field path on OpportunityLineItem when the flag is a line item's (e.g. Product2.Family)."""
        field = self.voice_ai_field or ""
        return field.split(".", 1)[1] if field.startswith(LINE_ITEM + ".") else None

    def voice_ai(self, opportunity: dict[str, Any] | None) -> bool | None:
        """Whether the lead's opportunity is a Voice AI deal; None when unknown (no flag, no opportunity, or a
        line-item flag on an opportunity without line items)."""
        if self.voice_ai_field is None or opportunity is None:
            return None
        if self.line_item_path is not None:
            values = opportunity.get(LINE_ITEM_VALUES)
            return None if not values else any(self._matches(v) for v in values)
        if self.voice_ai_field not in opportunity:
            return None
        return self._matches(opportunity.get(self.voice_ai_field))

    def _matches(self, value: Any) -> bool:
        wanted = {v.casefold() for v in self.voice_ai_values}
        if isinstance(value, bool):
            return value == ("true" in wanted)
        return any(part.strip().casefold() in wanted for part in str(value or "").split(";"))


@dataclass
class OrgDates:
    """Where decision dates come from: the org's Status history (when field history is on) and what we stored
    before any write of ours."""

    own_user: str | None
    status_history: dict[str, list[tuple[datetime, str]]] = field(default_factory=dict)
    history_available: bool = True

    def rejected_at(self, row: dict[str, Any], stored: Lead | None) -> tuple[datetime, str]:
        """When the lead got its current (closed) status, and from which source."""
        status = str(row.get("Status") or "").casefold()
        changes = [when for when, value in self.status_history.get(str(row.get("Id")), []) if value == status]
        if changes:
            return max(changes), "LeadHistory"
        if stored is not None and stored.status_changed_at and (stored.status or "").casefold() == status:
            return stored.status_changed_at, "first observed"
        modified = parse_datetime(row.get("LastModifiedDate"))
        if modified is not None and (self.own_user is None or row.get("LastModifiedById") != self.own_user):
            return modified, "LastModifiedDate"
        if stored is not None and stored.modified_at is not None:
            return stored.modified_at, "last seen before our writes"
        created = parse_datetime(row.get("CreatedDate"))
        return created or utcnow(), "CreatedDate"


def _day(value: Any) -> datetime | None:
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value[:10])
        except ValueError:
            return None
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    return None


def progressed_at(row: dict[str, Any], opportunity: dict[str, Any] | None) -> datetime | None:
    """When the lead progressed: its ConvertedDate, else its opportunity's creation."""
    return _day(row.get("ConvertedDate")) or parse_datetime((opportunity or {}).get("CreatedDate"))


def _in_list(ids: Iterable[str]) -> str:
    return soql_list(i for i in ids if is_salesforce_id(i))


def _since(engine: Engine, name: str, default: datetime) -> datetime:
    with session_scope(engine) as session:
        state = sync_state.get_sync_state(name, session=session)
        return state.watermark if state and state.watermark else default


def _lead_query(where: str) -> str:
    return f"SELECT {', '.join(OUTCOME_LEAD_FIELDS)} FROM Lead WHERE {where} ORDER BY SystemModstamp, Id"


def opportunity_fields(client: SalesforceApi, rules: OutcomeRules, report: SyncReport) -> tuple[str, ...]:
    """The Opportunity fields to read: the standard ones plus the Voice AI flag when describe shows it."""
    if rules.voice_ai_field is None or rules.line_item_path is not None:
        return OPPORTUNITY_FIELDS
    names = {f.get("name") for f in client.describe("Opportunity").get("fields", [])}
    if rules.voice_ai_field not in names:
        report.warnings.append(
            f"Opportunity has no field {rules.voice_ai_field}: Voice AI labels stay unknown (set "
            "learning.voice_ai_field to the org's Voice AI flag)"
        )
        return OPPORTUNITY_FIELDS
    return (*OPPORTUNITY_FIELDS, rules.voice_ai_field)


def _fetch(
    client: SalesforceApi, rules: OutcomeRules, since_leads: datetime, since_opps: datetime, report: SyncReport
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    opp_fields = ", ".join(opportunity_fields(client, rules, report))
    statuses = soql_list((*rules.converted_statuses, *rules.rejected_statuses))
    where = f"SystemModstamp >= {soql_datetime(since_leads)} AND (IsConverted = true OR Status IN ({statuses}))"
    lead_rows = {r["Id"]: r for r in client.query(_lead_query(where))}
    opp_query = f"SELECT {opp_fields} FROM Opportunity WHERE SystemModstamp >= {soql_datetime(since_opps)}"
    opportunities = {o["Id"]: o for o in client.query(opp_query + " ORDER BY SystemModstamp, Id")}
    linked = {r.get("ConvertedOpportunityId") for r in lead_rows.values()}
    for ids in chunked(sorted(set(opportunities) - linked), ID_CHUNK):
        for row in client.query(_lead_query(f"ConvertedOpportunityId IN ({_in_list(ids)})")):
            lead_rows.setdefault(row["Id"], row)
    missing = sorted({str(i) for i in linked if i} - set(opportunities))
    for ids in chunked(missing, ID_CHUNK):
        query = f"SELECT {opp_fields} FROM Opportunity WHERE Id IN ({_in_list(ids)})"
        opportunities.update({o["Id"]: o for o in client.query(query)})
    if rules.line_item_path is not None:
        line_item_flags(client, rules.line_item_path, opportunities, report)
    return list(lead_rows.values()), opportunities


def _walk(record: dict[str, Any], path: str) -> Any:
    value: Any = record
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def line_item_flags(
    client: SalesforceApi, path: str, opportunities: dict[str, dict[str, Any]], report: SyncReport
) -> None:
    """Attach to each opportunity the values of `path` on its line items (e.g. each product's Family)."""
    for ids in chunked(sorted(opportunities), ID_CHUNK):
        query = f"SELECT OpportunityId, {path} FROM {LINE_ITEM} WHERE OpportunityId IN ({_in_list(ids)})"
        try:
            for row in client.query(query):
                found = opportunities.get(str(row.get("OpportunityId")))
                if found is not None:
                    found.setdefault(LINE_ITEM_VALUES, []).append(_walk(row, path))
        except SalesforceRequestError as exc:
            if exc.code not in ("INVALID_TYPE", "INVALID_FIELD"):
                raise
            report.warnings.append(f"cannot read {LINE_ITEM}.{path} ({exc.code}): Voice AI labels stay unknown")
            return


def status_history(client: SalesforceApi, lead_ids: Sequence[str], dates: OrgDates, report: SyncReport) -> None:
    """Fill `dates.status_history` from LeadHistory (Field = Status); an org without Lead field history is
    noted once and the dates fall back to what we observed."""
    for ids in chunked(sorted(lead_ids), ID_CHUNK):
        query = (
            "SELECT LeadId, NewValue, CreatedDate FROM LeadHistory WHERE Field = 'Status' "
            f"AND LeadId IN ({_in_list(ids)}) ORDER BY CreatedDate"
        )
        try:
            for row in client.query(query):
                when = parse_datetime(row.get("CreatedDate"))
                if when is not None:
                    value = str(row.get("NewValue") or "").casefold()
                    dates.status_history.setdefault(str(row.get("LeadId")), []).append((when, value))
        except SalesforceRequestError as exc:
            if exc.code not in ("INVALID_TYPE", "INVALID_FIELD"):
                raise
            dates.history_available = False
            report.warnings.append(
                "LeadHistory is not readable (Lead field history off for Status?): rejections are dated by the "
                "status change first observed before any write of ours"
            )
            return


def _opp_id(row: dict[str, Any]) -> str:
    return str(row.get("ConvertedOpportunityId") or "")


def _store_outcome(
    engine: Engine,
    row: dict[str, Any],
    opportunity: dict[str, Any] | None,
    rules: OutcomeRules,
    dates: OrgDates,
    own_domains: Sequence[str],
    report: SyncReport,
) -> None:
    progressed = rules.decide(row, opportunity)
    if progressed is None:
        return
    record = parse_lead(row)
    with session_scope(engine) as session:
        lead = leads.get_lead_by_salesforce_id(record.salesforce_id, session=session)
        if lead is None:
            stored = store_lead(
                record,
                session=session,
                own_domains=own_domains,
                own_user=dates.own_user,
                closed_statuses=rules.rejected_statuses,
            )
            lead = leads.get_lead(stored.lead_id, session=session)
        assert lead is not None and lead.id is not None
        known = outcomes.get_outcome(lead.id, session=session)
        if progressed:
            decided = progressed_at(row, opportunity) or dates.rejected_at(row, lead)[0]
        else:
            decided, source = dates.rejected_at(row, lead)
            report.date_sources[source] = report.date_sources.get(source, 0) + 1
        _, changed = outcomes.upsert_outcome(
            lead.id,
            session=session,
            progressed=progressed or bool(known and known.progressed),
            voice_ai_opportunity=rules.voice_ai(opportunity),
            status=record.status,
            stage=(opportunity or {}).get("StageName"),
            opportunity_id=(opportunity or {}).get("Id"),
            source="salesforce",
            decided_at=known.decided_at if known and known.progressed else decided,
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
    own_user = integration_user(client, report)
    dates = OrgDates(own_user)
    try:
        rows, opportunities = _fetch(client, rules, since_leads, since_opps, report)
        rejected = [str(r["Id"]) for r in rows if rules.decide(r, opportunities.get(_opp_id(r))) is False]
        status_history(client, rejected, dates, report)
    except SalesforceError as exc:
        report.stopped = str(exc)
        log.error("salesforce.outcomes.stopped", reason=str(exc))
        return report
    report.fetched = len(rows)
    for row in rows:
        opportunity = opportunities.get(_opp_id(row))
        try:
            _store_outcome(engine, row, opportunity, rules, dates, own_domains, report)
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
    log.info(
        "salesforce.outcomes.synced",
        fetched=report.fetched,
        outcomes=report.stored,
        changed=report.created,
        rejection_dates=report.date_sources,
    )
    return report
