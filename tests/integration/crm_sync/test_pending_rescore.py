"""A lead stored as needing a score stays `score_pending` until a score commits: a crash between storing and
scoring, or a scoring error, is made good by the next run (Salesforce poll and Fellow ingestion, both backends)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from crm_sync.fellow.client import FellowClient
from crm_sync.fellow.ingestion import ingest_calls
from crm_sync.salesforce.client import SalesforceClient
from crm_sync.salesforce.flows import OrgView, Rescore, SyncReport, lead_query, store_records
from crm_sync.salesforce.records import parse_lead
from store.db import session_scope
from store.repositories import leads, scores
from tests.fakes.fellow import FakeFellow
from tests.fakes.salesforce import FakeSalesforce
from tests.integration.crm_sync.conftest import SleepLog, fellow_settings
from tests.integration.crm_sync.test_fellow_ingestion import _lead, _matcher
from tests.integration.crm_sync.test_lead_poll import _poll

LOOKBACK = timedelta(days=3650)
SINCE = datetime(2000, 1, 1, tzinfo=UTC)


class FailingFor:
    """A rescore that raises for the given lead ids (or, with none given, for the first lead it is asked to
    score) and delegates the others."""

    def __init__(self, rescore: Rescore, failing: set[int] | None = None) -> None:
        self.rescore = rescore
        self.failing = failing

    def __call__(self, lead_id: int, *, session: Session, trigger: str) -> object:
        if self.failing is None:
            self.failing = {lead_id}
        if lead_id in self.failing:
            raise RuntimeError("scoring bug")
        return self.rescore(lead_id, session=session, trigger=trigger)


def _state(engine: Engine) -> dict[str, tuple[bool, int]]:
    """salesforce id -> (score_pending, number of scores)."""
    with Session(engine) as session:
        return {
            lead.salesforce_id or str(lead.id): (
                lead.score_pending,
                len(scores.scores_for_lead(int(lead.id or 0), session=session)),
            )
            for lead in leads.list_leads(session=session)
        }


def test_leads_stored_before_a_crash_are_scored_by_the_next_poll(
    fake_salesforce: FakeSalesforce, sf_client: SalesforceClient, engine: Engine, rescore: Rescore
) -> None:
    ids = fake_salesforce.seed_leads(3)
    records = [parse_lead(raw) for raw in sf_client.query(lead_query(SINCE))]
    store_records(engine, records, SyncReport(), OrgView(("telnyx.com",)))
    assert _state(engine) == {sf_id: (True, 0) for sf_id in ids}
    report = _poll(sf_client, engine, rescore)
    assert report.rescored == 3
    assert _state(engine) == {sf_id: (False, 1) for sf_id in ids}
    assert _poll(sf_client, engine, rescore).rescored == 0


def test_a_changed_lead_whose_rescore_crashed_is_rescored_when_read_again(
    fake_salesforce: FakeSalesforce, sf_client: SalesforceClient, engine: Engine, rescore: Rescore
) -> None:
    [sf_id] = fake_salesforce.seed_leads(1)
    _poll(sf_client, engine, rescore)
    fake_salesforce.edit(sf_id, Title="Chief Executive Officer")
    records = [parse_lead(raw) for raw in sf_client.query(lead_query(SINCE))]
    store_records(engine, records, SyncReport(), OrgView(("telnyx.com",)))
    assert _state(engine) == {sf_id: (True, 1)}
    assert _poll(sf_client, engine, rescore).rescored == 1
    assert _state(engine) == {sf_id: (False, 2)}


def test_a_scoring_error_leaves_the_lead_pending_until_a_later_poll_scores_it(
    fake_salesforce: FakeSalesforce, sf_client: SalesforceClient, engine: Engine, rescore: Rescore
) -> None:
    ids = fake_salesforce.seed_leads(2)
    with Session(engine) as session:
        assert leads.score_pending_ids(session=session, limit=10) == []
    first = _poll(sf_client, engine, FailingFor(rescore))
    assert first.rescored == 1 and len(first.scoring_failures) == 1
    failed = [sf_id for sf_id, (pending, _) in _state(engine).items() if pending]
    assert len(failed) == 1 and failed[0] in ids
    second = _poll(sf_client, engine, rescore)
    assert second.rescored == 1 and not second.scoring_failures
    assert all(state == (False, 1) for state in _state(engine).values())


def test_a_call_whose_lead_rescore_failed_is_retried_by_the_next_ingestion(
    fake_fellow: FakeFellow, engine: Engine, rescore: Rescore, sleeps: SleepLog
) -> None:
    fake_fellow.seed_calls(1)
    lead_id = _lead(engine, "prospect-0.example")
    client = FellowClient.from_settings(fellow_settings(fake_fellow), sleep=sleeps)
    first = ingest_calls(client, engine, FailingFor(rescore, {lead_id}), _matcher(), initial_lookback=LOOKBACK)
    assert first.rescored == 0 and len(first.scoring_failures) == 1
    assert _state(engine) == {str(lead_id): (True, 0)}
    again = ingest_calls(client, engine, rescore, _matcher(), initial_lookback=LOOKBACK)
    assert again.rescored == 1
    assert _state(engine) == {str(lead_id): (False, 1)}


def test_scoring_clears_the_mark_in_its_own_transaction_and_a_rollback_keeps_it(
    engine: Engine, rescore: Rescore
) -> None:
    lead_id = _lead(engine, "pending.example")
    with session_scope(engine) as session:
        leads.mark_score_pending(lead_id, session=session)
    try:
        with session_scope(engine) as session:
            rescore(lead_id, session=session, trigger="test")
            raise RuntimeError("crash before commit")
    except RuntimeError:
        pass
    assert _state(engine) == {str(lead_id): (True, 0)}
    with session_scope(engine) as session:
        rescore(lead_id, session=session, trigger="test")
    assert _state(engine) == {str(lead_id): (False, 1)}
