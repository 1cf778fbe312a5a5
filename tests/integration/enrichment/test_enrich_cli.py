"""`fellow enrich`: import a CSV (bad rows reported), enrich one domain, show the queue, refuse bad input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from admin_api.cli.main import app
from config import get_settings

OFFLINE_CONFIG = """providers: [salesforce, csv]
website: {user_agent: "FellowQualificationBot/0.1 (tests)"}
queue: {backlog_alert: 50}
"""


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator:
    """Invoke `fellow …` in-process against a fresh SQLite database and data directory."""
    monkeypatch.setenv("FELLOW_DATABASE_URL", f"sqlite:///{tmp_path / 'f.db'}")
    monkeypatch.setenv("FELLOW_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, list(args))

    yield invoke
    get_settings.cache_clear()


def test_import_enrich_and_queue(run, tmp_path: Path) -> None:
    config = tmp_path / "enrichment.yaml"
    config.write_text(OFFLINE_CONFIG)
    assert run("db", "upgrade").exit_code == 0
    csv = tmp_path / "vendor.csv"
    csv.write_text("domain,industry,employees,funding_stage\nacme.com,Telecom,300,Series A\nbad domain,x,1,\n")

    imported = run("enrich", "import", str(csv), "--config", str(config))
    assert imported.exit_code == 0, imported.output
    assert "vendor.csv: line 3: 'bad domain' is not a valid domain" in imported.output
    assert "imported 1 rows from vendor.csv" in imported.output
    assert (tmp_path / "data" / "enrichment" / "vendor.csv").is_file()

    one = run("enrich", "acme.com", "--json", "--config", str(config))
    assert one.exit_code == 0, one.output
    data = json.loads(one.stdout[one.stdout.index("{") :])
    assert data["facts"]["industry"] == "Telecom" and data["facts"]["sources"]["industry"] == "csv"
    assert {row["provider"]: row["status"] for row in data["results"]} == {"salesforce": "skipped", "csv": "ok"}
    assert "Industry: Telecom; 300 employees; funding stage Series A" in data["sentences"]

    queue = run("enrich", "queue", "--config", str(config))
    assert queue.exit_code == 0 and "enrichment backlog: 0 (alert above 50)" in queue.output


def test_bad_input_is_one_line_errors(run, tmp_path: Path) -> None:
    assert run("db", "upgrade").exit_code == 0
    refused = run("enrich", "192.168.0.1")
    assert refused.exit_code == 2 and "error: '192.168.0.1' is not a valid domain" in refused.output
    missing = run("enrich", "import")
    assert missing.exit_code == 2 and "usage: fellow enrich import FILE.csv" in missing.output
    empty = tmp_path / "empty.csv"
    empty.write_text("domain,industry\nnot a domain,x\n")
    nothing = run("enrich", "import", str(empty))
    assert nothing.exit_code == 2 and "no valid rows to import" in nothing.output
