"""FakeSalesforce's SOQL subset and OAuth token endpoint, through simple_salesforce and requests."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import jwt
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceMalformedRequest

from tests.fakes.salesforce import FakeSalesforce, ManualClock, OAuthConfig
from tests.fakes.sessions import trusting_session

T0 = datetime(2024, 5, 1, 9, 0, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


@pytest.fixture
def org(clock: ManualClock) -> Iterator[FakeSalesforce]:
    with FakeSalesforce(clock=clock) as fake:
        yield fake


@pytest.fixture
def sf(org: FakeSalesforce) -> Salesforce:
    return Salesforce(instance_url=org.url, session_id=org.session_id, session=trusting_session(org.ca_file))


def ids(result: dict[str, object]) -> list[str]:
    return [r["Id"] for r in result["records"]]  # type: ignore[attr-defined, index]


def test_system_modstamp_watermark_with_ties(org: FakeSalesforce, clock: ManualClock, sf: Salesforce) -> None:
    early = org.add_lead(Company="Early")
    clock.advance(60)
    same_a, same_b = org.add_lead(Company="A"), org.add_lead(Company="B")
    query = (
        "SELECT Id, SystemModstamp FROM Lead WHERE SystemModstamp >= 2024-05-01T09:01:00Z ORDER BY SystemModstamp, Id"
    )
    result = sf.query(query)
    assert ids(result) == [same_a, same_b]
    assert result["records"][0]["SystemModstamp"] == "2024-05-01T09:01:00.000+0000"
    clock.advance(60)
    org.edit(early, Company="Early Inc")
    assert ids(sf.query(query)) == [same_a, same_b, early]


def test_where_operators(org: FakeSalesforce, sf: Salesforce) -> None:
    acme = org.add_lead(Company="Acme Voice", Email="a@acme.example", NumberOfEmployees=500)
    beta = org.add_lead(Company="Beta", Email="b@beta.example", NumberOfEmployees=20)
    gamma = org.add_lead(Company="Gamma", NumberOfEmployees=None)
    assert ids(sf.query("SELECT Id FROM Lead WHERE Company = 'acme voice'")) == [acme]
    assert ids(sf.query(f"SELECT Id FROM Lead WHERE Id IN ('{beta}', '{gamma[:15]}') ORDER BY Id")) == [beta, gamma]
    assert ids(sf.query("SELECT Id FROM Lead WHERE Company LIKE '%ta' OR NumberOfEmployees > 100 ORDER BY Id")) == [
        acme,
        beta,
    ]
    assert ids(sf.query("SELECT Id FROM Lead WHERE Email = null")) == [gamma]
    assert ids(sf.query("SELECT Id FROM Lead WHERE NOT (Company != 'Beta') AND Email != null")) == [beta]
    desc = sf.query("SELECT Id FROM Lead ORDER BY NumberOfEmployees DESC LIMIT 2")
    assert ids(desc) == [acme, beta]
    assert sf.query("SELECT COUNT() FROM Lead WHERE Company NOT IN ('Beta')")["totalSize"] == 2


def test_parent_relationship_fields(org: FakeSalesforce, sf: Salesforce) -> None:
    converted, open_lead = org.seed_leads(2)
    opportunity = org.convert_lead(converted, StageName="Qualification")
    org.set_stage(opportunity, "Closed Won")  # type: ignore[arg-type]
    result = sf.query(
        "SELECT Id, IsConverted, ConvertedOpportunityId, ConvertedOpportunity.StageName, ConvertedOpportunity.IsWon "
        "FROM Lead WHERE IsConverted = true"
    )
    (row,) = result["records"]
    assert (row["Id"], row["ConvertedOpportunityId"]) == (converted, opportunity)
    assert row["ConvertedOpportunity"]["StageName"] == "Closed Won"
    assert row["ConvertedOpportunity"]["IsWon"] is True
    won = sf.query("SELECT Id FROM Lead WHERE ConvertedOpportunity.StageName = 'Closed Won'")
    assert ids(won) == [converted]
    assert open_lead not in ids(won)


@pytest.mark.parametrize(
    ("soql", "code"),
    [
        ("SELECT Id, Nope__c FROM Lead", "INVALID_FIELD"),
        ("SELECT Id FROM Lead WHERE SystemModstamp >= '2024-01-01T00:00:00Z'", "INVALID_QUERY_FILTER_OPERATOR"),
        ("SELECT Id FROM Lead WHERE Company = 5", "INVALID_QUERY_FILTER_OPERATOR"),
        ("SELECT Id FROM Lead WHERE SystemModstamp >= 2024-01-01T00:00:00.123456Z", "MALFORMED_QUERY"),
        ("SELECT Id FROM Nothing__c", "INVALID_TYPE"),
        ("SELECT FROM Lead", "MALFORMED_QUERY"),
    ],
)
def test_query_errors_use_salesforce_codes(sf: Salesforce, soql: str, code: str) -> None:
    with pytest.raises(SalesforceMalformedRequest) as err:
        sf.query(soql)
    assert err.value.content[0]["errorCode"] == code


def test_query_all_includes_deleted(org: FakeSalesforce, sf: Salesforce) -> None:
    kept, gone = org.seed_leads(2)
    org.delete(gone)
    assert ids(sf.query("SELECT Id FROM Lead")) == [kept]
    assert set(ids(sf.query("SELECT Id FROM Lead", include_deleted=True))) == {kept, gone}


def rsa_pair() -> tuple[bytes, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, public


def jwt_assertion(private_key: bytes, consumer_key: str = "connected-app") -> str:
    claims = {
        "iss": consumer_key,
        "sub": "svc@example.com",
        "aud": "https://login.salesforce.com",
        "exp": f"{time.time() + 180:.0f}",
    }
    return jwt.encode(claims, private_key, algorithm="RS256")


def test_jwt_bearer_grant_verifies_the_signature() -> None:
    private, public = rsa_pair()
    other_private, _ = rsa_pair()
    with FakeSalesforce(oauth=OAuthConfig(consumer_key="connected-app", jwt_public_key=public)) as org:
        session = trusting_session(org.ca_file)
        url = f"{org.url}/services/oauth2/token"
        grant = "urn:ietf:params:oauth:grant-type:jwt-bearer"
        good = session.post(url, data={"grant_type": grant, "assertion": jwt_assertion(private)}, timeout=5)
        forged = session.post(url, data={"grant_type": grant, "assertion": jwt_assertion(other_private)}, timeout=5)
        wrong_app = session.post(url, data={"grant_type": grant, "assertion": jwt_assertion(private, "x")}, timeout=5)
        assert good.status_code == 200
        assert (forged.status_code, forged.json()["error"]) == (400, "invalid_grant")
        assert wrong_app.json()["error_description"] == "client identifier invalid"
        token = good.json()
        sf = Salesforce(instance_url=token["instance_url"], session_id=token["access_token"], session=session)
        assert sf.query("SELECT Id FROM Lead")["totalSize"] == 0
        assert org.call_count("oauth.token") == 3


def test_client_credentials_and_password_grants_check_secrets() -> None:
    config = OAuthConfig(consumer_key="ck", consumer_secret="cs", users={"svc@example.com": "pw"})
    with FakeSalesforce(oauth=config) as org:
        session = trusting_session(org.ca_file)
        url = f"{org.url}/services/oauth2/token"

        def post(**form: str) -> requests.Response:
            return session.post(url, data=form, timeout=5)

        assert post(grant_type="client_credentials", client_id="ck", client_secret="cs").status_code == 200
        assert post(grant_type="client_credentials", client_id="ck", client_secret="bad").status_code == 401
        password = {"grant_type": "password", "client_id": "ck", "client_secret": "cs", "username": "svc@example.com"}
        assert post(**password, password="pw").status_code == 200
        assert post(**password, password="nope").json()["error"] == "invalid_grant"
        assert post(grant_type="authorization_code").json()["error"] == "unsupported_grant_type"
