"""Score writeback: the outbox consumer for "salesforce.writeback".

Each batch (up to 200 events) becomes at most one sObject Collections PATCH (allOrNone false). Per lead only
the newest score is written; leads whose written values would not change (ignoring the timestamp) and stale
events are settled without a call. Per-record errors are mapped so one bad lead never blocks the others:
deleted/converted/validation/missing field -> GiveUp with the reason, locked row -> Retry. Leads known to be
converted or deleted are never written; a write that finds one so marks it, so later scores skip it.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session
from structlog import get_logger

from crm_sync.salesforce.client import MAX_COLLECTION_RECORDS, SalesforceApi
from crm_sync.salesforce.errors import ApiBudgetExhausted, SalesforceError
from crm_sync.salesforce.fields import TargetField, fit_value, resolve_fields
from crm_sync.salesforce.flows import LEADS_SYNC, OrgView, SyncReport, parse_records, store_records
from crm_sync.salesforce.records import LEAD_QUERY_FIELDS, soql_datetime, soql_list, soql_string
from store.db import session_scope
from store.delivery import DeliveryPolicy, DeliveryReport, GiveUp, Result, Retry, deliver_once
from store.repositories import leads, scores, sync_state
from store.tables import Lead, OutboxEvent, Score
from store.topics import Topic
from store.types import saved_id

log = get_logger(__name__)
TOPIC = Topic.SALESFORCE_WRITEBACK
UNCOMPARED_KEYS = frozenset({"scored_at"})
GIVE_UP_CODES = frozenset(
    {
        "ENTITY_IS_DELETED", "CANNOT_UPDATE_CONVERTED_LEAD", "INVALID_CROSS_REFERENCE_KEY", "MALFORMED_ID",
        "INVALID_ID_FIELD", "FIELD_CUSTOM_VALIDATION_EXCEPTION", "INVALID_FIELD", "INVALID_FIELD_FOR_INSERT_UPDATE",
        "STRING_TOO_LONG", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "INVALID_TYPE_ON_FIELD_IN_RECORD",
        "REQUIRED_FIELD_MISSING", "INSUFFICIENT_ACCESS_OR_READONLY", "FIELD_INTEGRITY_EXCEPTION",
        "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY",
    }
)  # fmt: skip
FIELD_CODES = frozenset({"INVALID_FIELD", "INVALID_FIELD_FOR_INSERT_UPDATE", "STRING_TOO_LONG"})
CONVERTED_CODE = "CANNOT_UPDATE_CONVERTED_LEAD"
GONE_CODES = frozenset({"ENTITY_IS_DELETED", CONVERTED_CODE, "INVALID_CROSS_REFERENCE_KEY"})
BUDGET_RETRY_SECONDS = 3600.0
WRITEBACK_POLICY = DeliveryPolicy(batch_size=MAX_COLLECTION_RECORDS)


def score_values(score: Score) -> dict[str, Any]:
    """The values written for a score, keyed like settings.salesforce_fields."""
    return {
        "score": score.qualification_score,
        "recommendation": score.recommendation,
        "voice_ai_fit": score.voice_ai_fit,
        "priority": score.priority,
        "reasons": "; ".join(score.reasoning),
        "model_version": score.model_version,
        "scored_at": score.scored_at,
    }


def fitted_values(score: Score, targets: Mapping[str, TargetField]) -> tuple[dict[str, Any], list[str]]:
    """Field API name -> value fitted to describe, and the keys that could not be represented."""
    values, dropped = {}, []
    for key, value in score_values(score).items():
        target = targets.get(key)
        if target is None:
            continue
        ok, fitted = fit_value(target, value)
        if ok:
            values[target.name] = fitted
        else:
            dropped.append(key)
    return values, dropped


def classify(outcome: Mapping[str, Any]) -> Result:
    """Map one composite/sobjects result to delivered (None), Retry or GiveUp."""
    if outcome.get("success"):
        return None
    errors = outcome.get("errors") or [{}]
    code = str(errors[0].get("statusCode", "UNKNOWN"))
    reason = f"{code}: {errors[0].get('message', '')}"[:500]
    return GiveUp(reason) if code in GIVE_UP_CODES else Retry(reason)


@dataclass
class Plan:
    """One record to write and the outbox events it settles."""

    record: dict[str, Any]
    event_ids: list[int] = field(default_factory=list)


class WritebackConsumer:
    """Delivers "salesforce.writeback" events with sObject Collections; verifies the fields first."""

    def __init__(
        self,
        client: SalesforceApi,
        engine: Engine,
        field_names: Mapping[str, str],
        *,
        worker_id: str | None = None,
        policy: DeliveryPolicy = WRITEBACK_POLICY,
        view: OrgView | None = None,
    ) -> None:
        self.client = client
        self.engine = engine
        self.view = view
        self.field_names = dict(field_names)
        self.worker_id = worker_id or f"writeback-{socket.gethostname()}-{os.getpid()}"
        self.policy = policy
        self._targets: dict[str, TargetField] | None = None

    def ensure_ready(self) -> dict[str, TargetField]:
        """Describe Lead once and check the configured fields exist and are writable (FieldSetupError if not)."""
        if self._targets is None:
            self._targets = resolve_fields(self.client.describe("Lead"), self.field_names)
            log.info("salesforce.writeback.fields_verified", fields=sorted(t.name for t in self._targets.values()))
        return self._targets

    def run_once(self) -> DeliveryReport:
        """Verify fields and budget, then deliver one batch of due events."""
        self.ensure_ready()
        self.client.check_budget()
        return deliver_once(self.engine, TOPIC, self.handle, worker_id=self.worker_id, policy=self.policy)

    def drain(self, max_batches: int = 100) -> DeliveryReport:
        """Deliver batches until none is due (or `max_batches`); returns the summed report."""
        total = DeliveryReport()
        for _ in range(max_batches):
            report = self.run_once()
            total.delivered += report.delivered
            total.retried += report.retried
            total.dead += report.dead
            total.errors.extend(report.errors)
            if report.delivered + report.retried + report.dead == 0:
                break
        return total

    # the handler -------------------------------------------------------------------------------------------
    def handle(self, batch: Sequence[OutboxEvent]) -> dict[int, Result]:
        """Write the batch's scores; every event gets a result (see module docstring)."""
        targets = self.ensure_ready()
        results: dict[int, Result] = {}
        plans = self._plan(batch, targets, results)
        stop: Retry | None = None
        for start in range(0, len(plans), MAX_COLLECTION_RECORDS):
            chunk = plans[start : start + MAX_COLLECTION_RECORDS]
            if stop is None:
                try:
                    self._reread_people_edits([str(p.record["id"]) for p in chunk])
                    outcomes = self.client.update_collection([p.record for p in chunk])
                except ApiBudgetExhausted as exc:
                    stop = Retry(str(exc), BUDGET_RETRY_SECONDS)
                except SalesforceError as exc:
                    stop = Retry(str(exc)[:500])
            gone: dict[bool, list[str]] = {True: [], False: []}
            for index, plan in enumerate(chunk):
                result = stop if stop is not None else classify(outcomes[index])
                self._note_field_error(result)
                code = result.reason.split(":", 1)[0] if isinstance(result, GiveUp) else ""
                if code in GONE_CODES:
                    gone[code == CONVERTED_CODE].append(str(plan.record["id"]))
                results.update(dict.fromkeys(plan.event_ids, result))
            if gone[True] or gone[False]:
                with session_scope(self.engine) as session:
                    for converted, ids in gone.items():
                        leads.mark_unwritable(ids, converted=converted, session=session)
        return results

    def _reread_people_edits(self, salesforce_ids: list[str]) -> None:
        """Store, before we overwrite them, the leads a person changed since the last poll: after our write their
        LastModifiedById is ours, so the poller (which skips our own writes) would never see that edit."""
        if self.view is None or self.view.own_user is None:
            return
        with Session(self.engine) as session:
            state = sync_state.get_sync_state(LEADS_SYNC, session=session)
        if state is None or state.watermark is None:
            return
        ids = soql_list(salesforce_ids)
        soql = (
            f"SELECT {', '.join(LEAD_QUERY_FIELDS)} FROM Lead WHERE Id IN ({ids}) AND SystemModstamp >= "
            f"{soql_datetime(state.watermark)} AND LastModifiedById != {soql_string(self.view.own_user)}"
        )
        report = SyncReport()
        records = parse_records(list(self.client.query(soql)), report)
        if records:
            store_records(self.engine, records, report, self.view)
            log.info("salesforce.writeback.reread_people_edits", leads=len(records), rescore=report.created)

    def _note_field_error(self, result: Result) -> None:
        if isinstance(result, GiveUp) and result.reason.split(":", 1)[0] in FIELD_CODES:
            self._targets = None  # the org's schema changed: describe again before the next batch

    def _plan(
        self, batch: Sequence[OutboxEvent], targets: Mapping[str, TargetField], results: dict[int, Result]
    ) -> list[Plan]:
        wanted: dict[int, int] = {}
        for event in batch:
            score_id = (event.payload or {}).get("score_id")
            if isinstance(score_id, int) and not isinstance(score_id, bool):
                wanted[saved_id(event)] = score_id
            else:
                results[saved_id(event)] = GiveUp(f"payload has no score_id: {event.payload!r}"[:300])
        with Session(self.engine) as session:
            found = scores.scores_by_id(wanted.values(), session=session)
            by_lead: dict[int, list[tuple[int, Score]]] = {}
            for event_id, score_id in wanted.items():
                score = found.get(score_id)
                if score is None or score.lead_id is None:
                    results[event_id] = GiveUp(f"score {score_id} does not exist or has no lead")
                    continue
                by_lead.setdefault(score.lead_id, []).append((event_id, score))
            previous = scores.last_delivered_scores(by_lead, topic=TOPIC, session=session)
            rows = leads.leads_by_id(by_lead, session=session)
            plans = []
            for lead_id, items in by_lead.items():
                plan = self._plan_lead(rows.get(lead_id), items, previous.get(lead_id), targets, results)
                if plan is not None:
                    plans.append(plan)
        return plans

    def _plan_lead(
        self,
        lead: Lead | None,
        items: list[tuple[int, Score]],
        previous: Score | None,
        targets: Mapping[str, TargetField],
        results: dict[int, Result],
    ) -> Plan | None:
        event_ids = [event_id for event_id, _ in items]
        newest = max((score for _, score in items), key=lambda s: s.id or 0)
        if lead is None or not lead.salesforce_id:
            results.update(dict.fromkeys(event_ids, None))  # a local-only lead: nothing to write
            return None
        if lead.is_converted or lead.deleted_at is not None:
            results.update(dict.fromkeys(event_ids, None))  # read-only or gone in Salesforce: never written
            return None
        if previous is not None and (previous.id or 0) > (newest.id or 0):
            results.update(dict.fromkeys(event_ids, None))  # a newer score was already written
            return None
        values, dropped = fitted_values(newest, targets)
        if dropped:
            log.warning("salesforce.writeback.values_dropped", lead_id=lead.id, keys=dropped)
        if previous is not None and _same(fitted_values(previous, targets)[0], values, targets):
            results.update(dict.fromkeys(event_ids, None))  # Salesforce already shows these values
            return None
        record = {"attributes": {"type": "Lead"}, "id": lead.salesforce_id, **values}
        return Plan(record, event_ids)


def _same(before: dict[str, Any], after: dict[str, Any], targets: Mapping[str, TargetField]) -> bool:
    skip = {targets[k].name for k in UNCOMPARED_KEYS if k in targets}
    return {k: v for k, v in before.items() if k not in skip} == {k: v for k, v in after.items() if k not in skip}
