"""`fellow doctor` and `fellow slack manifest` as an operator runs them (in-process, environment settings)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

from admin_api.cli.main import app
from config import get_settings
from tests.fakes.fellow import FakeFellow
from tests.fakes.salesforce import FakeSalesforce
from tests.fakes.slack import FakeSlack
from tests.integration.onboarding.conftest import SIGNING_SECRET, deploy_metadata_fields

Invoke = Callable[..., Result]


@pytest.fixture
def fellow_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Invoke]:
    """Invoke `fellow …` in-process from an empty directory against a fresh SQLite database."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FELLOW_ENVIRONMENT", "test")
    monkeypatch.setenv("FELLOW_DATABASE_URL", f"sqlite:///{tmp_path / 'fellow.db'}")
    monkeypatch.setenv("FELLOW_LEARNING__MODELS_DIR", str(tmp_path / "models"))
    get_settings.cache_clear()
    runner = CliRunner()

    def invoke(*args: str, **env: str) -> Result:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        return runner.invoke(app, list(args))

    yield invoke
    get_settings.cache_clear()


def _all_on(slack: FakeSlack, salesforce: FakeSalesforce, fellow: FakeFellow) -> dict[str, str]:
    return {
        "FELLOW_SLACK_BOT_TOKEN": slack.token,
        "FELLOW_SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "FELLOW_SLACK_API_URL": slack.api_url,
        "FELLOW_SALESFORCE_INSTANCE_URL": salesforce.url,
        "FELLOW_SALESFORCE_ACCESS_TOKEN": salesforce.session_id,
        "FELLOW_SALESFORCE_CA_BUNDLE": salesforce.ca_file,
        "FELLOW_FELLOW_API_URL": fellow.api_url,
        "FELLOW_FELLOW_API_KEY": fellow.api_key,
        "FELLOW_SALESFORCE_CANVAS_SECRET": "canvas-consumer-secret-4f9e2a7c0b",
        "FELLOW_CANVAS__FRAME_ANCESTORS": f'["{salesforce.url}"]',
    }


def test_doctor_passes_when_everything_is_set_up_and_fails_on_a_bad_token(
    fellow_cli: Invoke, fake_slack: FakeSlack, fake_salesforce: FakeSalesforce, fake_fellow: FakeFellow
) -> None:
    deploy_metadata_fields(fake_salesforce)
    fake_fellow.add_call("Acme intro", attendees=["cto@acme.com"], content_markdown="Voice AI agents")
    env = _all_on(fake_slack, fake_salesforce, fake_fellow)
    assert fellow_cli("db", "upgrade").exit_code == 0

    healthy = fellow_cli("doctor", "--json", **env)
    assert healthy.exit_code == 0, healthy.output
    statuses = {(r["group"], r["check"]): r["status"] for r in json.loads(healthy.stdout)}
    assert statuses[("slack", "channel")] == "ok" and statuses[("salesforce", "lead fields")] == "ok"
    assert statuses[("fellow", "recent notes")] == "ok" and statuses[("local", "database")] == "ok"
    assert statuses[("salesforce panel", "canvas app")] == "warn"  # on and frameable, no AE mapped to Slack
    assert set(statuses.values()) <= {"ok", "warn"}

    broken = fellow_cli("doctor", FELLOW_SLACK_BOT_TOKEN="xoxb-revoked")
    assert broken.exit_code == 1
    assert "[FAIL] slack / bot token: Slack rejected the bot token (invalid_auth)" in broken.output
    assert "fix: copy the Bot User OAuth Token" in broken.output and "not ready:" in broken.output
    assert "xoxb-revoked" not in broken.output


def test_doctor_with_nothing_configured_reports_integrations_off(fellow_cli: Invoke) -> None:
    assert fellow_cli("db", "upgrade").exit_code == 0
    result = fellow_cli("doctor")
    assert result.exit_code == 0, result.output
    assert "[off ] slack / slack: Slack is off" in result.output
    assert "[off ] salesforce / salesforce" in result.output and "[off ] fellow / fellow" in result.output


def test_doctor_exits_non_zero_on_an_unmigrated_database(fellow_cli: Invoke) -> None:
    result = fellow_cli("doctor")
    assert result.exit_code == 1 and "fix: run `fellow db upgrade`" in result.output


def test_slack_manifest_command_renders_for_the_url_or_refuses(fellow_cli: Invoke, tmp_path: Path) -> None:
    rendered = fellow_cli("slack", "manifest", "--url", "https://fellow.acme.com")
    assert rendered.exit_code == 0, rendered.output
    manifest = yaml.safe_load(rendered.output)
    assert manifest["settings"]["event_subscriptions"]["request_url"] == "https://fellow.acme.com/slack/events"

    written = fellow_cli("slack", "manifest", "--url", "https://fellow.acme.com", "-o", str(tmp_path / "m.yaml"))
    assert written.exit_code == 0 and yaml.safe_load((tmp_path / "m.yaml").read_text()) == manifest

    refused = fellow_cli("slack", "manifest", "--url", "http://fellow.acme.com")
    assert refused.exit_code == 2 and "https" in refused.output
