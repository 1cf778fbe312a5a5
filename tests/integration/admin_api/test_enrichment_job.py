"""The worker's enrichment job: enriches queued companies, re-scores their leads, alerts on backlog."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from admin_api.runtime.scheduler import JobContext
from admin_api.runtime.sync_wiring import enrichment_job
from config import Settings
from store.db import session_scope
from store.repositories import companies, leads, outbox
from store.types import utcnow

NO_CONTEXT = JobContext.__new__(JobContext)


def _settings(tmp_path: Path, database_url: str, *, backlog_alert: int = 50, batch_size: int = 20) -> Settings:
    config = tmp_path / "enrichment.yaml"
    defaults = (Path(__file__).resolve().parents[3] / "config" / "enrichment.yaml").read_text()
    config.write_text(
        defaults.replace("providers: [salesforce, csv, website]", "providers: [csv]")
        .replace("backlog_alert: 50", f"backlog_alert: {backlog_alert}")
        .replace("batch_size: 20", f"batch_size: {batch_size}")
    )
    (tmp_path / "enrichment").mkdir()
    (tmp_path / "enrichment" / "vendor.csv").write_text("domain,industry,employees\nacme.com,Logistics,1200\n")
    return Settings(environment="test", database_url=database_url, data_dir=tmp_path, enrichment_file=config)


def test_job_enriches_and_rescores_the_company_leads(tmp_path: Path, database_url: str, engine: Engine) -> None:
    with session_scope(engine) as session:
        company, _ = companies.upsert_company("acme.com", session=session, name="Acme")
        lead, _, _ = leads.upsert_lead(session=session, salesforce_id="00Q000000000009AAA", company_id=company.id)
        lead_id, company_id = lead.id, company.id
    rescored: list[tuple[int, str]] = []

    def rescore(lead_id: int, *, session: Session, trigger: str) -> None:
        rescored.append((lead_id, trigger))

    details = enrichment_job(_settings(tmp_path, database_url), engine, rescore).func(NO_CONTEXT)
    assert details["done"] == 1 and details["alert"] is None
    assert rescored == [(lead_id, "enrichment.changed")] and details["rescored"] == 1
    with Session(engine) as session:
        enriched = companies.get_company(company_id, session=session)
        assert enriched is not None and enriched.industry == "Logistics" and enriched.employees == 1200
        assert outbox.events(session=session, topic="slack.report") == []


def test_backlog_above_threshold_alerts_once_a_day(tmp_path: Path, database_url: str, engine: Engine) -> None:
    with session_scope(engine) as session:
        for number, name in enumerate(("acme", "globex", "initech", "umbrella")):
            company, _ = companies.upsert_company(f"{name}.com", session=session, name=name.title())
            leads.upsert_lead(session=session, salesforce_id=f"00Q00000000001{number}AAA", company_id=company.id)
    job = enrichment_job(_settings(tmp_path, database_url, backlog_alert=1, batch_size=1), engine, lambda *a, **k: None)
    first = job.func(NO_CONTEXT)
    second = job.func(NO_CONTEXT)
    assert first["alert"] is not None and second["alert"] is not None
    with Session(engine) as session:
        alerts = outbox.events(session=session, topic="slack.report")
    assert [event.idempotency_key for event in alerts] == [f"slack.report:enrichment_backlog:{utcnow().date()}"]
    assert "Enrichment backlog" in alerts[0].payload["text"]
