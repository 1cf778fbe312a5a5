"""FakeSalesforce driven by the real simple_salesforce client over HTTPS."""

from __future__ import annotations

import pytest
import requests
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import (
    SalesforceExpiredSession,
    SalesforceGeneralError,
    SalesforceMalformedRequest,
    SalesforceRefusedRequest,
    SalesforceResourceNotFound,
)

from tests.fakes.salesforce import FakeSalesforce
from tests.fakes.sessions import trusting_session

SINCE = "SELECT Id, Company, SystemModstamp FROM Lead WHERE SystemModstamp >= 2000-01-01T00:00:00Z"


def collection(*records: dict[str, object], all_or_none: bool = False) -> dict[str, object]:
    return {"allOrNone": all_or_none, "records": [{"attributes": {"type": "Lead"}, **r} for r in records]}


def test_session_verify_alone_is_overridden_by_requests_ca_bundle(
    fake_salesforce: FakeSalesforce, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", requests.certs.where())
    naive = requests.Session()
    naive.verify = fake_salesforce.ca_file
    with pytest.raises(requests.exceptions.SSLError):
        Salesforce(instance_url=fake_salesforce.url, session_id=fake_salesforce.session_id, session=naive).limits()
    fixed = trusting_session(fake_salesforce.ca_file)
    sf = Salesforce(instance_url=fake_salesforce.url, session_id=fake_salesforce.session_id, session=fixed)
    assert sf.limits()["DailyApiRequests"]["Max"] == 100_000


def test_query_all_iter_follows_three_pages(fake_salesforce: FakeSalesforce, salesforce_client: Salesforce) -> None:
    ids = fake_salesforce.seed_leads(4500)
    rows = list(salesforce_client.query_all_iter(f"{SINCE} ORDER BY SystemModstamp, Id"))
    assert [r["Id"] for r in rows] == sorted(ids)  # same stamp in one second: Id breaks the tie
    assert [c.endpoint for c in fake_salesforce.calls()] == ["query", "queryMore", "queryMore"]
    first = salesforce_client.query(SINCE)
    assert (first["totalSize"], first["done"], len(first["records"])) == (4500, False, 2000)
    assert first["nextRecordsUrl"].startswith(f"/services/data/v{salesforce_client.sf_version}/query/01g")


def test_limit_info_header_feeds_api_usage(fake_salesforce: FakeSalesforce, salesforce_client: Salesforce) -> None:
    fake_salesforce.set_api_usage(41, 15_000)
    salesforce_client.query("SELECT Id FROM Lead")
    usage = salesforce_client.api_usage["api-usage"]
    assert (usage.used, usage.total) == (42, 15_000)


def test_composite_update_reports_each_record_in_order(
    fake_salesforce: FakeSalesforce, salesforce_client: Salesforce
) -> None:
    ok, converted, deleted, locked, invalid, unknown_field = fake_salesforce.seed_leads(6)
    fake_salesforce.convert_lead(converted, StageName="Qualification")
    fake_salesforce.delete(deleted)
    fake_salesforce.lock_record(locked)
    fake_salesforce.add_validation_rule(
        "Lead",
        lambda r: r["Fellow_Qualification_Score__c"] == 13,
        "Score 13 is unlucky",
        ("Fellow_Qualification_Score__c",),
    )
    stamp_before = fake_salesforce.record(ok)["SystemModstamp"]
    body = collection(
        {"id": ok, "Fellow_Qualification_Score__c": 81},
        {"id": converted, "Fellow_Qualification_Score__c": 81},
        {"id": deleted, "Fellow_Qualification_Score__c": 81},
        {"id": locked, "Fellow_Qualification_Score__c": 81},
        {"id": invalid, "Fellow_Qualification_Score__c": 13},
        {"id": unknown_field, "Nope__c": 1},
    )
    results = salesforce_client.restful("composite/sobjects", method="PATCH", json=body)
    assert results[0] == {"id": ok, "success": True, "errors": []}
    assert [r["errors"][0]["statusCode"] for r in results[1:]] == [
        "CANNOT_UPDATE_CONVERTED_LEAD",
        "ENTITY_IS_DELETED",
        "UNABLE_TO_LOCK_ROW",
        "FIELD_CUSTOM_VALIDATION_EXCEPTION",
        "INVALID_FIELD",
    ]
    assert all(not r["success"] and "id" not in r for r in results[1:])
    assert fake_salesforce.record(ok)["Fellow_Qualification_Score__c"] == 81
    assert fake_salesforce.record(ok)["SystemModstamp"] >= stamp_before
    again = salesforce_client.restful(
        "composite/sobjects", method="PATCH", json=collection({"id": locked, "Fellow_Priority__c": "P1"})
    )
    assert again[0]["success"] is True


def test_all_or_none_rolls_back_everything(fake_salesforce: FakeSalesforce, salesforce_client: Salesforce) -> None:
    good, bad = fake_salesforce.seed_leads(2)
    fake_salesforce.fail_record(bad, "UNKNOWN_EXCEPTION", "boom")
    body = collection(
        {"id": good, "Fellow_Priority__c": "P1"}, {"id": bad, "Fellow_Priority__c": "P1"}, all_or_none=True
    )
    results = salesforce_client.restful("composite/sobjects", method="PATCH", json=body)
    assert [r["errors"][0]["statusCode"] for r in results] == ["ALL_OR_NONE_OPERATION_ROLLED_BACK", "UNKNOWN_EXCEPTION"]
    assert fake_salesforce.record(good)["Fellow_Priority__c"] is None


def test_more_than_200_records_is_refused(fake_salesforce: FakeSalesforce, salesforce_client: Salesforce) -> None:
    ids = fake_salesforce.seed_leads(201)
    with pytest.raises(SalesforceMalformedRequest) as err:
        salesforce_client.restful("composite/sobjects", method="PATCH", json=collection(*({"id": i} for i in ids)))
    assert err.value.content[0]["errorCode"] == "EXCEEDED_ID_LIMIT"


def test_single_record_get_and_update(fake_salesforce: FakeSalesforce, salesforce_client: Salesforce) -> None:
    lead, converted, deleted = fake_salesforce.seed_leads(3)
    fake_salesforce.convert_lead(converted)
    fake_salesforce.delete(deleted)
    assert salesforce_client.Lead.update(lead, {"Fellow_Scored_At__c": "2024-03-01T10:00:00Z"}) == 204
    assert salesforce_client.Lead.get(lead)["Fellow_Scored_At__c"] == "2024-03-01T10:00:00.000+0000"
    with pytest.raises(SalesforceMalformedRequest) as converted_err:
        salesforce_client.Lead.update(converted, {"Fellow_Priority__c": "P1"})
    with pytest.raises(SalesforceResourceNotFound) as deleted_err:
        salesforce_client.Lead.update(deleted, {"Fellow_Priority__c": "P1"})
    with pytest.raises(SalesforceMalformedRequest) as too_long:
        salesforce_client.Lead.update(lead, {"Fellow_Score_Reasons__c": "x" * 256})
    assert converted_err.value.content[0]["errorCode"] == "CANNOT_UPDATE_CONVERTED_LEAD"
    assert deleted_err.value.content[0]["errorCode"] == "ENTITY_IS_DELETED"
    assert too_long.value.content[0]["errorCode"] == "STRING_TOO_LONG"


def test_describe_reflects_configured_fields(fake_salesforce: FakeSalesforce, salesforce_client: Salesforce) -> None:
    fake_salesforce.drop_field("Lead", "Fellow_Voice_AI_Fit__c")
    fake_salesforce.set_field("Lead", "Fellow_Priority__c", updateable=False)
    fields = {f["name"]: f for f in salesforce_client.Lead.describe()["fields"]}
    assert "Fellow_Voice_AI_Fit__c" not in fields
    assert fields["Fellow_Priority__c"]["updateable"] is False
    assert fields["Fellow_Score_Reasons__c"]["length"] == 255
    assert "Closed - Converted" in [p["value"] for p in fields["Status"]["picklistValues"]]
    lead = fake_salesforce.add_lead()
    with pytest.raises(SalesforceMalformedRequest) as err:
        salesforce_client.Lead.update(lead, {"Fellow_Priority__c": "P1"})
    assert err.value.content[0]["errorCode"] == "INVALID_FIELD_FOR_INSERT_UPDATE"


def test_expired_direct_session_raises_and_a_new_token_recovers(
    fake_salesforce: FakeSalesforce, salesforce_session: requests.Session
) -> None:
    sf = Salesforce(instance_url=fake_salesforce.url, session_id=fake_salesforce.session_id, session=salesforce_session)
    fake_salesforce.expire_sessions()
    with pytest.raises(SalesforceExpiredSession) as err:
        sf.query("SELECT Id FROM Lead")
    assert err.value.content[0]["errorCode"] == "INVALID_SESSION_ID"
    token = salesforce_session.post(
        f"{fake_salesforce.url}/services/oauth2/token",
        data={"grant_type": "client_credentials", "client_id": "key", "client_secret": "secret"},
        timeout=5,
    ).json()
    fresh = Salesforce(instance_url=token["instance_url"], session_id=token["access_token"], session=salesforce_session)
    assert fresh.query("SELECT Id FROM Lead")["totalSize"] == 0


def test_request_limit_and_server_errors(fake_salesforce: FakeSalesforce, salesforce_client: Salesforce) -> None:
    fake_salesforce.request_limit_exceeded("query")
    fake_salesforce.server_error("query")
    with pytest.raises(SalesforceRefusedRequest) as refused:
        salesforce_client.query("SELECT Id FROM Lead")
    with pytest.raises(SalesforceGeneralError) as broken:
        salesforce_client.query("SELECT Id FROM Lead")
    assert refused.value.content[0]["errorCode"] == "REQUEST_LIMIT_EXCEEDED"
    assert broken.value.status == 500
    assert salesforce_client.query("SELECT Id FROM Lead")["done"] is True
    assert [c.faulted for c in fake_salesforce.calls("query")] == [True, True, False]


def test_exhausted_daily_allocation_refuses_calls(
    fake_salesforce: FakeSalesforce, salesforce_client: Salesforce
) -> None:
    fake_salesforce.set_api_usage(100, 100)
    with pytest.raises(SalesforceRefusedRequest):
        salesforce_client.query("SELECT Id FROM Lead")


def test_slow_response_hits_the_client_timeout(fake_salesforce: FakeSalesforce, salesforce_client: Salesforce) -> None:
    fake_salesforce.slow("limits", seconds=3)
    with pytest.raises(requests.exceptions.ReadTimeout):
        salesforce_client.limits(timeout=0.3)
    assert salesforce_client.limits(timeout=5)["DailyApiRequests"]


def test_expired_query_locator(fake_salesforce: FakeSalesforce, salesforce_client: Salesforce) -> None:
    fake_salesforce.seed_leads(2001)
    first = salesforce_client.query("SELECT Id FROM Lead")
    fake_salesforce.expire_query_cursors()
    with pytest.raises(SalesforceMalformedRequest) as err:
        salesforce_client.query_more(first["nextRecordsUrl"], identifier_is_url=True)
    assert err.value.content[0]["errorCode"] == "INVALID_QUERY_LOCATOR"
