"""The Lead fields the writeback fills: checked against describe, and values fitted to each field's type,
length and picklist (a 255-character Text Area gets a shortened reasons text, never a STRING_TOO_LONG)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from crm_sync.salesforce.errors import FieldSetupError

TEXT_TYPES = frozenset({"string", "textarea", "picklist", "multipicklist", "url", "email", "phone", "combobox"})
NUMBER_TYPES = frozenset({"double", "int", "percent", "currency", "long"})
ELLIPSIS = "…"


@dataclass(frozen=True)
class TargetField:
    """One configured Lead field as describe reports it."""

    key: str
    name: str
    type: str
    length: int = 0
    picklist: tuple[str, ...] = ()
    restricted: bool = False


def resolve_fields(describe: dict[str, Any], configured: dict[str, str]) -> dict[str, TargetField]:
    """Match configured field names (key -> API name; empty = not written) to describe; raise FieldSetupError
    naming every missing or read-only field and the setting that names it."""
    by_name = {str(f.get("name", "")).lower(): f for f in describe.get("fields", [])}
    missing, readonly, resolved = [], [], {}
    for key, name in configured.items():
        if not name:
            continue
        spec = by_name.get(name.lower())
        if spec is None:
            missing.append(f"{name} (salesforce_fields.{key})")
        elif not spec.get("updateable"):
            readonly.append(f"{name} (salesforce_fields.{key})")
        else:
            picklist = tuple(str(p["value"]) for p in spec.get("picklistValues") or [] if p.get("active", True))
            resolved[key] = TargetField(
                key=key,
                name=str(spec["name"]),
                type=str(spec.get("type", "string")),
                length=int(spec.get("length") or 0),
                picklist=picklist,
                restricted=bool(spec.get("restrictedPicklist")),
            )
    problems = []
    if missing:
        problems.append(
            "missing on Lead: " + ", ".join(missing) + ". Create these custom fields in Salesforce Setup "
            "(Object Manager > Lead > Fields) or set FELLOW_SALESFORCE_FIELDS__<KEY> to the right API name"
        )
    if readonly:
        problems.append(
            "not writable by the integration user: " + ", ".join(readonly) + ". Grant Edit in field-level "
            "security for the integration user's profile or permission set"
        )
    if problems:
        raise FieldSetupError("Salesforce writeback fields " + "; ".join(problems))
    return resolved


def _shorten(text: str, length: int) -> str:
    if length <= 0 or len(text) <= length:
        return text
    return text[: max(0, length - 1)].rstrip() + ELLIPSIS


def fit_value(target: TargetField, value: Any) -> tuple[bool, Any]:
    """(ok, value) for writing `value` into the field; ok is False when it cannot be represented there."""
    if value is None:
        return True, None
    if target.type in NUMBER_TYPES:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False, None
        return True, int(value) if target.type in ("int", "long") else value
    if target.type == "datetime":
        if not isinstance(value, datetime):
            return False, None
        return True, value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    if target.type == "date":
        return (True, value.astimezone(UTC).date().isoformat()) if isinstance(value, datetime) else (False, None)
    if target.type not in TEXT_TYPES:
        return False, None
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    if target.type in ("picklist", "multipicklist") and target.picklist:
        match = next((p for p in target.picklist if p.lower() == text.lower()), None)
        if match is not None:
            return True, match
        if target.restricted:
            return False, None
    return True, _shorten(text, target.length)
