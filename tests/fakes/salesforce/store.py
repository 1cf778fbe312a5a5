"""In-memory org data: records per object, write checks with Salesforce's per-record errors, conversions.

Every write bumps SystemModstamp/LastModifiedDate from the clock, truncated to whole seconds as in
Salesforce, so several writes in one second share a stamp (clients must use >= and de-duplicate).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tests.fakes.core.clock import Clock, utc_now
from tests.fakes.salesforce.errors import RecordError
from tests.fakes.salesforce.ids import ADMIN_USER_ID, API_USER_ID, KEY_PREFIXES, id15, make_id
from tests.fakes.salesforce.schema import STRING_TYPES, FieldSpec, coerce_input, default_schemas


@dataclass
class ValidationRule:
    """A rule that rejects a write when `is_violated(record after the write)` is true."""

    sobject: str
    is_violated: Callable[[dict[str, Any]], bool]
    message: str
    fields: tuple[str, ...] = ()


@dataclass
class Record:
    """One stored record: its object type and field values (Python types)."""

    sobject: str
    values: dict[str, Any] = field(default_factory=dict)


class OrgStore:
    """Thread-safe records, schemas, validation rules and injected per-record failures."""

    def __init__(self, clock: Clock = utc_now) -> None:
        self.clock = clock
        self.lock = threading.RLock()
        self.schemas: dict[str, dict[str, FieldSpec]] = default_schemas()
        self.records: dict[str, Record] = {}
        self._by_id15: dict[str, str] = {}
        self.rules: list[ValidationRule] = []
        self._failures: dict[str, list[RecordError]] = {}
        self._seq = itertools.count(1)

    def stamp(self) -> datetime:
        """Now, truncated to whole seconds like SystemModstamp."""
        return self.clock().astimezone(UTC).replace(microsecond=0)

    # reading ----------------------------------------------------------------------------------------------
    def find(self, record_id: str) -> Record | None:
        """A record by 15- or 18-char id (deleted ones included)."""
        with self.lock:
            full = self._by_id15.get(id15(record_id))
            return self.records.get(full) if full else None

    def rows(self, sobject: str, include_deleted: bool = False) -> list[dict[str, Any]]:
        """Copies of the values of every record of one object."""
        with self.lock:
            return [
                dict(r.values)
                for r in self.records.values()
                if r.sobject == sobject and (include_deleted or not r.values.get("IsDeleted"))
            ]

    # seeding and admin edits (what a Salesforce user would do; no write checks) -----------------------------
    def insert(self, sobject: str, values: dict[str, Any], by: str = ADMIN_USER_ID) -> str:
        """Create a record with the given Python values; fills Id, audit fields and defaults."""
        with self.lock:
            schema = self.schemas[sobject]
            record_id = make_id(KEY_PREFIXES[sobject], next(self._seq))
            now = self.stamp()
            row: dict[str, Any] = {name: None for name in schema}
            row.update({"Id": record_id, "IsDeleted": False, "CreatedDate": now, "CreatedById": by})
            row.update(self._seed_values(sobject, values))
            if "LastModifiedDate" in schema:
                row.update({"LastModifiedDate": now, "SystemModstamp": now, "LastModifiedById": by})
            self._derive(sobject, row)
            self.records[record_id] = Record(sobject, row)
            self._by_id15[id15(record_id)] = record_id
            return record_id

    def edit(self, record_id: str, values: dict[str, Any], by: str = ADMIN_USER_ID) -> None:
        """Change fields as a Salesforce user would (no checks), bump SystemModstamp and track Status history."""
        with self.lock:
            record = self._require(record_id)
            before = record.values.get("Status")
            record.values.update(self._seed_values(record.sobject, values))
            self._derive(record.sobject, record.values)
            self._touch(record, by)
            self._track_status(record, before, by)

    def _track_status(self, record: Record, before: Any, by: str) -> None:
        """A LeadHistory row for a Lead Status change, when field history is on (LeadHistory in the schemas)."""
        after = record.values.get("Status")
        if record.sobject != "Lead" or after == before or "LeadHistory" not in self.schemas:
            return
        self.insert(
            "LeadHistory",
            {"LeadId": record.values["Id"], "Field": "Status", "OldValue": before, "NewValue": after},
            by=by,
        )

    def _seed_values(self, sobject: str, values: dict[str, Any]) -> dict[str, Any]:
        """Seeded values may give dates/datetimes as ISO strings; store them as Python values."""
        schema = self.schemas[sobject]
        unknown = set(values) - set(schema)
        if unknown:
            raise KeyError(f"{sobject} has no fields {sorted(unknown)}")
        return {
            k: coerce_input(schema[k], v) if isinstance(v, str) and schema[k].type in ("date", "datetime") else v
            for k, v in values.items()
        }

    def delete(self, record_id: str) -> None:
        """Move a record to the recycle bin (IsDeleted; writes then fail with ENTITY_IS_DELETED)."""
        self.edit(record_id, {"IsDeleted": True})

    def convert_lead(self, lead_id: str, opportunity: dict[str, Any] | None) -> str | None:
        """Convert a lead: Account (+ Opportunity unless None); sets IsConverted, ConvertedDate, Status."""
        with self.lock:
            lead = self._require(lead_id).values
            account_id = self.insert("Account", {"Name": lead.get("Company") or "Unknown", "Website": lead["Website"]})
            opportunity_id = None
            if opportunity is not None:
                values = {
                    "Name": f"{lead.get('Company') or 'Unknown'}-",
                    "AccountId": account_id,
                    "StageName": "Prospecting",
                    "CloseDate": self.stamp().date(),
                    **opportunity,
                }
                opportunity_id = self.insert("Opportunity", values)
            self.edit(
                lead_id,
                {
                    "IsConverted": True,
                    "ConvertedDate": self.stamp().date(),
                    "Status": "Closed - Converted",
                    "ConvertedAccountId": account_id,
                    "ConvertedOpportunityId": opportunity_id,
                },
            )
            return opportunity_id

    def _require(self, record_id: str) -> Record:
        record = self.find(record_id)
        if record is None:
            raise KeyError(f"no record {record_id}")
        return record

    def _touch(self, record: Record, by: str) -> None:
        now = self.stamp()
        record.values["LastModifiedDate"] = now
        record.values["SystemModstamp"] = now
        record.values["LastModifiedById"] = by

    @staticmethod
    def _derive(sobject: str, row: dict[str, Any]) -> None:
        if sobject == "Lead":
            row["Name"] = " ".join(p for p in (row.get("FirstName"), row.get("LastName")) if p) or None
            row["IsConverted"] = bool(row.get("IsConverted"))
        if sobject == "Opportunity":
            stage = row.get("StageName") or ""
            row["IsClosed"] = stage.startswith("Closed")
            row["IsWon"] = stage == "Closed Won"

    # injected failures ------------------------------------------------------------------------------------
    def fail_record(self, record_id: str, error: RecordError, times: int = 1) -> None:
        """Fail the next `times` API writes of one record with `error`."""
        with self.lock:
            self._failures.setdefault(id15(record_id), []).extend([error] * times)

    def _take_failure(self, record_id: str) -> RecordError | None:
        queue = self._failures.get(id15(record_id))
        return queue.pop(0) if queue else None

    # API writes --------------------------------------------------------------------------------------------
    def check_update(self, sobject: str, record_id: str, changes: dict[str, Any]) -> RecordError | dict[str, Any]:
        """Validate one API update; returns the per-record error, or the coerced values to apply."""
        with self.lock:
            record = self.find(record_id)
            if record is None or record.sobject != sobject:
                return RecordError("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id")
            if record.values.get("IsDeleted"):
                return RecordError("ENTITY_IS_DELETED", "entity is deleted")
            injected = self._take_failure(record_id)
            if injected is not None:
                return injected
            if sobject == "Lead" and record.values.get("IsConverted"):
                return RecordError("CANNOT_UPDATE_CONVERTED_LEAD", "cannot reference converted lead")
            coerced = self._coerce_fields(sobject, changes)
            if isinstance(coerced, RecordError):
                return coerced
            after = {**record.values, **coerced}
            for rule in self.rules:
                if rule.sobject == sobject and rule.is_violated(after):
                    return RecordError("FIELD_CUSTOM_VALIDATION_EXCEPTION", rule.message, rule.fields)
            return coerced

    def _coerce_fields(self, sobject: str, changes: dict[str, Any]) -> RecordError | dict[str, Any]:
        schema = self.schemas[sobject]
        out: dict[str, Any] = {}
        for name, value in changes.items():
            spec = schema.get(name)
            if spec is None:
                return RecordError("INVALID_FIELD", f"No such column '{name}' on sobject of type {sobject}", (name,))
            if not spec.updateable:
                return RecordError(
                    "INVALID_FIELD_FOR_INSERT_UPDATE",
                    f"Unable to create/update fields: {name}. Please check the security settings of this field "
                    "and verify that it is read/write for your profile or permission set.",
                    (name,),
                )
            try:
                coerced = coerce_input(spec, value)
            except ValueError as exc:
                return RecordError("INVALID_TYPE_ON_FIELD_IN_RECORD", f"{name}: {exc}", (name,))
            problem = self._fit_problem(spec, coerced)
            if problem:
                return problem
            out[name] = coerced
        return out

    @staticmethod
    def _fit_problem(spec: FieldSpec, value: Any) -> RecordError | None:
        if value is None or spec.type not in STRING_TYPES:
            return None
        if spec.length and len(value) > spec.length:
            return RecordError(
                "STRING_TOO_LONG",
                f"{spec.name}: data value too large: {value[:40]} (max length={spec.length})",
                (spec.name,),
            )
        if spec.type == "picklist" and spec.restricted and value not in spec.picklist:
            return RecordError(
                "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                f"{spec.name}: bad value for restricted picklist field: {value}",
                (spec.name,),
            )
        return None

    def apply(self, record_id: str, coerced: dict[str, Any]) -> None:
        """Store checked values as the API (integration) user and bump SystemModstamp."""
        with self.lock:
            record = self._require(record_id)
            before = record.values.get("Status")
            record.values.update(coerced)
            self._derive(record.sobject, record.values)
            self._touch(record, API_USER_ID)
            self._track_status(record, before, API_USER_ID)
