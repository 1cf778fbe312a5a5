"""A challenger scoring in shadow never reaches a card or Salesforce: the Score rows, outbox events and Lead
fields are the champion's alone, and the challenger's score is kept apart in shadow_score."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from config import Settings
from crm_sync.salesforce.client import SalesforceClient
from crm_sync.salesforce.writeback import WritebackConsumer
from nlp import SignalExtractor
from scoring.scorer import Scorer, build_scorer
from scoring.service import score_lead
from store.db import session_scope
from store.repositories import outbox
from store.repositories.companies import upsert_company
from store.repositories.leads import upsert_lead
from store.repositories.scores import scores_for_lead
from store.tables import ShadowScore
from tests.fakes.salesforce import FakeSalesforce
from tests.integration.admin_api.bundles import make_bundle


def _lead(engine: Engine, sf_id: str, domain: str) -> int:
    with session_scope(engine) as session:
        company, _ = upsert_company(domain, session=session, name=domain, industry="Telecom", employees=4000)
        lead, _, _ = upsert_lead(session=session, salesforce_id=sf_id, title="VP Ops", company_id=company.id)
        return int(lead.id or 0)


def _score(engine: Engine, lead_id: int, scorer: Scorer, extractor: SignalExtractor) -> None:
    with session_scope(engine) as session:
        score_lead(lead_id, session=session, scorer=scorer, extractor=extractor, trigger="salesforce")


def _fields(record: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in record.items() if key.startswith("Fellow_") and key != "Fellow_Scored_At__c"}


def test_shadow_challenger_changes_no_card_and_no_salesforce_field(
    fake_salesforce: FakeSalesforce,
    sf_client: SalesforceClient,
    sf_settings: Settings,
    engine: Engine,
    scorer: Scorer,
    extractor: SignalExtractor,
) -> None:
    plain_sf, shadowed_sf = fake_salesforce.seed_leads(2)
    plain, shadowed = _lead(engine, plain_sf, "plain.example"), _lead(engine, shadowed_sf, "shadowed.example")
    challenger = build_scorer(make_bundle("challenger-1", threshold=100))
    _score(engine, plain, scorer, extractor)
    _score(engine, shadowed, scorer.with_shadow(challenger), extractor)

    with Session(engine) as session:
        for lead_id in (plain, shadowed):
            (row,) = scores_for_lead(lead_id, session=session)
            assert row.model_version == scorer.model_version and row.scorer == "prior"
        events = outbox.events(session=session)
        per_lead = {
            lead_id: sorted(e.topic for e in events if e.payload["lead_id"] == lead_id) for lead_id in (plain, shadowed)
        }
        assert per_lead[plain] == per_lead[shadowed] == ["salesforce.writeback", "slack.post"]
        assert all(e.payload["model_version"] == scorer.model_version for e in events)
        (shadow,) = session.exec(select(ShadowScore)).all()
        (champion,) = scores_for_lead(shadowed, session=session)
        assert shadow.lead_id == shadowed and shadow.score_id == champion.id
        assert (shadow.model_version, shadow.champion_version) == ("challenger-1", scorer.model_version)
        assert shadow.progression_probability != champion.progression_probability

    consumer = WritebackConsumer(sf_client, engine, sf_settings.salesforce_fields.model_dump(), worker_id="test")
    assert consumer.drain().delivered == 2
    plain_fields, shadowed_fields = (_fields(fake_salesforce.record(sf)) for sf in (plain_sf, shadowed_sf))
    assert shadowed_fields["Fellow_Model_Version__c"] == scorer.model_version
    assert shadowed_fields["Fellow_Qualification_Score__c"] == float(champion.qualification_score)
    assert shadowed_fields == plain_fields  # same inputs, same champion: the shadow changed nothing written


def test_a_failing_shadow_never_costs_the_champion_score(
    engine: Engine, scorer: Scorer, extractor: SignalExtractor
) -> None:
    lead_id = _lead(engine, "00Q000000000009AAA", "broken.example")

    class Broken:
        model_version = "broken-1"

        def score_facts(self, *args: object, **kwargs: object) -> None:
            raise RuntimeError("challenger artifact is corrupt")

    shadowed = scorer.with_shadow(None)
    object.__setattr__(shadowed, "shadow", Broken())
    _score(engine, lead_id, shadowed, extractor)
    with Session(engine) as session:
        assert len(scores_for_lead(lead_id, session=session)) == 1
        assert session.exec(select(ShadowScore)).all() == []
