"""`fellow learn import-history` end to end on SQLite: a readable summary by default, the same JSON as before with
`--json`, and progress (rows done of the total) on stderr from `import_history`'s hook."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from admin_api.cli.main import app
from config import get_settings
from crm_sync.history_import import file_digest, import_history
from learning.csv_data import load_csv
from store.db import make_engine, session_scope
from store.repositories.outcomes import count_outcomes

ROWS = 60
INDUSTRIES = ("Telecom", "Retail", "Health")


def _csv(tmp_path: Path) -> Path:
    lines = ["Company,Website,Industry,Employees,Converted"]
    lines += [
        f"Firm {n},firm{n}.example,{INDUSTRIES[n % 3]},{10 + n * 7},{'yes' if n % 3 == 0 else 'no'}"
        for n in range(ROWS)
    ]
    path = tmp_path / "history.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """A runner on a fresh SQLite database (FELLOW_* variables cleared, the settings cache reset)."""
    for name in [n for n in os.environ if n.startswith("FELLOW_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FELLOW_DATABASE_URL", f"sqlite:///{tmp_path / 'fellow.db'}")
    get_settings.cache_clear()
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    yield runner
    get_settings.cache_clear()


def test_the_hook_hears_every_row_and_the_final_total(cli: CliRunner, tmp_path: Path) -> None:
    path = _csv(tmp_path)
    table = load_csv(path, "Converted", positive_values=["yes"])
    heard: list[tuple[str, int, int | None]] = []
    engine = make_engine(f"sqlite:///{tmp_path / 'fellow.db'}")
    with session_scope(engine) as session:
        summary = import_history(
            table, session=session, digest=file_digest(path), label_column="Converted",
            progress=lambda stage, done, total: heard.append((stage, done, total)),
        )  # fmt: skip
    assert heard == [("rows", n, ROWS) for n in range(1, ROWS + 1)]
    assert summary.outcomes == ROWS
    with Session(engine) as session:
        assert count_outcomes(session=session) == ROWS


def test_import_history_reads_as_a_summary_with_progress(cli: CliRunner, tmp_path: Path) -> None:
    result = cli.invoke(app, ["learn", "import-history", str(_csv(tmp_path)), "--label-column", "Converted",
                              "--positive-values", "yes"])  # fmt: skip
    assert result.exit_code == 0, (result.output, result.exception)
    lines = result.stdout.splitlines()
    assert lines[0] == f"imported {ROWS} rows: {ROWS} leads created, 0 updated, {ROWS} companies, 0 call notes," + (
        f" {ROWS} outcomes"
    )
    assert "columns read:" in lines and "  domain        <- Website" in lines
    progress = [line for line in result.stderr.splitlines() if line.startswith("importing:")]
    assert progress[0] == f"importing: 1/{ROWS} rows" and progress[-1] == f"importing: {ROWS}/{ROWS} rows"
    assert len(progress) == 11


def test_import_history_json_keeps_its_shape(cli: CliRunner, tmp_path: Path) -> None:
    result = cli.invoke(app, ["learn", "import-history", str(_csv(tmp_path)), "--label-column", "Converted",
                              "--positive-values", "yes", "--json"])  # fmt: skip
    assert result.exit_code == 0, (result.output, result.exception)
    data = json.loads(result.stdout)
    assert set(data) == {"rows", "leads_created", "leads_updated", "companies", "calls", "outcomes", "mapping",
                         "unmapped", "warnings"}  # fmt: skip
    assert data["rows"] == ROWS and data["mapping"]["domain"] == "Website"


def test_evaluate_csv_reads_as_a_summary_with_the_policy_block(cli: CliRunner, tmp_path: Path) -> None:
    args = ["learn", "evaluate-csv", str(_csv(tmp_path)), "--label-column", "Converted", "--positive-values", "yes",
            "--folds", "2"]  # fmt: skip
    readable = cli.invoke(app, args)
    assert readable.exit_code == 0, (readable.output, readable.exception)
    lines = readable.stdout.splitlines()
    assert lines[0] == f"{ROWS} rows evaluated out of sample (stratified 2-fold cross-validation)"
    assert lines[3].startswith("handoff policy (target precision ") and lines[5].startswith("  verdict: ")
    data = json.loads(cli.invoke(app, [*args, "--json"]).stdout)
    assert data["n"] == ROWS and {"target_precision", "handoff_share", "handoff_precision", "verdict"} <= set(
        data["policy"]
    )
    assert lines[5] == f"  verdict: {data['policy']['verdict']}"
