"""`fellow score` and `fellow qualify` through Typer's runner against real databases."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from admin_api.cli.main import app
from config.loader import get_settings
from store.db import session_scope
from store.repositories.calls import upsert_call
from store.repositories.companies import upsert_company
from store.repositories.leads import upsert_lead

runner = CliRunner()


@pytest.fixture
def fellow_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[pytest.MonkeyPatch]:
    """A clean FELLOW_* environment and a fresh settings cache for each test."""
    for key in [k for k in os.environ if k.startswith("FELLOW_")]:
        monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def test_score_reads_stdin_and_prints_the_result_json(fellow_env: pytest.MonkeyPatch) -> None:
    fellow_env.setenv("FELLOW_DATABASE_URL", "postgresql+psycopg://u@127.0.0.1:1/none")
    payload = {"domain": "https://www.acme.com", "industry": "Healthcare", "employees": 300, "urgency_level": 4}
    result = runner.invoke(app, ["score", "--json", "-"], input=json.dumps(payload))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["scorer"] == "prior" and 0 <= data["qualification_score"] <= 100
    assert data["recommendation"] in {"AE_HANDOFF", "NURTURE_TRACK", "SELF_SERVICE"}
    assert "scoring with the rule-based prior" in result.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"domain": "acme.com", "urgency_level": 9}', "urgency_level: Value error, urgency_level must be an integer"),
        ('{"industry": "Healthcare"}', "provide at least one of company_name, domain or salesforce_lead_id"),
        ("{not json", "not valid JSON"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(fellow_env: pytest.MonkeyPatch, text: str, message: str) -> None:
    result = runner.invoke(app, ["score", "--json", "-"], input=text)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_score_with_an_unusable_model_dir_is_refused(fellow_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "in.json").write_text('{"domain": "acme.com"}')
    result = runner.invoke(app, ["score", "--json", str(tmp_path / "in.json"), "--model-dir", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "cannot read bundle manifest" in result.stderr


def test_qualify_prints_a_card_for_a_stored_company(
    fellow_env: pytest.MonkeyPatch, engine: Engine, database_url: str
) -> None:
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        company, _ = upsert_company("acme.com", session=session, name="Acme Logistics", industry="Logistics")
        lead, _, _ = upsert_lead(session=session, salesforce_id="00Q000000000009AAA", company_id=company.id)
        notes = "Their VP asked for pricing for our Voice AI agent. They want a follow-up meeting next week."
        upsert_call("f-9", session=session, lead_id=lead.id, company_id=company.id, started_at=now - timedelta(days=1),
                    notes=notes)  # fmt: skip
    fellow_env.setenv("FELLOW_DATABASE_URL", database_url)
    result = runner.invoke(app, ["qualify", "acme.com"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Acme Logistics (acme.com)\nScore ")
    assert "Why:" in result.stdout and "Pricing requested on the call" in result.stdout
    assert "Lead 00Q000000000009AAA · calls read: " in result.stdout
    assert "_" not in result.stdout.split("Why:")[1].split("From the calls:")[0]
    by_name = runner.invoke(app, ["qualify", "Acme Logistics", "--json"])
    assert by_name.exit_code == 0 and json.loads(by_name.stdout)["scorer"] == "prior"
    unknown = runner.invoke(app, ["qualify", "nothing-here.io"])
    assert unknown.exit_code == 0 and "PROVISIONAL" in unknown.stdout and "no Fellow calls read" in unknown.stdout
    missing = runner.invoke(app, ["qualify", "Nobody Industries"])
    assert missing.exit_code == 2 and "no lead or company for 'Nobody Industries'" in missing.stderr


def test_qualify_lists_candidates_and_slack_preview_prints_blocks_and_text(
    fellow_env: pytest.MonkeyPatch, engine: Engine, database_url: str
) -> None:
    with session_scope(engine) as session:
        upsert_company("keystone.com", session=session, name="Keystone Voice")
        upsert_company("keystonefreight.com", session=session, name="Keystone Freight")
    fellow_env.setenv("FELLOW_DATABASE_URL", database_url)
    several = runner.invoke(app, ["qualify", "Keystone"])
    assert several.exit_code == 2
    assert "keystonefreight.com" in several.stderr and "be specific" in several.stderr
    shown = runner.invoke(app, ["slack", "preview", "keystone.com"])
    assert shown.exit_code == 0, shown.output
    blocks_json, text = shown.stdout.split("\n}\n", 1)
    blocks = json.loads(blocks_json + "}")["blocks"]
    assert blocks[0]["type"] == "header" and "Keystone Voice" in blocks[0]["text"]["text"]
    assert text.strip().startswith("Keystone Voice (keystone.com)\nScore ")
