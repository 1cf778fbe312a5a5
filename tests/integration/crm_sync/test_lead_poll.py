"""Lead poller against the fake Salesforce with the real client and the real scoring service, both backends."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from crm_sync.salesforce.client import SalesforceClient
from crm_sync.salesforce.flows import LEADS_SYNC, Rescore, SyncReport, poll_leads
from store.repositories import companies, leads, outbox, scores, sync_state
from tests.fakes.core.clock import ManualClock
from tests.fakes.salesforce import FakeSalesforce


def _poll(client: SalesforceClient, engine: Engine, rescore: Rescore, chunk_size: int = 200) -> SyncReport:
    lookback = timedelta(days=3650)
    return poll_leads(
        client, engine, rescore, own_domains=("telnyx.com",), initial_lookback=lookback, chunk_size=chunk_size
    )


def test_new_leads_are_stored_scored_and_watermarked(
    fake_salesforce: FakeSalesforce, sf_client: SalesforceClient, engine: Engine, rescore: Rescore
) -> None:
    fake_salesforce.seed_leads(5, Industry="Telecommunications", NumberOfEmployees=250)
    report = _poll(sf_client, engine, rescore)
    assert (report.fetched, report.stored, report.created, report.rescored) == (5, 5, 5, 5)
    assert report.stopped is None
    with Session(engine) as session:
        assert leads.count_leads(session=session) == 5
        company = companies.get_company_by_domain("company-3.example", session=session)
        assert company is not None and company.industry == "Telecommunications" and company.employees == 250
        assert scores.count_scores(session=session) == 5
        assert outbox.depth(session=session)["salesforce.writeback"] == 5
        state = sync_state.get_sync_state(LEADS_SYNC, session=session)
        assert state is not None and state.watermark == report.watermark


def test_second_poll_rereads_but_does_not_rescore_unchanged_leads(
    fake_salesforce: FakeSalesforce, sf_client: SalesforceClient, engine: Engine, rescore: Rescore
) -> None:
    ids = fake_salesforce.seed_leads(3)
    _poll(sf_client, engine, rescore)
    # our own writeback bumps SystemModstamp: not a reason to re-score
    fake_salesforce.edit(ids[0], Fellow_Qualification_Score__c=77.0)
    fake_salesforce.edit(ids[1], Title="VP Engineering")
    report = _poll(sf_client, engine, rescore)
    assert report.rescored == 1
    with Session(engine) as session:
        assert leads.count_leads(session=session) == 3
        assert scores.count_scores(session=session) == 4
        lead = leads.get_lead_by_salesforce_id(ids[1], session=session)
        assert lead is not None and lead.title == "VP Engineering"


def test_restart_resumes_from_watermark_without_duplicates(engine: Engine, rescore: Rescore, sleeps: object) -> None:
    clock = ManualClock()
    with FakeSalesforce(clock=clock, page_size=2000) as fake:
        from tests.integration.crm_sync.conftest import salesforce_settings

        client = SalesforceClient.from_settings(salesforce_settings(fake), sleep=lambda s: None)
        fake.seed_leads(450)
        clock.advance(60)
        fake.server_error("queryMore", times=10)
        fake.rest.page_size = 200
        first = _poll(client, engine, rescore, chunk_size=200)
        assert first.stopped is not None and first.stored == 200
        with Session(engine) as session:
            watermark = sync_state.get_sync_state(LEADS_SYNC, session=session).watermark
        assert watermark is not None
        fake.faults.clear()
        second = _poll(client, engine, rescore, chunk_size=200)
        assert second.stopped is None
        with Session(engine) as session:
            assert leads.count_leads(session=session) == 450
            assert scores.count_scores(session=session) == 450


def test_bad_records_are_reported_and_do_not_stop_the_sync(
    fake_salesforce: FakeSalesforce, sf_client: SalesforceClient, engine: Engine, rescore: Rescore
) -> None:
    fake_salesforce.add_lead(LastName="NoContact", Company="Mystery")
    fake_salesforce.add_lead(LastName="BadSite", Website="http://exa mple..com", Email="jo@realco.example")
    fake_salesforce.add_lead(LastName="FreeMail", Email="someone@gmail.com", Website="not a url")
    fake_salesforce.add_lead(LastName="Ctl", Title="CEO\x00\x07", Email="ceo@ctl.example", Description="é" * 40000)
    fake_salesforce.add_lead(LastName="Ours", Email="rep@telnyx.com")
    report = _poll(sf_client, engine, rescore)
    assert report.stored == 5 and report.stopped is None and not report.skipped
    text = " ".join(report.warnings)
    assert "no email or website" in text and "malformed website" in text and "free-mail" in text
    with Session(engine) as session:
        assert companies.get_company_by_domain("realco.example", session=session) is not None
        assert companies.count_companies(session=session) == 2
        ctl = leads.list_leads(session=session)[3]
        assert ctl.title == "CEO"


class ListClient:
    """A SalesforceApi whose query answers canned records (to feed input the fake org cannot hold)."""

    def __init__(self, records: list[dict[str, object]]) -> None:
        self.records = records

    def query(self, soql: str) -> Iterator[dict[str, object]]:
        yield from self.records

    def user_id(self) -> str | None:
        return None


def test_duplicate_ids_bad_ids_and_clock_skew_are_reported(engine: Engine, rescore: Rescore) -> None:
    base = {"LastName": "Dup", "Email": "a@dup.example", "CreatedDate": "2024-01-01T00:00:00.000+0000"}
    records = [
        {**base, "Id": "00Q5g0000000001EAA", "SystemModstamp": "2024-01-01T00:00:00.000+0000", "Title": "old"},
        {**base, "Id": "00Q5g0000000001EAA", "SystemModstamp": "2024-01-01T00:00:05.000+0000", "Title": "new"},
        {**base, "Id": "not-an-id", "SystemModstamp": "2024-01-01T00:00:00.000+0000"},
        {**base, "Id": "00Q5g0000000002EAA", "SystemModstamp": "2099-01-01T00:00:00.000+0000"},
    ]
    now = datetime(2024, 6, 1, tzinfo=UTC)
    report = poll_leads(ListClient(records), engine, rescore, now=lambda: now)  # type: ignore[arg-type]
    assert report.stored == 2 and len(report.skipped) == 1 and "invalid Salesforce Id" in report.skipped[0]
    assert any("duplicate" in w for w in report.warnings) and any("clock skew" in w for w in report.warnings)
    assert report.watermark == now
    with Session(engine) as session:
        assert leads.get_lead_by_salesforce_id("00Q5g0000000001EAA", session=session).title == "new"


def test_a_backfill_streams_pages_scoring_each_before_the_next_is_read(
    fake_salesforce: FakeSalesforce, sf_client: SalesforceClient, engine: Engine, rescore: Rescore
) -> None:
    """Memory stays bounded by a page and a chunk whatever the org's size: the first chunk is stored and scored
    before the second page is even requested (`python -m bench salesforce_backfill` runs this at 10,000+)."""
    fake_salesforce.seed_leads(1000)
    fake_salesforce.rest.page_size = 200
    pages_seen_at_score: list[int] = []

    def counting(lead_id: int, **kwargs: object) -> object:
        pages_seen_at_score.append(fake_salesforce.call_count("queryMore"))
        return rescore(lead_id, **kwargs)  # type: ignore[arg-type]

    report = _poll(sf_client, engine, counting, chunk_size=200)
    assert (report.fetched, report.stored, report.rescored, report.stopped) == (1000, 1000, 1000, None)
    assert fake_salesforce.call_count("queryMore") == 4, "five pages of 200"
    assert pages_seen_at_score[0] == 0 and pages_seen_at_score[-1] == 4
    assert sorted(set(pages_seen_at_score)) == [0, 1, 2, 3, 4], "each page scored before the next was read"


def test_a_backfill_reports_leads_read_after_each_chunk_then_the_total(
    fake_salesforce: FakeSalesforce, sf_client: SalesforceClient, engine: Engine, rescore: Rescore
) -> None:
    fake_salesforce.seed_leads(450)
    fake_salesforce.rest.page_size = 200
    heard: list[tuple[str, int, int | None]] = []
    lookback = timedelta(days=3650)
    report = poll_leads(
        sf_client, engine, rescore, initial_lookback=lookback, chunk_size=200,
        progress=lambda stage, done, total: heard.append((stage, done, total)),
    )  # fmt: skip
    assert report.fetched == 450
    assert heard == [("leads", 200, None), ("leads", 400, None), ("leads", 450, None), ("leads", 450, 450)]
