"""The worker batch over the fixture sites: concurrency, recorded failures, re-scoring, empty backlog."""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from crm_sync.enrichment.config import DEFAULT_CONFIG_PATH, load_enrichment_config
from crm_sync.enrichment.jobs import run_enrichment_batch
from crm_sync.enrichment.providers.csv_file import CsvFirmographicsProvider
from crm_sync.enrichment.providers.salesforce_fields import SalesforceFieldsProvider
from crm_sync.enrichment.providers.website import WebsiteProvider
from nlp import CallSignals
from scoring.enrichment import enrichment_facts, fact_sentences
from scoring.scorer import build_scorer
from scoring.service import score_lead
from store.db import session_scope
from store.repositories import enrichment as repo
from store.repositories.companies import get_company_by_domain, upsert_company
from store.repositories.leads import leads_for_company
from store.repositories.scores import scores_for_lead
from store.tables import Lead

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def test_batch_enriches_queued_companies_and_never_sticks(engine: Engine, reader: WebsiteProvider, tmp_path: Path):
    (tmp_path / "vendor.csv").write_text("domain,industry,employees,funding_stage,country\n"
                                         "dental.test,Dental practice,45,,US\n")  # fmt: skip
    with session_scope(engine) as session:
        for domain in ("dental.test", "hang.test", "bpo.test"):
            industry = "Healthcare" if domain == "dental.test" else None
            company, _ = upsert_company(domain, session=session, industry=industry)
            session.add(Lead(company_id=company.id, email=f"x@{domain}", created_at=NOW))
    config = load_enrichment_config(DEFAULT_CONFIG_PATH)
    config = config.model_copy(update={"queue": config.queue.model_copy(update={"concurrency": 2})})
    providers = [SalesforceFieldsProvider(), CsvFirmographicsProvider(tmp_path), reader]

    report = run_enrichment_batch(engine, providers, config, now=NOW)

    assert (report.queued, report.claimed, report.done, report.failed, report.backlog) == (3, 3, 3, 0, 0)
    with Session(engine) as session:
        dental = get_company_by_domain("dental.test", session=session)
        hang = get_company_by_domain("hang.test", session=session)
        bpo = get_company_by_domain("bpo.test", session=session)
        assert sorted(report.rescore_company_ids) == sorted([dental.id, bpo.id])
        assert dental.industry == "Healthcare" and dental.employees == 45  # known value kept, empty one filled
        facts = enrichment_facts(dental.id, session=session)
        sources = facts["sources"]
        assert (sources["industry"], sources["employees"], sources["description"]) == ("salesforce", "csv", "website")
        assert sources["has_online_booking"] == "website"
        assert fact_sentences(facts)[0] == "Website has online booking and a call-centre number"
        hang_rows = {row.provider: row for row in repo.enrichments_for_company(hang.id, session=session)}
        assert hang_rows["website"].status == "failed" and "timeout" in hang_rows["website"].reason
        finished = repo.list_requests(session=session, statuses=("done",))
        assert {row.domain for row in finished} == {"dental.test", "hang.test", "bpo.test"}
        assert "website: robots.txt unavailable" in next(r.last_error for r in finished if r.domain == "hang.test")

    again = run_enrichment_batch(engine, providers, config, now=NOW)
    assert (again.queued, again.claimed) == (0, 0)  # fresh results are not fetched again


class NoCalls:
    """A CallReader for leads without calls (reading one would be a test bug)."""

    def extract(
        self, text: str, title: str | None = None, *, transcript: object = None, attendees: object = ()
    ) -> CallSignals:
        raise AssertionError("these leads have no calls")


def test_material_changes_rescore_the_companys_leads(engine: Engine, reader: WebsiteProvider, tmp_path: Path):
    with session_scope(engine) as session:
        for domain in ("dental.test", "hang.test"):
            company, _ = upsert_company(domain, session=session, name=domain.split(".")[0].title())
            session.add(Lead(company_id=company.id, email=f"x@{domain}", created_at=NOW))
            session.add(Lead(company_id=company.id, email=f"y@{domain}", created_at=NOW))
    config = load_enrichment_config(DEFAULT_CONFIG_PATH)
    providers = [SalesforceFieldsProvider(), CsvFirmographicsProvider(tmp_path), reader]
    score = functools.partial(score_lead, scorer=build_scorer(), extractor=NoCalls(), now=NOW)
    calls: list[int] = []

    def rescore(lead_id: int, *, session: Session, trigger: str) -> object:
        calls.append(lead_id)
        if len(calls) == 1:
            raise RuntimeError("scorer hiccup")
        return score(lead_id, session=session, trigger=trigger)

    report = run_enrichment_batch(engine, providers, config, now=NOW, rescore=rescore)

    with Session(engine) as session:
        dental = get_company_by_domain("dental.test", session=session)
        assert report.rescore_company_ids == [dental.id]
        lead_ids = [lead.id for lead in leads_for_company(dental.id, session=session)]
        assert sorted(calls) == sorted(lead_ids)
        assert report.rescored == 1 and len(report.scoring_failures) == 1
        assert "RuntimeError: scorer hiccup" in report.scoring_failures[0]
        (stored,) = [s for lead_id in lead_ids for s in scores_for_lead(lead_id, session=session)]
        assert stored.trigger == "enrichment.changed"
        assert any(text.startswith("Website has") and "online booking" in text for text in stored.reasoning)
