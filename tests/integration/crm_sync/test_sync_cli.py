"""`fellow sync …` and `fellow ingest calls` through the real Typer app against the fakes (in process, so the
spaCy pipeline loads once per command rather than once per interpreter)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from admin_api.cli.main import app
from config import get_settings
from tests.fakes.fellow import FakeFellow
from tests.fakes.salesforce import FakeSalesforce


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """A runner whose settings come from FELLOW_* variables set per test (the settings cache is cleared)."""
    for name in [n for n in os.environ if n.startswith("FELLOW_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FELLOW_DATABASE_URL", f"sqlite:///{tmp_path / 'fellow.db'}")
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def _ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (result.stdout, result.exception)
    return result.stdout


def test_sync_salesforce_fellow_and_unmatched(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch, fake_salesforce: FakeSalesforce, fake_fellow: FakeFellow
) -> None:
    ids = fake_salesforce.seed_leads(3)
    fake_fellow.seed_calls(2, domain_pattern="company-{n}.example")
    fake_fellow.add_call("Catch-up", attendees=["friend@gmail.com"])
    for name, value in {
        "FELLOW_SALESFORCE_INSTANCE_URL": fake_salesforce.url,
        "FELLOW_SALESFORCE_ACCESS_TOKEN": fake_salesforce.session_id,
        "FELLOW_SALESFORCE_CA_BUNDLE": fake_salesforce.ca_file,
        "FELLOW_FELLOW_API_URL": fake_fellow.api_url,
        "FELLOW_FELLOW_API_KEY": fake_fellow.api_key,
        "FELLOW_COMPANY__OWN_DOMAINS": '["ourcompany.example"]',
    }.items():
        monkeypatch.setenv(name, value)
    _ok(cli, "db", "upgrade")
    assert '"delivered": 3' in _ok(cli, "sync", "salesforce", "--json")
    assert all(fake_salesforce.record(i)["Fellow_Qualification_Score__c"] is not None for i in ids)
    assert '"rescored": 2' in _ok(cli, "sync", "fellow", "--json")
    [row] = json.loads(_ok(cli, "sync", "unmatched", "--json"))
    assert row["title"] == "Catch-up" and "free-mail" in row["reason"]
    readable = _ok(cli, "sync", "unmatched").splitlines()
    assert readable[0].split() == ["Fellow", "id", "started", "title", "attendees", "reason"]
    assert "Catch-up" in readable[1] and "friend@gmail.com" in readable[1]


def test_ingest_calls_file_reports_bad_lines(cli: CliRunner, tmp_path: Path) -> None:
    export = tmp_path / "calls.jsonl"
    export.write_bytes(b'{"id": "c1", "title": "Intro", "attendees": ["a@b.example"]}\n{broken\n')
    _ok(cli, "db", "upgrade")
    summary = json.loads(_ok(cli, "ingest", "calls", str(export), "--json"))
    assert summary["stored"] == 1
    assert summary["skipped"] == ["line 2: invalid JSON (Expecting property name enclosed in double quotes)"]


def test_ingest_calls_reads_as_a_summary_with_progress_on_stderr(cli: CliRunner, tmp_path: Path) -> None:
    export = tmp_path / "calls.jsonl"
    lines = [json.dumps({"id": f"c{n}", "title": f"Intro {n}", "attendees": [f"a@b{n}.example"]}) for n in range(12)]
    export.write_text("\n".join([*lines, "{broken"]) + "\n")
    _ok(cli, "db", "upgrade")
    result = cli.invoke(app, ["ingest", "calls", str(export)])
    assert result.exit_code == 0, (result.output, result.exception)
    assert "fetched: 12" in result.stdout.splitlines() and "stored: 12" in result.stdout.splitlines()
    assert "  - line 13: invalid JSON (Expecting property name enclosed in double quotes)" in result.stdout
    assert not result.stdout.lstrip().startswith("{")
    progress = [line for line in result.stderr.splitlines() if line.startswith("importing calls:")]
    assert progress[0] == "importing calls: 1/12 calls" and progress[-1] == "importing calls: 12/12 calls"
    assert len(progress) == 11  # one line per tenth of the work and the last, not one per call


def test_sync_without_credentials_says_how_to_turn_it_on(cli: CliRunner) -> None:
    _ok(cli, "db", "upgrade")
    result = cli.invoke(app, ["sync", "outcomes"])
    assert result.exit_code == 1 and "FELLOW_SALESFORCE_INSTANCE_URL" in result.stdout


def test_rescore_by_hand_and_since_options(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch, fake_salesforce: FakeSalesforce
) -> None:
    ids = fake_salesforce.seed_leads(3)
    fake_salesforce.edit(ids[2], Status="Closed - Not Converted")
    for name, value in {
        "FELLOW_SALESFORCE_INSTANCE_URL": fake_salesforce.url,
        "FELLOW_SALESFORCE_ACCESS_TOKEN": fake_salesforce.session_id,
        "FELLOW_SALESFORCE_CA_BUNDLE": fake_salesforce.ca_file,
    }.items():
        monkeypatch.setenv(name, value)
    _ok(cli, "db", "upgrade")
    result = cli.invoke(app, ["sync", "salesforce", "--since", "2020-01-01", "--json"])
    assert result.exit_code == 0, (result.output, result.exception)
    first, _end = json.JSONDecoder().raw_decode(result.stdout)
    assert first["poll_salesforce_leads"]["rescored"] == 2  # the closed lead is stored, never scored
    progress = [line for line in result.stderr.splitlines() if line.startswith("reading leads:")]
    assert progress == ["reading leads: 3 leads", "reading leads: 3/3 leads"]  # each chunk's count, then the total
    assert fake_salesforce.record(ids[2])["Fellow_Qualification_Score__c"] is None
    readable = _ok(cli, "sync", "salesforce", "--since", "2020-01-01").splitlines()
    assert readable[:2] == ["poll salesforce leads:", "  fetched: 3"] and "rescore after champion change:" in readable
    summary = json.loads(_ok(cli, "rescore", "--all", "--json"))
    assert summary["rescore"]["open_leads"] == 2 and summary["rescore"]["failure_count"] == 0
    for args, message in (
        (["rescore"], "give exactly one of --all or --since DATE"),
        (["rescore", "--all", "--since", "2026-01-01"], "give exactly one of --all or --since DATE"),
        (["rescore", "--since", "last week"], "--since 'last week' is not a date"),
        (["sync", "salesforce", "--since", "soon"], "--since 'soon' is not a date"),
    ):
        result = cli.invoke(app, args)
        assert result.exit_code == 2 and message in result.output, (args, result.output)
