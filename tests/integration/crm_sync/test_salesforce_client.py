"""The Salesforce client against the fake org: TLS trust, login modes, session expiry, retries, API reserve."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from config.settings import Settings
from crm_sync.salesforce.client import SalesforceClient
from crm_sync.salesforce.errors import (
    ApiBudgetExhausted,
    SalesforceAuthError,
    SalesforceRequestError,
    SalesforceUnavailable,
)
from tests.fakes.core import Fault
from tests.fakes.salesforce import FakeSalesforce, OAuthConfig
from tests.integration.crm_sync.conftest import SleepLog, salesforce_settings

QUERY = "SELECT Id FROM Lead WHERE SystemModstamp >= 2000-01-01T00:00:00Z"


def test_configured_ca_bundle_wins_over_environment(
    fake_salesforce: FakeSalesforce, monkeypatch: pytest.MonkeyPatch, sleeps: SleepLog, tmp_path: Path
) -> None:
    other = tmp_path / "other-ca.pem"
    other.write_text(Path(fake_salesforce.ca_file).read_text())
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"):
        monkeypatch.setenv(name, "/etc/ssl/certs/ca-certificates.crt")
    fake_salesforce.seed_leads(2)
    client = SalesforceClient.from_settings(salesforce_settings(fake_salesforce), sleep=sleeps)
    assert len(list(client.query(QUERY))) == 2
    assert client.usage is not None and client.usage.total == 100_000


def test_without_the_ca_bundle_tls_fails_and_is_retried_then_reported(
    fake_salesforce: FakeSalesforce, sleeps: SleepLog
) -> None:
    client = SalesforceClient.from_settings(
        salesforce_settings(fake_salesforce, salesforce_ca_bundle=None), sleep=sleeps
    )
    with pytest.raises(SalesforceUnavailable, match=r"SSLError|ConnectionError"):
        client.describe("Lead")
    assert len(sleeps.delays) == 3


def test_expired_direct_session_relogs_in_with_client_credentials_once(
    sleeps: SleepLog,
) -> None:
    with FakeSalesforce(oauth=OAuthConfig(consumer_key="key", consumer_secret="shh")) as fake:
        settings = salesforce_settings(fake, salesforce_client_id="key", salesforce_client_secret="shh")
        client = SalesforceClient.from_settings(settings, sleep=sleeps)
        client.describe("Lead")
        fake.expire_sessions()
        client.describe("Lead")
        assert fake.call_count("oauth.token") == 1
        assert fake.call_count("describe") == 3


def test_expired_direct_session_without_login_method_is_an_actionable_error(
    fake_salesforce: FakeSalesforce, sf_client: SalesforceClient
) -> None:
    fake_salesforce.expire_sessions()
    with pytest.raises(SalesforceAuthError, match="FELLOW_SALESFORCE_ACCESS_TOKEN"):
        sf_client.describe("Lead")


def test_jwt_bearer_login_signs_with_the_private_key(tmp_path: Path, sleeps: SleepLog) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    key_file = tmp_path / "server.key"
    key_file.write_bytes(pem)
    with FakeSalesforce(oauth=OAuthConfig(consumer_key="cid", jwt_public_key=public)) as fake:
        settings = salesforce_settings(
            fake,
            salesforce_instance_url=None,
            salesforce_access_token=None,
            salesforce_client_id="cid",
            salesforce_username="integration@example.com",
            salesforce_private_key_file=key_file,
        )
        client = SalesforceClient.from_settings(settings, sleep=sleeps)
        assert client.describe("Lead")["name"] == "Lead"
        assert fake.call_count("oauth.token") == 1
        wrong = salesforce_settings(
            fake,
            salesforce_instance_url=None,
            salesforce_access_token=None,
            salesforce_client_id="someone-else",
            salesforce_username="integration@example.com",
            salesforce_private_key_file=key_file,
        )
        with pytest.raises(SalesforceAuthError, match="client identifier invalid"):
            SalesforceClient.from_settings(wrong, sleep=sleeps).describe("Lead")


def test_password_grant_login(sleeps: SleepLog) -> None:
    oauth = OAuthConfig(consumer_key="k", consumer_secret="s", users={"u@example.com": "pwTOKEN"})
    with FakeSalesforce(oauth=oauth) as fake:
        settings = salesforce_settings(
            fake,
            salesforce_instance_url=None,
            salesforce_access_token=None,
            salesforce_client_id="k",
            salesforce_client_secret="s",
            salesforce_username="u@example.com",
            salesforce_password="pw",
            salesforce_security_token="TOKEN",
        )
        assert SalesforceClient.from_settings(settings, sleep=sleeps).describe("Lead")["name"] == "Lead"


def _soap_settings(fake: FakeSalesforce, password: str) -> Settings:
    return salesforce_settings(
        fake,
        salesforce_instance_url=None,
        salesforce_access_token=None,
        salesforce_username="legacy@example.com",
        salesforce_password=password,
        salesforce_security_token="TOKEN",
    )


def test_legacy_soap_login(sleeps: SleepLog) -> None:
    with FakeSalesforce(oauth=OAuthConfig(users={"legacy@example.com": "pwTOKEN"})) as fake:
        client = SalesforceClient.from_settings(_soap_settings(fake, "pw"), sleep=sleeps)
        assert client.describe("Lead")["name"] == "Lead"
        [login] = fake.calls("soap.login")
        assert b"<n1:password>pwTOKEN</n1:password>" in login.raw_body
        assert fake.call_count("oauth.token") == 0


def test_refused_soap_login_names_the_fault_but_not_the_secret(sleeps: SleepLog) -> None:
    with FakeSalesforce(oauth=OAuthConfig(users={"legacy@example.com": "pwTOKEN"})) as fake:
        with pytest.raises(SalesforceAuthError, match="SOAP login refused: INVALID_LOGIN") as error:
            SalesforceClient.from_settings(_soap_settings(fake, "wrong-hunter2"), sleep=sleeps).describe("Lead")
        assert "hunter2" not in str(error.value)


def test_request_limit_and_server_errors_back_off_then_succeed(
    fake_salesforce: FakeSalesforce, sf_client: SalesforceClient, sleeps: SleepLog
) -> None:
    concurrent = [{"errorCode": "REQUEST_LIMIT_EXCEEDED", "message": "ConcurrentPerOrgLongTxn Limit exceeded."}]
    fake_salesforce.inject("describe", Fault(403, concurrent))
    fake_salesforce.server_error("describe", times=2)
    assert sf_client.describe("Lead")["name"] == "Lead"
    assert len(sleeps.delays) == 3 and all(0 < d <= 30 for d in sleeps.delays)
    assert sleeps.delays[2] > sleeps.delays[0] / 2


def test_daily_limit_stops_at_once(fake_salesforce: FakeSalesforce, sf_client: SalesforceClient) -> None:
    fake_salesforce.set_api_usage(100_000)
    with pytest.raises(ApiBudgetExhausted):
        sf_client.describe("Lead")


def test_reserve_is_respected_before_burning_the_budget(fake_salesforce: FakeSalesforce, sleeps: SleepLog) -> None:
    settings = salesforce_settings(fake_salesforce, sync={"salesforce_api_reserve": 500})
    client = SalesforceClient.from_settings(settings, sleep=sleeps)
    fake_salesforce.set_api_usage(99_600)
    client.describe("Lead")
    calls = fake_salesforce.call_count()
    with pytest.raises(ApiBudgetExhausted, match="reserve 500"):
        client.describe("Lead")
    assert fake_salesforce.call_count() == calls


def test_slow_response_times_out_and_is_retried(fake_salesforce: FakeSalesforce, sleeps: SleepLog) -> None:
    settings = salesforce_settings(fake_salesforce, sync={"http_timeout_seconds": 0.5, "max_retries": 2})
    client = SalesforceClient.from_settings(settings, sleep=sleeps)
    fake_salesforce.slow("describe", seconds=3)
    assert client.describe("Lead")["name"] == "Lead"
    assert len(sleeps.delays) == 1


def test_bad_query_is_not_retried(
    fake_salesforce: FakeSalesforce, sf_client: SalesforceClient, sleeps: SleepLog
) -> None:
    with pytest.raises(SalesforceRequestError, match="INVALID_FIELD"):
        list(sf_client.query("SELECT Nope__c FROM Lead"))
    assert sleeps.delays == []


def test_deleted_record_reads_as_none(fake_salesforce: FakeSalesforce, sf_client: SalesforceClient) -> None:
    [lead] = fake_salesforce.seed_leads(1)
    fake_salesforce.delete(lead)
    assert sf_client.get_record("Lead", lead, ["Id"]) is None


def test_describe_that_is_not_an_object_is_refused(
    fake_salesforce: FakeSalesforce, sf_client: SalesforceClient
) -> None:
    fake_salesforce.inject("describe", Fault(200, '["not", "a", "describe"]', {"Content-Type": "application/json"}))
    with pytest.raises(SalesforceUnavailable, match="describe answered an unexpected body"):
        sf_client.describe("Lead")
    assert sf_client.describe("Lead")["name"] == "Lead"
