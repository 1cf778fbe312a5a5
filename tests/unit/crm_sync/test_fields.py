"""Writeback fields: describe checks with actionable errors, value fitting, per-record error mapping."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crm_sync.salesforce.errors import FieldSetupError
from crm_sync.salesforce.fields import TargetField, fit_value, resolve_fields
from crm_sync.salesforce.writeback import classify
from store.delivery import GiveUp, Retry

DESCRIBE = {
    "fields": [
        {"name": "Score__c", "type": "double", "updateable": True},
        {"name": "Reasons__c", "type": "textarea", "length": 10, "updateable": True},
        {"name": "Locked__c", "type": "string", "length": 10, "updateable": False},
    ]
}


def test_resolve_matches_case_insensitively_and_skips_disabled_keys() -> None:
    targets = resolve_fields(DESCRIBE, {"score": "score__C", "reasons": "Reasons__c", "priority": ""})
    assert targets["score"].name == "Score__c" and set(targets) == {"score", "reasons"}


def test_resolve_names_every_missing_and_readonly_field() -> None:
    with pytest.raises(FieldSetupError) as caught:
        resolve_fields(DESCRIBE, {"score": "Nope__c", "reasons": "Locked__c", "priority": "Gone__c"})
    message = str(caught.value)
    assert "Nope__c (salesforce_fields.score)" in message and "Gone__c (salesforce_fields.priority)" in message
    assert "Locked__c (salesforce_fields.reasons)" in message and "FELLOW_SALESFORCE_FIELDS__" in message


@pytest.mark.parametrize(
    ("target", "value", "expected"),
    [
        (TargetField("k", "F", "double"), 72, (True, 72)),
        (TargetField("k", "F", "int"), 72.9, (True, 72)),
        (TargetField("k", "F", "double"), "AE_HANDOFF", (False, None)),
        (TargetField("k", "F", "string", length=5), "abcdefgh", (True, "abcd…")),
        (TargetField("k", "F", "string", length=5), 80, (True, "80")),
        (TargetField("k", "F", "picklist", picklist=("High",), restricted=True), "HIGH", (True, "High")),
        (TargetField("k", "F", "picklist", picklist=("High",), restricted=True), "LOW", (False, None)),
        (TargetField("k", "F", "picklist", picklist=("High",)), "LOW", (True, "LOW")),
        (TargetField("k", "F", "datetime"), datetime(2024, 5, 1, 8, 0, 1, 250000, tzinfo=UTC),
         (True, "2024-05-01T08:00:01.250Z")),
        (TargetField("k", "F", "date"), datetime(2024, 5, 1, 23, tzinfo=UTC), (True, "2024-05-01")),
        (TargetField("k", "F", "boolean"), True, (False, None)),
    ],
)  # fmt: skip
def test_fit_value(target: TargetField, value: object, expected: tuple[bool, object]) -> None:
    assert fit_value(target, value) == expected


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("ENTITY_IS_DELETED", GiveUp),
        ("CANNOT_UPDATE_CONVERTED_LEAD", GiveUp),
        ("FIELD_CUSTOM_VALIDATION_EXCEPTION", GiveUp),
        ("INVALID_FIELD", GiveUp),
        ("UNABLE_TO_LOCK_ROW", Retry),
        ("SOMETHING_NEW", Retry),
    ],
)
def test_record_errors_are_classified(code: str, kind: type) -> None:
    result = classify({"success": False, "errors": [{"statusCode": code, "message": "m"}]})
    assert isinstance(result, kind) and result.reason.startswith(code)
    assert classify({"id": "x", "success": True, "errors": []}) is None
