"""The Salesforce DX metadata and the code agree: field names, types, lengths, picklist values, permissions."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from admin_api.cli.doctor.lead_fields import DESCRIBE_TYPES, EXPECTED_FIELDS, PLAIN_TEXT_AREA_LENGTH
from config import Settings
from config.sections import SalesforceFieldsSection
from crm_sync.salesforce.writeback import score_values
from scoring.domain import Priority, Recommendation

METADATA = Path(__file__).resolve().parents[3] / "crm_sync" / "salesforce" / "metadata"
SOURCE = METADATA / "force-app" / "main" / "default"
NS = {"md": "http://soap.sforce.com/2006/04/metadata"}
CONFIGURED = SalesforceFieldsSection().model_dump()


def _field(name: str) -> ET.Element:
    return ET.parse(SOURCE / "objects" / "Lead" / "fields" / f"{name}.field-meta.xml").getroot()


def _text(element: ET.Element, path: str) -> str | None:
    found = element.find(path, NS)
    return found.text if found is not None else None


def test_one_field_file_per_configured_field_and_no_others() -> None:
    files = {p.name.removesuffix(".field-meta.xml") for p in (SOURCE / "objects" / "Lead" / "fields").iterdir()}
    assert files == set(CONFIGURED.values())
    for name in files:
        assert _text(_field(name), "md:fullName") == name


def test_the_expectations_cover_exactly_the_configured_keys_and_the_written_values() -> None:
    score = SimpleNamespace(
        qualification_score=80,
        recommendation="AE_HANDOFF",
        voice_ai_fit=70,
        priority="HIGH",
        reasoning=["Budget approved."],
        model_version="prior",
        scored_at=datetime(2025, 1, 1, tzinfo=UTC),
    )
    assert set(EXPECTED_FIELDS) == set(CONFIGURED) == set(score_values(score))  # type: ignore[arg-type]


@pytest.mark.parametrize("key", sorted(CONFIGURED))
def test_field_type_matches_what_the_doctor_expects(key: str) -> None:
    root = _field(CONFIGURED[key])
    expected = EXPECTED_FIELDS[key]
    assert _text(root, "md:type") == expected.metadata_type
    assert expected.describe_type == DESCRIBE_TYPES[expected.metadata_type]
    length = _text(root, "md:length")
    if expected.min_length:
        assert length is not None and int(length) >= expected.min_length


@pytest.mark.parametrize("key", ["score", "voice_ai_fit"])
def test_scores_are_whole_numbers_up_to_three_digits(key: str) -> None:
    root = _field(CONFIGURED[key])
    assert (_text(root, "md:precision"), _text(root, "md:scale")) == ("3", "0")


@pytest.mark.parametrize(("key", "enum"), [("recommendation", Recommendation), ("priority", Priority)])
def test_picklists_are_restricted_to_exactly_the_enum_values(key: str, enum: type) -> None:
    root = _field(CONFIGURED[key])
    assert _text(root, "md:valueSet/md:restricted") == "true"
    values = [_text(v, "md:fullName") for v in root.findall("md:valueSet/md:valueSetDefinition/md:value", NS)]
    assert values == [member.value for member in enum]
    assert list(EXPECTED_FIELDS[key].picklist) == values


def test_reasons_is_a_long_text_area_and_model_version_fits_the_stored_version() -> None:
    reasons = _field(CONFIGURED["reasons"])
    assert _text(reasons, "md:type") == "LongTextArea"
    assert int(_text(reasons, "md:length") or 0) > PLAIN_TEXT_AREA_LENGTH
    assert (
        int(_text(_field(CONFIGURED["model_version"]), "md:length") or 0) == EXPECTED_FIELDS["model_version"].min_length
    )


def test_permission_set_lets_the_integration_user_edit_every_field_and_read_leads_and_opportunities() -> None:
    root = ET.parse(SOURCE / "permissionsets" / "Fellow_Lead_Scoring.permissionset-meta.xml").getroot()
    editable = {
        _text(fp, "md:field") for fp in root.findall("md:fieldPermissions", NS) if _text(fp, "md:editable") == "true"
    }
    assert editable == {f"Lead.{name}" for name in CONFIGURED.values()}
    objects = {_text(o, "md:object"): o for o in root.findall("md:objectPermissions", NS)}
    assert _text(objects["Lead"], "md:allowEdit") == "true" and _text(objects["Lead"], "md:allowRead") == "true"
    assert _text(objects["Opportunity"], "md:allowRead") == "true"
    assert {_text(p, "md:name") for p in root.findall("md:userPermissions", NS)} == {"ApiEnabled"}


def test_project_uses_the_api_version_the_client_speaks() -> None:
    project = json.loads((METADATA / "sfdx-project.json").read_text())
    assert project["sourceApiVersion"] == Settings.model_fields["salesforce_api_version"].default
    assert [d["path"] for d in project["packageDirectories"]] == ["force-app", "canvas-app"]
