"""Outcome sync against the fake Salesforce: conversions, opportunity stages, rejections, re-runs."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from crm_sync.salesforce.client import SalesforceClient
from crm_sync.salesforce.outcomes import OutcomeRules, sync_outcomes
from store.repositories import leads, outcomes
from tests.fakes.salesforce import FakeSalesforce

RULES = OutcomeRules(converted_statuses=("Qualified",), progressed_stages=("Proposal/Price Quote", "Closed Won"))


def _sync(client: SalesforceClient, engine: Engine):  # type: ignore[no-untyped-def]
    return sync_outcomes(client, engine, RULES, initial_lookback=timedelta(days=3650))


def _outcome(engine: Engine, salesforce_id: str):  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        lead = leads.get_lead_by_salesforce_id(salesforce_id, session=session)
        return outcomes.get_outcome(lead.id, session=session) if lead else None


def test_conversions_stages_and_rejections_become_outcomes(
    fake_salesforce: FakeSalesforce, sf_client: SalesforceClient, engine: Engine
) -> None:
    converted, qualified, rejected, open_lead, no_opp = fake_salesforce.seed_leads(5)
    opportunity = fake_salesforce.convert_lead(converted, Name="Big deal")
    fake_salesforce.edit(qualified, Status="Working - Contacted")
    fake_salesforce.edit(rejected, Status="Closed - Not Converted")
    fake_salesforce.convert_lead(no_opp, create_opportunity=False)
    report = _sync(sf_client, engine)
    assert report.stopped is None and not report.skipped
    won = _outcome(engine, converted)
    assert won is not None and won.progressed and won.opportunity_id == opportunity and won.stage == "Prospecting"
    assert _outcome(engine, no_opp).progressed
    lost = _outcome(engine, rejected)
    assert lost is not None and not lost.progressed and lost.status == "Closed - Not Converted"
    assert _outcome(engine, open_lead) is None and _outcome(engine, qualified) is None

    assert opportunity is not None
    fake_salesforce.set_stage(opportunity, "Proposal/Price Quote")
    fake_salesforce.set_stage(opportunity, "Closed Lost")
    again = _sync(sf_client, engine)
    assert again.stopped is None
    after = _outcome(engine, converted)
    assert after.progressed and after.stage == "Closed Lost"


def test_failure_is_reported_and_watermark_kept(
    fake_salesforce: FakeSalesforce, sf_client: SalesforceClient, engine: Engine
) -> None:
    [lead] = fake_salesforce.seed_leads(1)
    fake_salesforce.convert_lead(lead)
    fake_salesforce.server_error("query", times=10)
    report = _sync(sf_client, engine)
    assert report.stopped is not None and "failed" in report.stopped
    fake_salesforce.faults.clear()
    assert _sync(sf_client, engine).stored == 1
    assert _outcome(engine, lead).progressed
