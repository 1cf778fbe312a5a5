"""The `fellow` command as an operator runs it: real processes, real databases, one-line errors."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from store.db import make_engine
from store.migrate import head_revision

FELLOW = [sys.executable, "-m", "admin_api.cli"]
REPO = Path(__file__).resolve().parents[3]


def fellow(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `fellow …` in a clean environment (no FELLOW_* leaking in from the test runner)."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith("FELLOW_")}
    clean["PYTHONPATH"] = str(REPO)
    return subprocess.run([*FELLOW, *args], cwd=cwd, env={**clean, **env}, capture_output=True, text=True, timeout=180)


def test_help_lists_the_command_groups(tmp_path: Path) -> None:
    result = fellow("--help", cwd=tmp_path)
    assert result.returncode == 0
    for group in ("config", "db", "demo", "up"):
        assert group in result.stdout


def test_config_show_masks_secrets(tmp_path: Path) -> None:
    result = fellow(
        "config", "show", "--json", cwd=tmp_path, FELLOW_SLACK_BOT_TOKEN="xoxb-super-secret", FELLOW_PORT="8123"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["port"] == 8123 and data["slack_bot_token"] == "********"
    assert "xoxb-super-secret" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"FELLOW_PORT": "eighty"}, "FELLOW_PORT (port): Input should be a valid integer"),
        ({"FELLOW_DATABASE_URL": "oracle://db"}, "backend 'oracle' is not supported"),
        ({"FELLOW_LOG_LEVL": "debug"}, "unknown setting FELLOW_LOG_LEVL (did you mean FELLOW_LOG_LEVEL?)"),
        ({"FELLOW_DATABASE_URL": "postgresql+psycopg://u:pw@127.0.0.1:1/db"}, "is unreachable"),
    ],
)
def test_bad_configuration_is_one_line_and_exit_2(tmp_path: Path, env: dict[str, str], expected: str) -> None:
    result = fellow("db", "upgrade", cwd=tmp_path, **env)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert ":pw@" not in result.stderr


def test_upgrade_seed_and_show_on_both_backends(tmp_path: Path, database_url: str) -> None:
    env = {"FELLOW_DATABASE_URL": database_url}
    first = fellow("db", "upgrade", cwd=tmp_path, **env)
    assert first.returncode == 0 and f"upgraded from empty to {head_revision()}" in first.stdout
    assert f"already at {head_revision()}" in fellow("db", "upgrade", cwd=tmp_path, **env).stdout
    seeded = fellow("demo", "seed", "--leads", "120", "--seed", "3", cwd=tmp_path, **env)
    assert seeded.returncode == 0, seeded.stderr
    assert "120 leads" in seeded.stdout
    again = fellow("demo", "seed", "--leads", "120", "--seed", "3", cwd=tmp_path, **env)
    assert again.stdout == seeded.stdout
    shown = fellow("demo", "show", cwd=tmp_path, **env)
    assert shown.returncode == 0 and "leads: 120" in shown.stdout and "progressed:" in shown.stdout
    assert "domains to try (`fellow qualify DOMAIN`" in shown.stdout
    tried = shown.stdout.split("domains to try", 1)[1].splitlines()[1:]
    assert len(tried) == 6 and all("call(s), not scored yet" in line and "." in line.split()[0] for line in tried)


def test_database_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fellow.db'}"
    assert fellow("db", "upgrade", cwd=tmp_path, FELLOW_DATABASE_URL=url).returncode == 0
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
    engine.dispose()
    result = fellow("demo", "show", cwd=tmp_path, FELLOW_DATABASE_URL=url)
    assert result.returncode == 2 and "0099_from_the_future, which this code does not know" in result.stderr


def test_default_database_lives_in_data_folder_of_the_working_directory(tmp_path: Path) -> None:
    result = fellow("db", "upgrade", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "fellow.db").exists()


UNREACHABLE = "postgresql+psycopg://u:pw@127.0.0.1:1/db"


@pytest.mark.parametrize("words", [("db", "status"), ("learn", "list"), ("demo", "show"), ("db", "upgrade")])
def test_an_unreachable_database_is_one_line_for_every_command(tmp_path: Path, words: tuple[str, ...]) -> None:
    result = fellow(*words, cwd=tmp_path, FELLOW_DATABASE_URL=UNREACHABLE)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        "error: database postgresql+psycopg://u:***@127.0.0.1:1/db is unreachable: connection failed: connection "
        'to server at "127.0.0.1", port 1 failed: Connection refused'
    ]


def test_a_missing_input_file_is_one_line(tmp_path: Path) -> None:
    result = fellow("score", "--json", str(tmp_path / "nope.json"), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"error: {tmp_path / 'nope.json'}: no such file or directory"]


@pytest.mark.parametrize("command", [("serve",), ("up",)])
def test_a_busy_port_is_one_line_before_anything_loads(tmp_path: Path, command: tuple[str, ...]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = fellow(*command, cwd=tmp_path, FELLOW_PORT=str(port), FELLOW_DATABASE_URL=UNREACHABLE)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: 127.0.0.1:{port} is already in use; stop what listens there or choose another --port"
    ]


def test_learn_list_is_a_table_and_json_on_request(tmp_path: Path) -> None:
    from tests.integration.admin_api.bundles import make_bundle, register_bundle

    url = f"sqlite:///{tmp_path / 'fellow.db'}"
    env = {"FELLOW_DATABASE_URL": url, "FELLOW_LEARNING__MODELS_DIR": str(tmp_path / "models")}
    assert fellow("db", "upgrade", cwd=tmp_path, **env).returncode == 0
    engine = make_engine(url)
    register_bundle(engine, tmp_path / "models", make_bundle("v-table", threshold=100))
    engine.dispose()
    readable = fellow("learn", "list", cwd=tmp_path, **env)
    assert readable.returncode == 0, readable.stderr
    header, row = readable.stdout.strip().splitlines()
    assert header.split()[:2] == ["version", "state"] and row.split()[:2] == ["v-table", "candidate"]
    data = json.loads(fellow("learn", "list", "--json", cwd=tmp_path, **env).stdout)
    assert [(r["version"], r["state"]) for r in data] == [("v-table", "candidate")]
