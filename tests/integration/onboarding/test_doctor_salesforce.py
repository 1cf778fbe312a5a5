"""`fellow doctor` Salesforce checks against the fake org over HTTPS, including each failure."""

from __future__ import annotations

import pytest

from admin_api.cli.doctor.checks import doctor_settings
from admin_api.cli.doctor.domain import Status
from admin_api.cli.doctor.salesforce import salesforce_checks
from tests.fakes.salesforce import FakeSalesforce
from tests.fakes.salesforce.schema import FieldSpec
from tests.integration.onboarding.conftest import deploy_metadata_fields, make_settings, run, salesforce_values


def _run(fake: FakeSalesforce, **overrides: object) -> dict[str, object]:
    settings = doctor_settings(make_settings(**salesforce_values(fake, **overrides)))
    return run(salesforce_checks(settings))  # type: ignore[return-value]


def test_org_with_the_deployed_metadata_passes_every_check(fake_salesforce: FakeSalesforce) -> None:
    deploy_metadata_fields(fake_salesforce)
    fake_salesforce.add_field("Opportunity", FieldSpec("Voice_AI__c", "boolean"))
    results = _run(fake_salesforce)
    assert {name: r.status for name, r in results.items()} == {  # type: ignore[attr-defined]
        "connection": Status.OK,
        "api budget": Status.OK,
        "lead fields": Status.OK,
        "outcome mapping": Status.OK,
    }
    assert "Opportunity.Voice_AI__c (boolean)" in results["outcome mapping"].verdict.summary  # type: ignore[attr-defined]
    assert "all 7 score fields" in results["lead fields"].verdict.summary  # type: ignore[attr-defined]
    assert fake_salesforce.call_count("describe") == 2  # Lead once, Opportunity for the outcome mapping


def test_an_org_without_the_voice_ai_flag_is_told_which_setting_names_it(fake_salesforce: FakeSalesforce) -> None:
    mapping = _run(fake_salesforce)["outcome mapping"].verdict  # type: ignore[attr-defined]
    assert mapping.status is Status.WARN and "Opportunity has no field Voice_AI__c" in mapping.summary
    assert "FELLOW_LEARNING__VOICE_AI_FIELD" in mapping.fix
    fake_salesforce.add_field("Opportunity", FieldSpec("Deal_Type__c", "picklist", picklist=("Voice AI", "SMS")))
    renamed = _run(fake_salesforce, learning={"voice_ai_field": "Deal_Type__c", "voice_ai_values": ["Voice AI"]})
    assert renamed["outcome mapping"].verdict.status is Status.OK  # type: ignore[attr-defined]
    family = {"voice_ai_field": "OpportunityLineItem.Product2.Family", "voice_ai_values": ["Voice AI"]}
    assert _run(fake_salesforce, learning=family)["outcome mapping"].verdict.status is Status.OK  # type: ignore[attr-defined]


def test_fields_of_other_types_that_still_take_the_values_are_warnings(fake_salesforce: FakeSalesforce) -> None:
    fields = _run(fake_salesforce)["lead fields"].verdict  # type: ignore[attr-defined]
    assert fields.status is Status.WARN
    assert "Fellow_Recommendation__c is string, not picklist" in fields.summary
    assert "Fellow_Score_Reasons__c holds 255 characters" in fields.summary
    assert "sf project deploy start" in fields.fix


def test_missing_field_fails_with_the_deploy_command(fake_salesforce: FakeSalesforce) -> None:
    deploy_metadata_fields(fake_salesforce)
    fake_salesforce.drop_field("Lead", "Fellow_Scored_At__c")
    fields = _run(fake_salesforce)["lead fields"].verdict  # type: ignore[attr-defined]
    assert fields.status is Status.FAIL and "Fellow_Scored_At__c is missing" in fields.summary
    assert "sf project deploy start" in fields.fix


def test_read_only_field_fails_with_the_permission_set_command(fake_salesforce: FakeSalesforce) -> None:
    deploy_metadata_fields(fake_salesforce)
    fake_salesforce.set_field("Lead", "Fellow_Qualification_Score__c", updateable=False)
    fields = _run(fake_salesforce)["lead fields"].verdict  # type: ignore[attr-defined]
    assert fields.status is Status.FAIL and "Fellow_Qualification_Score__c is read-only" in fields.summary
    assert "sf org assign permset --name Fellow_Lead_Scoring" in fields.fix


