"""`fellow signals extract`: one JSON line per good input line, bad lines reported with their number."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from admin_api.cli.signals import app


def test_extract_reports_bad_lines_and_keeps_order(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps({"id": "a", "text": "Need SMS asap, asked for pricing", "title": "Acme <> Telnyx"}),
                "not json",
                json.dumps({"id": 2, "text": 5}),
                json.dumps({"id": "c", "text": "No budget."}),
            ]
        )
        + "\n"
    )
    result = CliRunner().invoke(app, ["extract", str(path)])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", "c"]
    assert lines[0]["signals"]["product_messaging"] and lines[0]["signals"]["urgency"] == "high"
    assert lines[1]["signals"]["no_budget"]
    assert any(ev["signal"] == "pricing_requested" for ev in lines[0]["evidence"])
    assert "line 2" in result.stderr and "line 3" in result.stderr


def test_extract_all_good_exits_zero(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "x", "text": ""}) + "\n")
    result = CliRunner().invoke(app, ["extract", str(path)])
    assert result.exit_code == 0 and json.loads(result.stdout)["id"] == "x"
