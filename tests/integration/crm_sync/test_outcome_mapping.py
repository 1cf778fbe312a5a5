"""The org's outcome mapping against the fake Salesforce: where the Voice AI flag lives (an Opportunity checkbox,
a picklist, a line item's product family) and where decision dates come from when Lead field history is off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from crm_sync.salesforce.client import SalesforceClient
from crm_sync.salesforce.flows import poll_leads
from crm_sync.salesforce.outcomes import OrgDates, OutcomeRules, sync_outcomes
from store.repositories import leads, outcomes
from store.tables import Lead
from tests.fakes.core.clock import ManualClock
from tests.fakes.salesforce import FakeSalesforce
from tests.fakes.salesforce.ids import ADMIN_USER_ID, API_USER_ID
from tests.fakes.salesforce.schema import FieldSpec

CLOSED = ("Closed - Not Converted",)
LOOKBACK = timedelta(days=3650)


def _rules(**voice: object) -> OutcomeRules:
    return OutcomeRules(("Closed - Converted",), ("Closed Won",), CLOSED, **voice)  # type: ignore[arg-type]


def _outcome(engine: Engine, salesforce_id: str):  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        lead = leads.get_lead_by_salesforce_id(salesforce_id, session=session)
        return outcomes.get_outcome(lead.id, session=session) if lead else None


def test_voice_ai_checkbox_on_opportunity(
    fake_salesforce: FakeSalesforce, sf_client: SalesforceClient, engine: Engine
) -> None:
    fake_salesforce.add_field("Opportunity", FieldSpec("Voice_AI__c", "boolean"))
    voice, sms = fake_salesforce.seed_leads(2)
    fake_salesforce.convert_lead(voice, Voice_AI__c=True)
    fake_salesforce.convert_lead(sms, Voice_AI__c=False)
    report = sync_outcomes(sf_client, engine, _rules(voice_ai_field="Voice_AI__c"), initial_lookback=LOOKBACK)
    assert report.stopped is None and not report.warnings
    assert _outcome(engine, voice).voice_ai_opportunity is True
    assert _outcome(engine, sms).voice_ai_opportunity is False


def test_a_missing_flag_leaves_voice_ai_unknown_and_says_which_setting(
    fake_salesforce: FakeSalesforce, sf_client: SalesforceClient, engine: Engine
) -> None:
    [lead] = fake_salesforce.seed_leads(1)
    fake_salesforce.convert_lead(lead)
    report = sync_outcomes(sf_client, engine, _rules(voice_ai_field="Voice_AI__c"), initial_lookback=LOOKBACK)
    assert any("no field Voice_AI__c" in w and "learning.voice_ai_field" in w for w in report.warnings)
    outcome = _outcome(engine, lead)
    assert outcome.progressed and outcome.voice_ai_opportunity is None


def test_voice_ai_picklist_and_line_item_product_family(
    fake_salesforce: FakeSalesforce, sf_client: SalesforceClient, engine: Engine
) -> None:
    fake_salesforce.add_field("Opportunity", FieldSpec("Deal_Type__c", "multipicklist", 4099))
    by_picklist, by_product, by_other_product = fake_salesforce.seed_leads(3)
    fake_salesforce.convert_lead(by_picklist, Deal_Type__c="SIP;Voice AI")
    rules = _rules(voice_ai_field="Deal_Type__c", voice_ai_values=("Voice AI",))
    sync_outcomes(sf_client, engine, rules, initial_lookback=LOOKBACK)
    assert _outcome(engine, by_picklist).voice_ai_opportunity is True

    voice_product = fake_salesforce.add_record("Product2", Name="AI Agent", Family="Voice AI")
    sms_product = fake_salesforce.add_record("Product2", Name="10DLC", Family="Messaging")
    for lead, product in ((by_product, voice_product), (by_other_product, sms_product)):
        opportunity = fake_salesforce.convert_lead(lead)
        fake_salesforce.add_record("OpportunityLineItem", OpportunityId=opportunity, Product2Id=product, Quantity=1.0)
    rules = _rules(voice_ai_field="OpportunityLineItem.Product2.Family", voice_ai_values=("Voice AI",))
    report = sync_outcomes(sf_client, engine, rules, initial_lookback=LOOKBACK)
    assert report.stopped is None and not report.warnings
    assert _outcome(engine, by_product).voice_ai_opportunity is True
    assert _outcome(engine, by_other_product).voice_ai_opportunity is False


def test_without_field_history_a_rejection_is_dated_by_the_change_first_observed(engine: Engine) -> None:
    clock = ManualClock(datetime(2026, 3, 1, tzinfo=UTC))
    with FakeSalesforce(clock=clock) as fake:
        fake.disable_field_history()
        client = SalesforceClient.from_settings(_settings(fake))
        [lead] = fake.seed_leads(1)
        clock.advance(86400)
        poll_leads(client, engine, _never, closed_statuses=CLOSED)  # first seen open
        clock.advance(10 * 86400)
        fake.edit(lead, Status="Closed - Not Converted")  # a person rejects it on 2026-03-12
        rejected_on = fake.record(lead)["LastModifiedDate"]
        poll_leads(client, engine, _never, closed_statuses=CLOSED)
        clock.advance(20 * 86400)
        fake.store.apply(lead, {"Fellow_Priority__c": "LOW"})  # a later write of ours moves every stamp
        report = sync_outcomes(client, engine, _rules(), initial_lookback=LOOKBACK)
    assert any("LeadHistory is not readable" in w for w in report.warnings)
    assert report.date_sources == {"first observed": 1}
    assert _outcome(engine, lead).decided_at == rejected_on


def test_a_stamp_our_writeback_moved_is_never_a_decision_date() -> None:
    row = {
        "Id": "00Q5g0000000001EAA", "Status": "Closed - Not Converted", "CreatedDate": "2026-01-02T00:00:00Z",
        "LastModifiedDate": "2026-06-01T00:00:00Z", "LastModifiedById": API_USER_ID,
    }  # fmt: skip
    stored = Lead(status="Working - Contacted", modified_at=datetime(2026, 2, 3, tzinfo=UTC))
    when, source = OrgDates(API_USER_ID).rejected_at(row, stored)
    assert (when, source) == (datetime(2026, 2, 3, tzinfo=UTC), "last seen before our writes")
    by_person = {**row, "LastModifiedById": ADMIN_USER_ID}
    assert OrgDates(API_USER_ID).rejected_at(by_person, stored)[1] == "LastModifiedDate"


def _never(lead_id: int, *, session: Session, trigger: str) -> None:
    return None


def _settings(fake: FakeSalesforce):  # type: ignore[no-untyped-def]
    from config import Settings

    return Settings(
        environment="test",
        salesforce_instance_url=fake.url,
        salesforce_access_token=fake.session_id,
        salesforce_ca_bundle=fake.ca_file,
    )
