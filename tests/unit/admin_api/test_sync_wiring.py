"""The composition root registers a sync job only for integrations that are configured."""

from __future__ import annotations

from pydantic import SecretStr

from admin_api.runtime.sync_wiring import sync_jobs
from config import Settings
from crm_sync.jobs import SyncContext


def _names(settings: Settings) -> list[str]:
    sync = SyncContext(settings=settings, engine=None, rescore=lambda *a, **k: None)  # type: ignore[arg-type]
    return [job.name for job in sync_jobs(settings, sync)]


def test_no_integrations_no_sync_jobs_but_promotions_still_rescore() -> None:
    assert _names(Settings(environment="test")) == ["learning.rescore_on_champion_change"]


def test_jobs_follow_configuration_and_intervals() -> None:
    settings = Settings(
        environment="test",
        salesforce_instance_url="https://acme.my.salesforce.com",
        salesforce_access_token=SecretStr("00D!token"),
        fellow_api_url="https://acme.fellow.app/api/v1",
        fellow_api_key=SecretStr("key"),
        sync={"salesforce_poll_minutes": 7, "fellow_ingest_minutes": 30},
    )
    sync = SyncContext(settings=settings, engine=None, rescore=lambda *a, **k: None)  # type: ignore[arg-type]
    jobs = {job.name: job for job in sync_jobs(settings, sync)}
    assert set(jobs) == {
        "salesforce.poll_leads", "salesforce.outcomes", "fellow.ingest", "learning.rescore_on_champion_change"
    }  # fmt: skip
    assert jobs["salesforce.poll_leads"].trigger_kwargs == {"seconds": 420.0}
    assert jobs["fellow.ingest"].trigger_kwargs == {"seconds": 1800.0}
