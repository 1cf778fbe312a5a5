"""Writeback consumer against the fake Salesforce: call counts, per-record errors, failures mid-batch."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bench.worlds.scored import add_leads, add_score, add_scores
from config import Settings
from crm_sync.salesforce.client import SalesforceClient
from crm_sync.salesforce.errors import FieldSetupError
from crm_sync.salesforce.flows import OrgView, poll_leads
from crm_sync.salesforce.writeback import TOPIC, WritebackConsumer
from store.repositories import leads, outbox
from tests.fakes.salesforce import FakeSalesforce
from tests.fakes.salesforce.ids import API_USER_ID


def _consumer(client: SalesforceClient, engine: Engine, settings: Settings) -> WritebackConsumer:
    return WritebackConsumer(client, engine, settings.salesforce_fields.model_dump(), worker_id="test")


def _statuses(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        counts: dict[str, int] = {}
        for event in outbox.events(session=session, topic=TOPIC):
            counts[event.status] = counts.get(event.status, 0) + 1
        return counts


def test_thousand_changed_leads_take_five_calls_and_unchanged_take_none(
    fake_salesforce: FakeSalesforce, sf_client: SalesforceClient, sf_settings: Settings, engine: Engine
) -> None:
    sf_ids = fake_salesforce.seed_leads(1000)
    lead_ids = add_leads(engine, sf_ids)
    add_scores(engine, lead_ids)
    consumer = _consumer(sf_client, engine, sf_settings)
    report = consumer.drain()
    assert report.delivered == 1000 and report.dead == 0
    assert fake_salesforce.call_count("composite.sobjects") == 5
    assert fake_salesforce.call_count("describe") == 1
    record = fake_salesforce.record(sf_ids[999])
    assert record["Fellow_Qualification_Score__c"] == 72.0
    assert record["Fellow_Voice_AI_Fit__c"] == "80"
    assert record["Fellow_Score_Reasons__c"] == "Asked for a voice AI agent; 250 employees in telecom"
    # re-scored with the same outcome: nothing to write
    add_scores(engine, lead_ids)
    again = consumer.drain()
    assert again.delivered == 1000
    assert fake_salesforce.call_count("composite.sobjects") == 5


def test_per_record_errors_do_not_block_others(
    fake_salesforce: FakeSalesforce, sf_client: SalesforceClient, sf_settings: Settings, engine: Engine
) -> None:
    sf_ids = fake_salesforce.seed_leads(5)
    fake_salesforce.delete(sf_ids[0])
    fake_salesforce.convert_lead(sf_ids[1])
    fake_salesforce.lock_record(sf_ids[2])
    fake_salesforce.add_validation_rule(
        "Lead", lambda r: r.get("Fellow_Priority__c") == "HIGH_VOICE_AI" and r.get("LastName") == "Lead3", "no"
    )
    add_scores(engine, add_leads(engine, sf_ids))
    report = _consumer(sf_client, engine, sf_settings).run_once()
    assert (report.delivered, report.retried, report.dead) == (1, 1, 3)
    errors = " ".join(report.errors)
    assert "ENTITY_IS_DELETED" in errors and "CANNOT_UPDATE_CONVERTED_LEAD" in errors
    assert "FIELD_CUSTOM_VALIDATION_EXCEPTION" in errors and "UNABLE_TO_LOCK_ROW" in errors
    assert fake_salesforce.record(sf_ids[4])["Fellow_Priority__c"] == "HIGH_VOICE_AI"


def test_server_failure_mid_batch_loses_no_score(
    fake_salesforce: FakeSalesforce, sf_client: SalesforceClient, sf_settings: Settings, engine: Engine
) -> None:
    sf_ids = fake_salesforce.seed_leads(400)
    add_scores(engine, add_leads(engine, sf_ids))
    consumer = _consumer(sf_client, engine, sf_settings)
    assert consumer.run_once().delivered == 200
    fake_salesforce.server_error("composite.sobjects", times=10)
    failed = consumer.run_once()
    assert failed.retried == 200 and failed.delivered == 0
    fake_salesforce.faults.clear()
    with Session(engine) as session:
        for event in outbox.events(session=session, topic=TOPIC, status="pending"):
            event.next_attempt_at = event.created_at
            session.add(event)
        session.commit()
    assert consumer.drain().delivered == 200
    assert _statuses(engine) == {"delivered": 400}
    assert all(fake_salesforce.record(i)["Fellow_Qualification_Score__c"] == 72.0 for i in sf_ids)


def test_only_newest_score_per_lead_is_written(
    fake_salesforce: FakeSalesforce, sf_client: SalesforceClient, sf_settings: Settings, engine: Engine
) -> None:
    [sf_id] = fake_salesforce.seed_leads(1)
    [lead_id] = add_leads(engine, [sf_id])
    add_score(engine, lead_id, qualification_score=40)
    add_score(engine, lead_id, qualification_score=90)
    report = _consumer(sf_client, engine, sf_settings).drain()
    assert report.delivered == 2
    assert fake_salesforce.call_count("composite.sobjects") == 1
    assert fake_salesforce.record(sf_id)["Fellow_Qualification_Score__c"] == 90.0


def test_values_are_fitted_to_field_length_and_picklist(
    fake_salesforce: FakeSalesforce, sf_client: SalesforceClient, sf_settings: Settings, engine: Engine
) -> None:
    fake_salesforce.set_field("Lead", "Fellow_Score_Reasons__c", length=40)
    fake_salesforce.set_field(
        "Lead", "Fellow_Priority__c", type="picklist", picklist=("High Voice AI", "High"), restricted=True
    )
    [sf_id] = fake_salesforce.seed_leads(1)
    [lead_id] = add_leads(engine, [sf_id])
    add_score(engine, lead_id, reasoning=["x" * 100], priority="HIGH")
    report = _consumer(sf_client, engine, sf_settings).run_once()
    assert report.delivered == 1
    record = fake_salesforce.record(sf_id)
    assert len(record["Fellow_Score_Reasons__c"]) == 40 and record["Fellow_Score_Reasons__c"].endswith("…")
    assert record["Fellow_Priority__c"] == "High"


def test_missing_or_readonly_fields_fail_at_start_naming_them(
    fake_salesforce: FakeSalesforce, sf_client: SalesforceClient, sf_settings: Settings, engine: Engine
) -> None:
    fake_salesforce.drop_field("Lead", "Fellow_Voice_AI_Fit__c")
    fake_salesforce.set_field("Lead", "Fellow_Model_Version__c", updateable=False)
    [lead_id] = add_leads(engine, fake_salesforce.seed_leads(1))
    add_score(engine, lead_id)
    with pytest.raises(FieldSetupError) as caught:
        _consumer(sf_client, engine, sf_settings).run_once()
    message = str(caught.value)
    assert "Fellow_Voice_AI_Fit__c (salesforce_fields.voice_ai_fit)" in message
    assert "Fellow_Model_Version__c" in message and "field-level security" in message
    assert fake_salesforce.call_count("composite.sobjects") == 0
    assert _statuses(engine) == {"pending": 1}


def test_a_converted_lead_found_by_a_write_is_never_written_again(
    fake_salesforce: FakeSalesforce, sf_client: SalesforceClient, sf_settings: Settings, engine: Engine
) -> None:
    [converted, deleted] = fake_salesforce.seed_leads(2)
    lead_ids = add_leads(engine, [converted, deleted])
    fake_salesforce.convert_lead(converted)
    fake_salesforce.delete(deleted)
    add_scores(engine, lead_ids)
    consumer = _consumer(sf_client, engine, sf_settings)
    assert consumer.drain().dead == 2
    with Session(engine) as session:
        rows = [leads.get_lead(i, session=session) for i in lead_ids]
    assert rows[0].is_converted and rows[1].deleted_at is not None
    fake_salesforce.log.clear()
    add_scores(engine, lead_ids, qualification_score=10)
    assert consumer.drain().delivered == 2
    assert fake_salesforce.call_count("composite.sobjects") == 0


def test_a_persons_edit_since_the_last_poll_is_read_before_our_write_hides_it(
    fake_salesforce: FakeSalesforce, sf_client: SalesforceClient, sf_settings: Settings, engine: Engine
) -> None:
    [sf_id] = fake_salesforce.seed_leads(1, Title="Analyst")
    poll_leads(sf_client, engine, _scored, closed_statuses=CLOSED)
    fake_salesforce.edit(sf_id, Title="VP of Operations")  # a person's edit the poller has not seen yet
    with Session(engine) as session:
        lead_id = leads.get_lead_by_salesforce_id(sf_id, session=session).id
    add_score(engine, lead_id)
    view = OrgView(own_user=sf_client.user_id(), closed_statuses=CLOSED)
    consumer = WritebackConsumer(sf_client, engine, sf_settings.salesforce_fields.model_dump(), view=view)
    assert consumer.drain().delivered == 1
    assert fake_salesforce.record(sf_id)["LastModifiedById"] == API_USER_ID  # our write is now the newest
    with Session(engine) as session:
        lead = leads.get_lead(lead_id, session=session)
    assert lead.title == "VP of Operations" and lead.score_pending  # read before the write, re-score queued
    assert poll_leads(sf_client, engine, _scored, closed_statuses=CLOSED).fetched == 0  # our own write skipped


CLOSED = ("Closed - Not Converted",)


def _scored(lead_id: int, *, session: Session, trigger: str) -> object:
    """A stand-in scorer: clears the pending mark as score_lead does (no Score row, no writeback event)."""
    lead = leads.get_lead(lead_id, session=session)
    lead.score_pending = False
    session.add(lead)
    return lead_id
