"""Settings: YAML defaults, environment precedence, validation messages, masking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import SecretStr

from config import Settings, SettingsError, effective_config, load_settings
from config.logs import SecretRedactor, secret_values
from config.sources import OVERLAY_VARIABLE


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(__import__("os").environ):
        if name.startswith("FELLOW_") and not name.startswith("FELLOW_TEST_"):
            monkeypatch.delenv(name)


def test_defaults_come_from_yaml() -> None:
    settings = load_settings()
    assert settings.port == 8000
    assert settings.api.max_batch_size == 100
    assert settings.learning.retrain_frequency_days == 7
    assert settings.learning.min_training_samples == 10
    assert settings.learning.accuracy_threshold == 0.75
    assert settings.learning.decline_threshold == 0.1
    assert settings.slack_channel == "#fellow-learning-ml"
    assert settings.salesforce_fields.score == "Fellow_Qualification_Score__c"


def test_environment_overrides_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FELLOW_PORT", "9001")
    monkeypatch.setenv("FELLOW_LEARNING__MIN_TRAINING_SAMPLES", "250")
    monkeypatch.setenv("FELLOW_API_KEYS", "key-one, key-two")
    settings = load_settings()
    assert settings.port == 9001
    assert settings.learning.min_training_samples == 250
    assert [key.get_secret_value() for key in settings.api_keys] == ["key-one", "key-two"]


def test_overlay_file_sits_between_defaults_and_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    overlay = tmp_path / "site.yaml"
    overlay.write_text("port: 8100\nlearning:\n  seed: 3\n")
    monkeypatch.setenv(OVERLAY_VARIABLE, str(overlay))
    assert load_settings().port == 8100
    assert load_settings().learning.seed == 3
    assert load_settings().learning.min_training_samples == 10
    monkeypatch.setenv("FELLOW_PORT", "8200")
    assert load_settings().port == 8200


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("FELLOW_PORT", "70000", "FELLOW_PORT (port): Input should be less than or equal to 65535"),
        ("FELLOW_LOG_FORMAT", "xml", "'json' or 'console'"),
        ("FELLOW_DATABASE_URL", "mysql://db/x", "backend 'mysql' is not supported"),
        ("FELLOW_DATABASE_URL", "not a url", "not a SQLAlchemy URL"),
        ("FELLOW_SLACK_API_URL", "slack.com/api", "absolute http or https URL"),
        ("FELLOW_SALESFORCE_INSTANCE_URL", "http://x.my.salesforce.com", "absolute https URL"),
        ("FELLOW_LEARNING__EXPLORATION_RATE", "0.9", "FELLOW_LEARNING__EXPLORATION_RATE"),
    ],
)
def test_invalid_values_name_the_key_and_the_allowed_values(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as error:
        load_settings()
    assert expected in str(error.value)


def test_unknown_environment_setting_is_refused_with_a_suggestion(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FELLOW_SLACK_BOT_TOKN", "xoxb-1")
    with pytest.raises(SettingsError, match=r"unknown setting FELLOW_SLACK_BOT_TOKN.*FELLOW_SLACK_BOT_TOKEN"):
        load_settings()


def test_unknown_yaml_key_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    overlay = tmp_path / "site.yaml"
    overlay.write_text("learning:\n  retrain_every: 3\n")
    monkeypatch.setenv(OVERLAY_VARIABLE, str(overlay))
    with pytest.raises(SettingsError, match=r"learning.retrain_every.*unknown setting"):
        load_settings()


def test_unreadable_overlay_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv(OVERLAY_VARIABLE, str(tmp_path / "missing.yaml"))
    with pytest.raises(SettingsError, match="cannot read config file"):
        load_settings()
    bad = tmp_path / "bad.yaml"
    bad.write_text("- just\n- a list\n")
    monkeypatch.setenv(OVERLAY_VARIABLE, str(bad))
    with pytest.raises(SettingsError, match="must hold a mapping"):
        load_settings()


def test_production_refuses_placeholder_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FELLOW_ENVIRONMENT", "production")
    monkeypatch.setenv("FELLOW_SLACK_SIGNING_SECRET", "changeme")
    with pytest.raises(SettingsError, match="FELLOW_SLACK_SIGNING_SECRET holds a placeholder"):
        load_settings()


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("FELLOW_API_KEYS", "k"),
        ("FELLOW_API_KEYS", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        ("FELLOW_SLACK_SIGNING_SECRET", "x"),
        ("FELLOW_SALESFORCE_WEBHOOK_SECRET", "abcabcabcabcabcabcabcabc"),
    ],
)
def test_production_refuses_short_or_low_entropy_secrets(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv("FELLOW_ENVIRONMENT", "production")
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match="too weak for production"):
        load_settings()


def test_production_accepts_generated_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FELLOW_ENVIRONMENT", "production")
    monkeypatch.setenv("FELLOW_API_KEYS", "Zq3v8K1pXw0bT6yN2mR9sLd4hJ7cFa5g,aNqv1k9ZP0xW3c8b7R2mT5yL6s")
    monkeypatch.setenv("FELLOW_SLACK_SIGNING_SECRET", "8f3e2d1c0b9a8f7e6d5c4b3a29180716")
    assert len(load_settings().api_keys) == 2


def test_effective_config_masks_secrets_and_reports_integrations(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FELLOW_SLACK_BOT_TOKEN", "xoxb-very-secret-token")
    monkeypatch.setenv("FELLOW_API_KEYS", "api-key-123456")
    data = effective_config(load_settings())
    text = json.dumps(data)
    assert "xoxb-very-secret-token" not in text and "api-key-123456" not in text
    assert data["slack_bot_token"] == "********"
    assert data["integrations"]["slack"].startswith("off (set FELLOW_SLACK_BOT_TOKEN")
    assert data["integrations"]["salesforce"].startswith("off")


def test_integrations_turn_on_with_their_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FELLOW_SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("FELLOW_SLACK_SIGNING_SECRET", "s3cr3t")
    monkeypatch.setenv("FELLOW_FELLOW_API_URL", "https://acme.fellow.app/api/v1/")
    monkeypatch.setenv("FELLOW_FELLOW_API_KEY", "k")
    settings = load_settings()
    assert settings.slack_enabled and settings.fellow_enabled and not settings.salesforce_enabled
    assert settings.fellow_api_url == "https://acme.fellow.app/api/v1"


def test_redactor_scrubs_configured_secrets_from_log_events(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FELLOW_SALESFORCE_ACCESS_TOKEN", "00Dxx!sessiontoken")
    redactor = SecretRedactor(secret_values(load_settings()))
    event = redactor(None, "info", {"event": "x", "detail": {"header": "Bearer 00Dxx!sessiontoken"}})
    assert event["detail"]["header"] == "Bearer [redacted]"
    assert SecretStr("x").get_secret_value() == "x"


def test_config_show_hides_the_database_password() -> None:
    shown = effective_config(Settings(database_url="postgresql+psycopg://fellow:hunter2-pw@db.internal:5432/fellow"))
    assert "hunter2-pw" not in str(shown)
    assert shown["database_url"] == "postgresql+psycopg://fellow:***@db.internal:5432/fellow"


def test_one_data_dir_setting_moves_database_models_and_reports(tmp_path: Path) -> None:
    moved = Settings(data_dir=tmp_path / "fellow-data")
    assert moved.database_url == f"sqlite:///{tmp_path / 'fellow-data' / 'fellow.db'}"
    assert moved.models_dir == tmp_path / "fellow-data" / "models"
    assert Path(moved.learning.reports_dir) == tmp_path / "fellow-data" / "reports"
    chosen = Settings(
        data_dir=tmp_path, database_url="sqlite:///elsewhere.db", learning={"models_dir": str(tmp_path / "m")}
    )
    assert chosen.database_url == "sqlite:///elsewhere.db" and chosen.models_dir == tmp_path / "m"
    assert Path(chosen.learning.reports_dir) == tmp_path / "reports"
    default = Settings()
    assert default.database_url == "sqlite:///data/fellow.db" and default.models_dir == Path("data/models")