def test_restricted_picklist_without_an_enum_value_fails(fake_salesforce: FakeSalesforce) -> None:
    deploy_metadata_fields(fake_salesforce)
    fake_salesforce.set_field("Lead", "Fellow_Priority__c", picklist=("HIGH", "MEDIUM", "LOW"))
    fields = _run(fake_salesforce)["lead fields"].verdict  # type: ignore[attr-defined]
    assert fields.status is Status.FAIL and "without HIGH_VOICE_AI" in fields.summary


def test_field_of_a_type_that_cannot_hold_the_value_fails(fake_salesforce: FakeSalesforce) -> None:
    deploy_metadata_fields(fake_salesforce)
    fake_salesforce.set_field("Lead", "Fellow_Scored_At__c", type="double")
    fields = _run(fake_salesforce)["lead fields"].verdict  # type: ignore[attr-defined]
    assert fields.status is Status.FAIL and "Fellow_Scored_At__c is double" in fields.summary


def test_budget_at_the_reserve_fails(fake_salesforce: FakeSalesforce) -> None:
    deploy_metadata_fields(fake_salesforce)
    fake_salesforce.set_api_usage(99_500, 100_000)
    results = _run(fake_salesforce)
    budget = results["api budget"].verdict  # type: ignore[attr-defined]
    assert budget.status is Status.FAIL and "API budget exhausted" in budget.summary
    assert "FELLOW_SYNC__SALESFORCE_API_RESERVE" in budget.fix
    assert results["connection"].status is Status.OK  # type: ignore[attr-defined]


def test_budget_refused_by_salesforce_fails_and_skips_fields(fake_salesforce: FakeSalesforce) -> None:
    fake_salesforce.set_api_usage(100_000, 100_000)
    results = _run(fake_salesforce)
    assert results["connection"].status is Status.FAIL  # type: ignore[attr-defined]
    assert results["api budget"].status is Status.FAIL  # type: ignore[attr-defined]
    assert results["lead fields"].status is Status.SKIP  # type: ignore[attr-defined]


def test_low_budget_is_a_warning(fake_salesforce: FakeSalesforce) -> None:
    deploy_metadata_fields(fake_salesforce)
    fake_salesforce.set_api_usage(95_000, 100_000)
    assert _run(fake_salesforce)["api budget"].status is Status.WARN  # type: ignore[attr-defined]


def test_expired_token_without_a_login_method_fails_with_the_login_fix(fake_salesforce: FakeSalesforce) -> None:
    fake_salesforce.expire_sessions()
    connection = _run(fake_salesforce)["connection"].verdict  # type: ignore[attr-defined]
    assert connection.status is Status.FAIL and "INVALID_SESSION_ID" in connection.summary
    assert "JWT or client-credentials" in connection.fix


def test_client_credentials_login_through_the_token_endpoint(fake_salesforce: FakeSalesforce) -> None:
    deploy_metadata_fields(fake_salesforce)
    results = _run(
        fake_salesforce,
        salesforce_instance_url=None,
        salesforce_access_token=None,
        salesforce_client_id="consumer-key",
        salesforce_client_secret="consumer-secret",
        salesforce_login_url=fake_salesforce.url,
    )
    assert results["connection"].status is Status.OK  # type: ignore[attr-defined]
    assert "client_credentials" in results["connection"].verdict.summary  # type: ignore[attr-defined]
    assert fake_salesforce.call_count("oauth.token") == 1


def test_unreachable_salesforce_fails_after_one_retry(fake_salesforce: FakeSalesforce) -> None:
    fake_salesforce.server_error("describe", times=2)
    results = _run(fake_salesforce)
    assert results["connection"].status is Status.FAIL  # type: ignore[attr-defined]
    assert "failed 2 times" in results["connection"].verdict.summary  # type: ignore[attr-defined]
    assert results["lead fields"].status is Status.SKIP  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("values", "status"),
    [({}, Status.OFF), ({"salesforce_instance_url": "https://acme.my.salesforce.com"}, Status.FAIL)],
)
def test_salesforce_off_or_half_configured(values: dict[str, str], status: Status) -> None:
    (result,) = run(salesforce_checks(make_settings(**values))).values()
    assert result.status is status and result.verdict.fix and "FELLOW_SALESFORCE_CLIENT_ID" in result.verdict.fix
