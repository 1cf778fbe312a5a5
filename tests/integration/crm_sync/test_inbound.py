"""The Salesforce Flow hook: shared secret, lead id validation, fetch + store + score."""

from __future__ import annotations

import pytest
from pydantic import SecretStr
from sqlalchemy.engine import Engine
from sqlmodel import Session

from crm_sync.salesforce.client import SalesforceClient
from crm_sync.salesforce.flows import Rescore
from crm_sync.salesforce.inbound import InboundError, handle_lead_push, lead_id_from, verify_secret
from store.repositories import leads, outbox, scores
from tests.fakes.salesforce import FakeSalesforce


def test_secret_is_checked() -> None:
    verify_secret(SecretStr("s3cret"), "s3cret")
    for configured, provided, status in ((SecretStr("s3cret"), "nope", 401), (SecretStr("s"), None, 401)):
        with pytest.raises(InboundError) as caught:
            verify_secret(configured, provided)
        assert caught.value.status == status
    with pytest.raises(InboundError) as off:
        verify_secret(None, "anything")
    assert off.value.status == 503


def test_lead_id_from_body() -> None:
    assert lead_id_from({"leadId": "00Q5g0000000001"}) == "00Q5g0000000001EAA"
    with pytest.raises(InboundError):
        lead_id_from({"lead_id": "'; DROP TABLE"})


def test_push_fetches_stores_and_scores(
    fake_salesforce: FakeSalesforce, sf_client: SalesforceClient, engine: Engine, rescore: Rescore
) -> None:
    [sf_id] = fake_salesforce.seed_leads(1, Industry="Telecommunications")
    result = handle_lead_push(sf_id, client=sf_client, engine=engine, rescore=rescore)
    assert result["created"] and result["score_id"] is not None
    with Session(engine) as session:
        lead = leads.get_lead_by_salesforce_id(sf_id, session=session)
        assert lead is not None and scores.latest_score(lead.id, session=session).trigger == "salesforce.inbound"
        assert outbox.depth(session=session)["salesforce.writeback"] == 1
    fake_salesforce.delete(sf_id)
    with pytest.raises(InboundError) as missing:
        handle_lead_push(sf_id, client=sf_client, engine=engine, rescore=rescore)
    assert missing.value.status == 404
