"""The learning loop on a Salesforce-shaped org, driven exactly as the README says, from an empty database:
`db upgrade`, `sync salesforce`, `ingest calls <Fellow export>`, `sync outcomes`, `learn train`, a promotion,
`sync salesforce` again. The org has months of history, LeadHistory, converted leads with a custom Voice AI flag
on their Opportunities, and its newest fifth still open."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from admin_api.cli.main import app
from bench.worlds.org_world import World, cli_documents, generate_world, load_world
from config import get_settings
from store.db import make_engine
from store.tables import Call, Lead, Outcome, Score
from tests.fakes.core.clock import ManualClock, utc_now
from tests.fakes.salesforce import FakeSalesforce

N_LEADS = 1500
OPEN_STATUSES = ("Open - Not Contacted", "Working - Contacted")


@pytest.fixture(scope="module")
def world() -> World:
    return generate_world(N_LEADS, seed=11)


@pytest.fixture
def org(world: World) -> Iterator[tuple[FakeSalesforce, dict[str, str]]]:
    clock = ManualClock(datetime(2026, 1, 1, tzinfo=UTC))
    with FakeSalesforce(clock=clock) as fake:
        ids = load_world(fake, clock, world)
        fake.store.clock = utc_now  # the org's history is in place; from now on the org lives in real time
        yield fake, ids


@pytest.fixture
def cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str, org: tuple[FakeSalesforce, dict[str, str]]
) -> Iterator[CliRunner]:
    fake, _ids = org
    for name in [n for n in os.environ if n.startswith("FELLOW_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    for name, value in {
        "FELLOW_DATABASE_URL": database_url,
        "FELLOW_DATA_DIR": str(tmp_path),
        "FELLOW_LEARNING__MODELS_DIR": str(tmp_path / "models"),
        "FELLOW_LEARNING__REPORTS_DIR": str(tmp_path / "reports"),
        "FELLOW_LEARNING__TEXT_FEATURES": "false",
        "FELLOW_SALESFORCE_INSTANCE_URL": fake.url,
        "FELLOW_SALESFORCE_ACCESS_TOKEN": fake.session_id,
        "FELLOW_SALESFORCE_CA_BUNDLE": fake.ca_file,
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def _run(runner: CliRunner, *args: str) -> dict[str, Any]:
    """Run one command; its JSON documents (one per step) merged into one dict."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (args, result.stdout[-3000:], result.exception)
    return cli_documents(result.stdout) or {"text": result.stdout.strip()}


def _written_ids(fake: FakeSalesforce) -> list[str]:
    return [r["id"] for call in fake.calls("composite.sobjects") for r in call.body.get("records", [])]


@pytest.mark.slow
def test_the_loop_closes_on_a_salesforce_shaped_org(
    cli: CliRunner, org: tuple[FakeSalesforce, dict[str, str]], world: World, database_url: str, tmp_path: Path
) -> None:
    fake, ids = org
    by_id = {sf_id: key for key, sf_id in ids.items()}
    open_keys = {
        lead["Key"] for lead in world.leads if lead["Status"] in ("Open - Not Contacted", "Working - Contacted")
    }
    converted = {ids[lead["Key"]] for lead in world.leads if lead.get("ConvertedDate")}
    run_started = datetime.now(UTC) - timedelta(seconds=5)
    _run(cli, "db", "upgrade")

    # The first sync reads every open lead, whatever its age, and writes each one back; converted leads never.
    first = _run(cli, "sync", "salesforce", "--json")
    assert first["poll_salesforce_leads"]["stopped"] is None
    assert all(fake.record(ids[k])["Fellow_Qualification_Score__c"] is not None for k in open_keys)
    assert not set(_written_ids(fake)) & converted

    # The Fellow export, in its own field names: start times kept, changed scores reach Salesforce at once.
    export = tmp_path / "fellow-export.jsonl"
    export.write_text("".join(json.dumps(c) + "\n" for c in world.calls))
    fake.log.clear()
    ingested = _run(cli, "ingest", "calls", str(export), "--json")
    assert ingested["stored"] == len(world.calls) and not any("not read" in w for w in ingested["warnings"])
    assert ingested["writeback"]["delivered"] > 0 and ingested["writeback"]["dead"] == 0
    engine = make_engine(database_url)
    with Session(engine) as session:
        assert all(c.started_at is not None for c in session.exec(select(Call)).all())
    assert not set(_written_ids(fake)) & converted

    # Outcomes: both labels readable, decisions dated by the org (LeadHistory, ConvertedDate), never by the run.
    synced = _run(cli, "sync", "outcomes", "--json")["sync_salesforce_outcomes"]
    assert list(synced["rejection_dated_by"]) == ["LeadHistory"] and not synced["warnings"]
    with Session(engine) as session:
        outcomes = session.exec(select(Outcome, Lead).where(Outcome.lead_id == Lead.id)).all()
    decided = {key for key, t in world.truth.items() if t["decided_at"]}
    assert {by_id[lead.salesforce_id] for _o, lead in outcomes} == decided
    assert all(o.decided_at < run_started for o, _lead in outcomes)
    for outcome, lead in outcomes:
        truth = world.truth[by_id[lead.salesforce_id]]
        assert outcome.progressed == truth["progressed"]
        assert bool(outcome.voice_ai_opportunity) == truth["voice_ai"]
        if not truth["progressed"]:
            assert outcome.decided_at == datetime.fromisoformat(truth["decided_at"].replace("Z", "+00:00"))

    # Both models train; a promotion re-scores every open lead and writes the new version back.
    trained = _run(cli, "learn", "train", "--no-promote", "--json")
    assert trained["skipped_models"] == {}
    _run(cli, "learn", "promote", trained["version"])
    fake.log.clear()
    after = _run(cli, "sync", "salesforce", "--json")
    assert after["rescore_after_champion_change"]["rescored"] == len(open_keys)
    assert all(fake.record(ids[k])["Fellow_Model_Version__c"] == trained["version"] for k in open_keys)
    assert not set(_written_ids(fake)) & converted

    # A poll right after a writeback-only run re-reads almost nothing: our own writes are recognised.
    again = _run(cli, "sync", "salesforce", "--json")
    assert again["poll_salesforce_leads"]["fetched"] <= 0.01 * N_LEADS
    with Session(engine) as session:
        scored = {s.lead_id for s in session.exec(select(Score)).all()}
        closed = session.exec(select(Lead).where(Lead.is_converted)).all()
    assert not {lead.id for lead in closed} & scored
