"""REST resources of the fake org: query/queryMore, sObject get/update, sObject Collections, describe, limits."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from typing import Any

from tests.fakes.core import Request, Response
from tests.fakes.salesforce.errors import ApiError, RecordError, not_found
from tests.fakes.salesforce.ids import looks_like_id
from tests.fakes.salesforce.query import QueryRunner
from tests.fakes.salesforce.schema import describe_object, format_value
from tests.fakes.salesforce.store import OrgStore

MAX_COLLECTION_RECORDS = 200
MIN_BATCH, MAX_BATCH = 200, 2000


@dataclass
class Cursor:
    """Remaining pages of a query (a query locator)."""

    records: list[dict[str, Any]]
    total: int
    batch: int


class RestApi:
    """Handlers for /services/data/vXX.X/...; each returns a Response or raises ApiError."""

    def __init__(self, store: OrgStore, page_size: int = MAX_BATCH) -> None:
        self.store = store
        self.page_size = page_size
        self._cursors: dict[str, Cursor] = {}
        self._lock = threading.Lock()

    # query ---------------------------------------------------------------------------------------------------
    def query(self, request: Request, version: str, include_deleted: bool) -> Response:
        """Run SOQL from `?q=` and return the first page."""
        text = request.param("q")
        if not text:
            raise ApiError(400, "MALFORMED_QUERY", "A query string must be provided.")
        records, total = QueryRunner(self.store, version).run(text, include_deleted)
        return Response(200, self._page(Cursor(records, total, self._batch_size(request)), 0, version))

    def query_more(self, locator: str, version: str) -> Response:
        """Serve the page of a query locator at `<id>-<offset>`."""
        cursor_id, _, offset = locator.rpartition("-")
        with self._lock:
            cursor = self._cursors.get(cursor_id)
        if cursor is None or not offset.isdigit():
            raise ApiError(400, "INVALID_QUERY_LOCATOR", "invalid query locator")
        return Response(200, self._page(cursor, int(offset), version, cursor_id))

    def expire_cursors(self) -> None:
        """Forget every query locator (queryMore then answers INVALID_QUERY_LOCATOR)."""
        with self._lock:
            self._cursors.clear()

    def _batch_size(self, request: Request) -> int:
        options = request.header("Sforce-Query-Options") or ""
        for part in options.split(","):
            name, _, value = part.partition("=")
            if name.strip() == "batchSize" and value.strip().isdigit():
                return max(MIN_BATCH, min(MAX_BATCH, int(value)))
        return self.page_size

    def _page(self, cursor: Cursor, offset: int, version: str, cursor_id: str | None = None) -> dict[str, Any]:
        end = offset + cursor.batch
        page = cursor.records[offset:end]
        body: dict[str, Any] = {"totalSize": cursor.total, "done": end >= len(cursor.records), "records": page}
        if not body["done"]:
            if cursor_id is None:
                cursor_id = "01g" + secrets.token_hex(8)[:15]
                with self._lock:
                    self._cursors[cursor_id] = cursor
            body["nextRecordsUrl"] = f"/services/data/v{version}/query/{cursor_id}-{end}"
        return body

    # sObjects ------------------------------------------------------------------------------------------------
    def get_record(self, sobject: str, record_id: str, request: Request, version: str) -> Response:
        """GET sobjects/<Object>/<id>[?fields=a,b]."""
        record = self.store.find(record_id)
        if record is None or record.sobject != sobject:
            raise not_found()
        if record.values.get("IsDeleted"):
            raise ApiError(404, "ENTITY_IS_DELETED", "entity is deleted")
        schema = self.store.schemas[sobject]
        wanted = [f.strip() for f in (request.param("fields") or "").split(",") if f.strip()] or list(schema)
        body: dict[str, Any] = {
            "attributes": {
                "type": sobject,
                "url": f"/services/data/v{version}/sobjects/{sobject}/{record.values['Id']}",
            }
        }
        for name in wanted:
            if name not in schema:
                raise ApiError(400, "INVALID_FIELD", f"No such column '{name}' on sobject of type {sobject}")
            body[name] = format_value(schema[name], record.values.get(name))
        return Response(200, body)

    def update_record(self, sobject: str, record_id: str, request: Request) -> Response:
        """PATCH sobjects/<Object>/<id>: 204, or the error array with Salesforce's status."""
        if not isinstance(request.body, dict):
            raise ApiError(400, "JSON_PARSER_ERROR", "The request body is not a JSON object.")
        with self.store.lock:
            result = self.store.check_update(sobject, record_id, request.body)
            if isinstance(result, RecordError):
                if result.status_code == "INVALID_CROSS_REFERENCE_KEY":
                    raise not_found()
                status = 404 if result.status_code == "ENTITY_IS_DELETED" else 400
                raise ApiError(status, result.status_code, result.message, list(result.fields))
            self.store.apply(record_id, result)
        return Response(204)

    def update_collection(self, request: Request) -> Response:
        """PATCH composite/sobjects: up to 200 records, per-record results in order, allOrNone honoured."""
        body = request.body
        if not isinstance(body, dict) or not isinstance(body.get("records"), list):
            raise ApiError(400, "JSON_PARSER_ERROR", "Expected an object with a 'records' array.")
        records = body["records"]
        if len(records) > MAX_COLLECTION_RECORDS:
            raise ApiError(
                400,
                "EXCEEDED_ID_LIMIT",
                f"record limit reached. cannot submit more than {MAX_COLLECTION_RECORDS} records in this operation",
            )
        with self.store.lock:
            checked = [self._check_collection_record(r) for r in records]
            failed = any(isinstance(c, RecordError) for c in checked)
            results = []
            for record, outcome in zip(records, checked, strict=True):
                if isinstance(outcome, RecordError):
                    results.append({"success": False, "errors": [outcome.collection_json()]})
                elif failed and body.get("allOrNone"):
                    rolled_back = RecordError(
                        "ALL_OR_NONE_OPERATION_ROLLED_BACK",
                        "Record rolled back because not all records were valid and the request was using "
                        "AllOrNone header",
                    )
                    results.append({"success": False, "errors": [rolled_back.collection_json()]})
                else:
                    results.append({"id": record["id"], "success": True, "errors": []})
            if not (failed and body.get("allOrNone")):
                for record, outcome in zip(records, checked, strict=True):
                    if not isinstance(outcome, RecordError):
                        self.store.apply(record["id"], outcome)
        return Response(200, results)

    def _check_collection_record(self, record: Any) -> RecordError | dict[str, Any]:
        if not isinstance(record, dict):
            return RecordError("JSON_PARSER_ERROR", "record is not an object")
        sobject = (record.get("attributes") or {}).get("type")
        if sobject not in self.store.schemas:
            return RecordError("INVALID_TYPE", f"sObject type '{sobject}' is not supported.")
        record_id = record.get("id") or record.get("Id")
        if not record_id:
            return RecordError("MISSING_ARGUMENT", "Id not specified in an update call")
        if not isinstance(record_id, str) or not looks_like_id(record_id):
            return RecordError("MALFORMED_ID", f"malformed id {record_id}")
        changes = {k: v for k, v in record.items() if k not in ("attributes", "id", "Id")}
        return self.store.check_update(sobject, record_id, changes)

    # describe and limits ---------------------------------------------------------------------------------------
    def describe(self, sobject: str, version: str) -> Response:
        """GET sobjects/<Object>/describe."""
        schema = self.store.schemas.get(sobject)
        if schema is None:
            raise not_found()
        return Response(200, describe_object(sobject, schema, version))

    def describe_global(self, version: str) -> Response:
        """GET sobjects/: the objects this org knows."""
        objects = [describe_object(name, schema, version) for name, schema in self.store.schemas.items()]
        for item in objects:
            item.pop("fields")
        return Response(200, {"encoding": "UTF-8", "maxBatchSize": MAX_COLLECTION_RECORDS, "sobjects": objects})


def limits_body(used: int, total: int) -> dict[str, Any]:
    """GET limits/: the daily API allocation and a few other limits."""
    return {
        "DailyApiRequests": {"Max": total, "Remaining": max(0, total - used)},
        "DailyBulkV2QueryJobs": {"Max": 10000, "Remaining": 10000},
        "ConcurrentPerOrgLongTxn": {"Max": 10, "Remaining": 10},
    }
