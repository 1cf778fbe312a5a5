"""The enrichment queue and flows on SQLite and PostgreSQL: ordering, de-duplication, TTLs, company updates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from crm_sync.enrichment.config import DEFAULT_CONFIG_PATH, EnrichmentConfig, load_enrichment_config
from crm_sync.enrichment.domain import CompanySubject, ProviderResult
from crm_sync.enrichment.flows import enrich_company
from crm_sync.enrichment.queue import backlog_alert, enqueue_due, enrichment_backlog, request_enrichment
from scoring.enrichment import enrichment_facts
from store.repositories import enrichment as repo
from store.repositories.companies import get_company, upsert_company
from store.tables import Lead, Score

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
CONFIG = load_enrichment_config(DEFAULT_CONFIG_PATH)


class CountingProvider:
    """A provider returning scripted results and counting calls."""

    def __init__(self, name: str, *results: ProviderResult) -> None:
        self.name = name
        self.results = list(results)
        self.calls: list[CompanySubject] = []

    def enrich(self, subject: CompanySubject) -> ProviderResult:
        self.calls.append(subject)
        return self.results[min(len(self.calls), len(self.results)) - 1]


def _company_with_lead(session: Session, domain: str, *, lead_age_days: float, score: tuple[int, int, float] | None):
    company, _ = upsert_company(domain, session=session)
    lead = Lead(company_id=company.id, email=f"a@{domain}", created_at=NOW - timedelta(days=lead_age_days))
    session.add(lead)
    session.flush()
    if score is not None:
        qualification, fit, confidence = score
        session.add(Score(lead_id=lead.id, qualification_score=qualification, progression_probability=0.5,
                          voice_ai_fit=fit, recommendation="NURTURE_TRACK", priority="MEDIUM", confidence=confidence,
                          model_version="prior-1", scorer="prior", input_hash="x" * 64, scored_at=NOW))  # fmt: skip
        session.flush()
    return company


def test_queue_orders_by_expected_value_and_deduplicates(session: Session) -> None:
    hot = _company_with_lead(session, "hot.com", lead_age_days=1, score=(85, 90, 0.4))
    sure = _company_with_lead(session, "sure.com", lead_age_days=1, score=(85, 90, 0.95))
    cold = _company_with_lead(session, "cold.com", lead_age_days=1, score=(10, 5, 0.9))
    stale = _company_with_lead(session, "stale.com", lead_age_days=200, score=(85, 90, 0.4))
    fresh = _company_with_lead(session, "new.com", lead_age_days=0, score=None)
    for company in (cold, stale, sure, fresh, hot):
        request_enrichment(company.id, session=session, config=CONFIG.queue, now=NOW)
    order = [row.domain for row in repo.list_requests(session=session)]
    assert order == ["hot.com", "new.com", "sure.com", "stale.com", "cold.com"]
    again, created = request_enrichment(hot.id, session=session, config=CONFIG.queue, now=NOW)
    assert not created and again.status == "pending" and enrichment_backlog(session=session) == 5


def test_claims_take_the_best_first_and_reclaim_abandoned_work(session: Session) -> None:
    ids = [upsert_company(f"c{i}.com", session=session)[0].id for i in range(4)]
    for priority, company_id in zip((0.2, 0.9, 0.5, 0.7), ids, strict=True):
        repo.request_enrichment(company_id, priority, session=session, now=NOW)
    lease = timedelta(minutes=15)
    first = repo.claim_requests(2, session=session, lease=lease, now=NOW)
    assert [row.company_id for row in first] == [ids[1], ids[3]]
    assert all(row.status == "running" and row.attempts == 1 for row in first)
    second = repo.claim_requests(5, session=session, lease=lease, now=NOW + timedelta(minutes=1))
    assert [row.company_id for row in second] == [ids[2], ids[0]]
    assert repo.claim_requests(5, session=session, lease=lease, now=NOW + timedelta(minutes=2)) == []
    reclaimed = repo.claim_requests(5, session=session, lease=lease, now=NOW + timedelta(minutes=20))
    assert len(reclaimed) == 4 and all(row.attempts == 2 for row in reclaimed)
    repo.finish_request(reclaimed[0].id, "done", session=session, now=NOW)
    assert enrichment_backlog(session=session) == 3
    row, created = repo.request_enrichment(reclaimed[0].company_id, 0.1, session=session, now=NOW)
    assert not created and row.status == "pending" and row.attempts == 0


def test_backlog_alert_fires_above_the_threshold(session: Session) -> None:
    config = CONFIG.queue.model_copy(update={"backlog_alert": 2})
    for i in range(3):
        repo.request_enrichment(upsert_company(f"b{i}.com", session=session)[0].id, 0.5, session=session, now=NOW)
    assert backlog_alert(session=session, config=config) == "Enrichment backlog is 3 companies (alert above 2)"
    assert backlog_alert(session=session, config=CONFIG.queue) is None


def _config() -> EnrichmentConfig:
    return CONFIG.model_copy(update={"providers": ("salesforce", "csv", "website")})


def test_enrich_respects_ttl_fills_empty_fields_and_reports_material_change(session: Session) -> None:
    company, _ = upsert_company("acme.com", session=session, industry="Telecom")
    salesforce = CountingProvider("salesforce", ProviderResult.ok("salesforce", {"industry": "Telecom"}))
    website = CountingProvider(
        "website",
        ProviderResult.ok("website", {"has_online_booking": True, "description": "Acme books calls."}),
        ProviderResult.failed("website", "timeout fetching https://acme.com/"),
    )
    csv = CountingProvider("csv", ProviderResult.ok("csv", {"industry": "Retail", "employees": 120}))
    providers = [salesforce, csv, website]
    first = enrich_company(company.id, providers, session=session, config=_config(), now=NOW)
    assert first.material and set(first.changed) >= {"industry", "employees", "has_online_booking"}
    stored = get_company(company.id, session=session)
    assert stored.industry == "Telecom" and stored.employees == 120 and stored.description == "Acme books calls."
    assert enrichment_facts(company.id, session=session)["sources"]["industry"] == "salesforce"

    second = enrich_company(company.id, providers, session=session, config=_config(), now=NOW + timedelta(hours=2))
    assert second.results == [] and sorted(second.fresh) == ["csv", "salesforce", "website"]
    assert [len(p.calls) for p in providers] == [1, 1, 1]

    later = NOW + timedelta(days=31)
    third = enrich_company(company.id, providers, session=session, config=_config(), now=later)
    assert [len(p.calls) for p in providers] == [2, 2, 2]
    assert not third.material  # the failed website refresh keeps serving its last good data
    rows = {row.provider: row for row in repo.enrichments_for_company(company.id, session=session)}
    assert rows["website"].status == "failed" and rows["website"].reason.startswith("timeout")
    assert rows["website"].data["has_online_booking"] is True
    assert rows["website"].fetched_at == NOW and rows["website"].expires_at == later + timedelta(hours=12)


def test_company_columns_stand_in_for_salesforce_but_not_enrichment_output(session: Session) -> None:
    company, _ = upsert_company("globex.com", session=session, industry="Logistics")
    csv = CountingProvider("csv", ProviderResult.ok("csv", {"employees": 75}))
    salesforce_calls: list[dict] = []

    class Recorder(CountingProvider):
        def enrich(self, subject: CompanySubject) -> ProviderResult:
            salesforce_calls.append(subject.salesforce_fields)
            return ProviderResult.skipped("salesforce", "nothing")

    recorder = Recorder("salesforce")
    enrich_company(company.id, [recorder, csv], session=session, config=_config(), now=NOW)
    enrich_company(company.id, [recorder, csv], session=session, config=_config(), now=NOW, force=True)
    assert salesforce_calls == [{"Industry": "Logistics"}, {"Industry": "Logistics"}]


def test_enqueue_due_picks_companies_with_leads_missing_enrichment(session: Session) -> None:
    due = _company_with_lead(session, "due.com", lead_age_days=3, score=None)
    done = _company_with_lead(session, "done.com", lead_age_days=3, score=None)
    upsert_company("nolead.com", session=session)
    for provider in ("salesforce", "csv", "website"):
        repo.save_enrichment(done.id, provider, session=session, status="ok", reason=None, data={},
                             fetched_at=NOW, expires_at=NOW + timedelta(days=1))  # fmt: skip
    assert enqueue_due(("salesforce", "csv", "website"), session=session, config=CONFIG.queue, now=NOW) == 1
    assert [row.domain for row in repo.list_requests(session=session)] == ["due.com"]
    assert enqueue_due(("salesforce", "csv", "website"), session=session, config=CONFIG.queue, now=NOW) == 0
    assert due.id is not None


def test_engine_fixture_backends_share_the_same_schema(engine: Engine) -> None:
    with Session(engine) as session:
        assert enrichment_backlog(session=session) == 0
