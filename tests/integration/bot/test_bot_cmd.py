"""`fellow bot --socket` as an operator runs it: clear refusals, and a Socket Mode attempt against the fake."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from admin_api.cli.main import app as cli
from config import get_settings
from store.db import make_engine
from store.migrate import upgrade
from tests.fakes.slack import SIGNING_SECRET, FakeSlack

REPO = Path(__file__).resolve().parents[3]


def fellow(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `fellow …` in a clean environment (no FELLOW_* leaking in from the test runner)."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith("FELLOW_")}
    clean["PYTHONPATH"] = str(REPO)
    command = [sys.executable, "-m", "admin_api.cli", *args]
    return subprocess.run(command, cwd=cwd, env={**clean, **env}, capture_output=True, text=True, timeout=240)


@pytest.fixture
def clean_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No FELLOW_* from the runner, a fresh settings cache, and an empty working directory."""
    for key in [k for k in os.environ if k.startswith("FELLOW_")]:
        monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.usefixtures("clean_settings")
def test_without_socket_or_an_app_token_it_explains_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    plain = runner.invoke(cli, ["bot"])
    assert plain.exit_code == 2 and "pass --socket" in plain.output
    monkeypatch.setenv("FELLOW_SLACK_BOT_TOKEN", "xoxb-1")
    get_settings.cache_clear()
    no_token = runner.invoke(cli, ["bot", "--socket"])
    assert no_token.exit_code == 2 and "FELLOW_SLACK_APP_TOKEN" in no_token.output


def test_socket_mode_opens_a_connection_with_the_app_token(tmp_path: Path, fake_slack: FakeSlack) -> None:
    database = tmp_path / "fellow.db"
    engine = make_engine(f"sqlite:///{database}")
    upgrade(engine)
    engine.dispose()
    result = fellow(
        "bot", "--socket", cwd=tmp_path,
        FELLOW_DATABASE_URL=f"sqlite:///{database}", FELLOW_SLACK_BOT_TOKEN=fake_slack.token,
        FELLOW_SLACK_SIGNING_SECRET=SIGNING_SECRET, FELLOW_SLACK_APP_TOKEN="xapp-1-socket-token",
        FELLOW_SLACK_API_URL=fake_slack.api_url,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    # The fake knows only the bot token, so it refuses the app token as Slack refuses a wrong one.
    assert "Slack refused the Socket Mode connection: invalid_auth" in result.stderr
    assert "Traceback" not in result.stderr
    (opened,) = fake_slack.calls("apps.connections.open")
    assert opened.header("authorization") == "Bearer xapp-1-socket-token"
    assert fake_slack.call_count("auth.test") == 1
