"""Run parsed SOQL against the OrgStore: field checks with Salesforce's errors, filtering, sorting, shaping."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from tests.fakes.salesforce.errors import ApiError, invalid_field
from tests.fakes.salesforce.ids import id15
from tests.fakes.salesforce.schema import NUMBER_TYPES, STRING_TYPES, FieldSpec, format_value, parse_datetime
from tests.fakes.salesforce.soql import BoolOp, Comparison, InList, Literal, OrderKey, Query, parse
from tests.fakes.salesforce.store import OrgStore

_KIND_FOR_TYPE = {"datetime": "datetime", "date": "date", "boolean": "boolean"}


class QueryRunner:
    """Validates and evaluates one SOQL statement; results are JSON-ready record dicts."""

    def __init__(self, store: OrgStore, version: str) -> None:
        self.store = store
        self.version = version

    def run(self, text: str, include_deleted: bool = False) -> tuple[list[dict[str, Any]], int]:
        """(records, totalSize); COUNT() queries return no records and the count."""
        query = parse(text)
        schema = self.store.schemas.get(query.sobject)
        if schema is None:
            raise ApiError(
                400,
                "INVALID_TYPE",
                f"sObject type '{query.sobject}' is not supported. If you are attempting to use a custom object, "
                "be sure to append the '__c' after the entity name.",
            )
        for name in query.fields + [k.field for k in query.order]:
            self._resolve(query.sobject, name)
        if query.where is not None:
            self._check(query.sobject, query.where)
        with self.store.lock:
            rows = [r for r in self.store.rows(query.sobject, include_deleted) if self._matches(query, r)]
            rows = self._sort(query, rows)
            end = None if query.limit is None else query.offset + query.limit
            rows = rows[query.offset : end]
            if query.count_only:
                return [], len(rows)
            return [self._shape(query, r) for r in rows], len(rows)

    # validation --------------------------------------------------------------------------------------------
    def _resolve(self, sobject: str, path: str) -> FieldSpec:
        schema = self.store.schemas[sobject]
        if "." not in path:
            spec = _case_insensitive(schema, path)
            if spec is None:
                raise invalid_field(sobject, path)
            return spec
        relation, rest = path.split(".", 1)
        ref = next((f for f in schema.values() if (f.relationship_name or "").lower() == relation.lower()), None)
        if ref is None or ref.reference_to not in self.store.schemas:
            raise ApiError(400, "INVALID_FIELD", f"Didn't understand relationship '{relation}' in field path.")
        return self._resolve(ref.reference_to, rest)

    def _check(self, sobject: str, node: Any) -> None:
        if isinstance(node, BoolOp):
            for part in node.parts:
                self._check(sobject, part)
            return
        spec = self._resolve(sobject, node.field)
        literals = node.literals if isinstance(node, InList) else (node.literal,)
        for literal in literals:
            _check_literal(spec, literal, node.op if isinstance(node, Comparison) else "IN")

    # evaluation ---------------------------------------------------------------------------------------------
    def _value(self, sobject: str, row: dict[str, Any] | None, path: str) -> Any:
        if row is None:
            return None
        schema = self.store.schemas[sobject]
        if "." not in path:
            return row.get(_case_insensitive(schema, path).name)  # type: ignore[union-attr]
        relation, rest = path.split(".", 1)
        ref = next(f for f in schema.values() if (f.relationship_name or "").lower() == relation.lower())
        related = self.store.find(row[ref.name]) if row.get(ref.name) else None
        return self._value(ref.reference_to or "", related.values if related else None, rest)

    def _matches(self, query: Query, row: dict[str, Any]) -> bool:
        return query.where is None or self._eval(query.sobject, query.where, row)

    def _eval(self, sobject: str, node: Any, row: dict[str, Any]) -> bool:
        if isinstance(node, BoolOp):
            results = (self._eval(sobject, p, row) for p in node.parts)
            if node.op == "NOT":
                return not next(results)
            return all(results) if node.op == "AND" else any(results)
        spec = self._resolve(sobject, node.field)
        actual = _comparable(spec, self._value(sobject, row, node.field))
        if isinstance(node, InList):
            found = any(actual == _comparable(spec, _literal_value(spec, lit)) for lit in node.literals)
            return found != node.negated
        return _compare(spec, actual, node.op, node.literal)

    def _sort(self, query: Query, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for key in reversed(query.order):
            rows.sort(key=lambda r, k=key: self._sort_key(query.sobject, r, k), reverse=key.descending)
        return rows

    def _sort_key(self, sobject: str, row: dict[str, Any], key: OrderKey) -> tuple[int, Any]:
        spec = self._resolve(sobject, key.field)
        value = _comparable(spec, self._value(sobject, row, key.field))
        nulls_high = key.nulls_last != key.descending
        if value is None:
            return (1 if nulls_high else 0, None)
        return (0 if nulls_high else 1, value)

    # output ---------------------------------------------------------------------------------------------------
    def _attributes(self, sobject: str, record_id: str) -> dict[str, str]:
        return {"type": sobject, "url": f"/services/data/v{self.version}/sobjects/{sobject}/{record_id}"}

    def _shape(self, query: Query, row: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"attributes": self._attributes(query.sobject, row["Id"])}
        for path in query.fields:
            spec = self._resolve(query.sobject, path)
            value = format_value(spec, self._value(query.sobject, row, path))
            if "." not in path:
                out[spec.name] = value
                continue
            relation, _ = path.split(".", 1)
            schema = self.store.schemas[query.sobject]
            ref = next(f for f in schema.values() if (f.relationship_name or "").lower() == relation.lower())
            if not row.get(ref.name):
                out[ref.relationship_name or relation] = None
                continue
            nested = out.setdefault(
                ref.relationship_name or relation,
                {"attributes": self._attributes(ref.reference_to or "", row[ref.name])},
            )
            nested[spec.name] = value
        return out


def _case_insensitive(schema: dict[str, FieldSpec], name: str) -> FieldSpec | None:
    return schema.get(name) or next((f for n, f in schema.items() if n.lower() == name.lower()), None)


def _check_literal(spec: FieldSpec, literal: Literal, op: str) -> None:
    if literal.kind == "null":
        return
    if op == "LIKE" and spec.type not in STRING_TYPES:
        raise ApiError(400, "INVALID_QUERY_FILTER_OPERATOR", f"invalid operator on {spec.type} field: LIKE")
    expected = _KIND_FOR_TYPE.get(spec.type, "number" if spec.type in NUMBER_TYPES else "string")
    if literal.kind == expected:
        return
    quoting = "should be enclosed in quotes" if expected == "string" else "should not be enclosed in quotes"
    type_name = {"datetime": "dateTime"}.get(expected, expected)
    raise ApiError(
        400,
        "INVALID_QUERY_FILTER_OPERATOR",
        f"value of filter criterion for field '{spec.name}' must be of type {type_name} and {quoting}",
    )


def _literal_value(spec: FieldSpec, literal: Literal) -> Any:
    if literal.kind == "datetime":
        return parse_datetime(literal.value)
    if literal.kind == "date":
        return date.fromisoformat(literal.value)
    return literal.value


def _comparable(spec: FieldSpec, value: Any) -> Any:
    """Normalise for comparison: ids by their 15-char form, other strings case-insensitively."""
    if value is None or not isinstance(value, str):
        return value
    if spec.type in ("id", "reference"):
        return id15(value)
    return value.casefold()


def _compare(spec: FieldSpec, actual: Any, op: str, literal: Literal) -> bool:
    expected = _comparable(spec, _literal_value(spec, literal))
    if op == "LIKE":
        if actual is None:
            return False
        pattern = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in expected)
        return re.fullmatch(pattern, actual, re.DOTALL) is not None
    if op == "=":
        return actual == expected
    if op == "!=":
        return actual != expected
    if actual is None or expected is None:
        return False
    return {"<": actual < expected, "<=": actual <= expected, ">": actual > expected, ">=": actual >= expected}[op]
