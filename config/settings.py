"""The one Settings object: environment (FELLOW_*) and .env over YAML defaults in config/."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict

from config.sections import (
    ApiSection,
    CanvasSection,
    CompanySection,
    LearningSection,
    SalesforceFieldsSection,
    SlackSection,
    SyncSection,
)
from config.sources import YamlDefaultsSource
from config.validation import check_database_url, check_http_url, refuse_placeholder, refuse_weak

CONFIG_DIR = Path(__file__).resolve().parent

Secret = SecretStr | None
# secrets this deployment chooses (others, like Salesforce passwords and tokens, are issued by the services)
CHOSEN_SECRETS = frozenset({"slack_signing_secret", "salesforce_webhook_secret", "fellow_webhook_secret"})


DEFAULT_DATA_DIR = Path("data")
DEFAULT_DATABASE_URL = "sqlite:///data/fellow.db"


class Settings(BaseSettings):
    """Effective configuration; built once by `get_settings()` and passed down, never read from env below."""

    model_config = SettingsConfigDict(
        env_prefix="FELLOW_",
        env_file=".env",
        env_nested_delimiter="__",
        extra="forbid",
        frozen=True,
    )

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    api_keys: Annotated[tuple[SecretStr, ...], NoDecode] = ()
    data_dir: Path = DEFAULT_DATA_DIR
    scoring_file: Path = CONFIG_DIR / "scoring.yaml"
    rules_file: Path = CONFIG_DIR / "rules.yaml"
    enrichment_file: Path = CONFIG_DIR / "enrichment.yaml"
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_format: Literal["json", "console"] = "console"

    slack_bot_token: Secret = None
    slack_signing_secret: Secret = None
    slack_app_token: Secret = None
    slack_api_url: str = "https://slack.com/api/"
    slack_channel: str = "#fellow-learning-ml"

    salesforce_instance_url: str | None = None
    salesforce_access_token: Secret = None
    salesforce_client_id: str | None = None
    salesforce_client_secret: Secret = None
    salesforce_username: str | None = None
    salesforce_password: Secret = None
    salesforce_security_token: Secret = None
    salesforce_private_key_file: Path | None = None
    salesforce_domain: str = "login"
    salesforce_login_url: str | None = None
    salesforce_ca_bundle: Path | None = None
    salesforce_webhook_secret: Secret = None
    salesforce_canvas_secret: Secret = None
    salesforce_api_version: str = Field("60.0", pattern=r"^\d{2}\.0$")

    fellow_api_url: str | None = None
    fellow_api_key: Secret = None
    fellow_webhook_secret: Secret = None
    fellow_auth_header: Literal["X-API-KEY", "Authorization"] = "X-API-KEY"

    api: ApiSection = ApiSection()
    learning: LearningSection = LearningSection()
    sync: SyncSection = SyncSection()
    slack: SlackSection = SlackSection()
    salesforce_fields: SalesforceFieldsSection = SalesforceFieldsSection()
    company: CompanySection = CompanySection()
    canvas: CanvasSection = CanvasSection()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Precedence: explicit arguments > environment > .env > YAML overlay > config/defaults.yaml."""
        return (
            init_settings,
            env_settings,
            dotenv_settings,
            YamlDefaultsSource(settings_cls),
            file_secret_settings,
        )

    @field_validator("api_keys", mode="before")
    @classmethod
    def _split_keys(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        return check_database_url(value)

    @field_validator("slack_api_url")
    @classmethod
    def _slack_url(cls, value: str) -> str:
        value = check_http_url(value)
        return value if value.endswith("/") else value + "/"

    @field_validator("fellow_api_url", "salesforce_login_url")
    @classmethod
    def _optional_url(cls, value: str | None) -> str | None:
        return None if value is None else check_http_url(value).rstrip("/")

    @field_validator("salesforce_instance_url")
    @classmethod
    def _instance_url(cls, value: str | None) -> str | None:
        return None if value is None else check_http_url(value, require_https=True).rstrip("/")

    @model_validator(mode="after")
    def _follow_data_dir(self) -> Settings:
        """One setting moves everything: with `data_dir` changed, the SQLite database, models and reports left at
        their defaults (data/fellow.db, data/models, data/reports) move under it too."""
        if self.data_dir == DEFAULT_DATA_DIR:
            return self
        moved: dict[str, str] = {}
        for name, leaf in (("models_dir", "models"), ("reports_dir", "reports")):
            if Path(getattr(self.learning, name)) == DEFAULT_DATA_DIR / leaf:
                moved[name] = str(self.data_dir / leaf)
        if moved:
            object.__setattr__(self, "learning", self.learning.model_copy(update=moved))
        if self.database_url == DEFAULT_DATABASE_URL:
            object.__setattr__(self, "database_url", f"sqlite:///{self.data_dir / 'fellow.db'}")
        return self

    @model_validator(mode="after")
    def _no_weak_secrets_in_production(self) -> Settings:
        if self.environment == "production":
            prefix = str(type(self).model_config.get("env_prefix", ""))
            for name in type(self).model_fields:
                value = getattr(self, name)
                if isinstance(value, SecretStr):
                    check = refuse_weak if name in CHOSEN_SECRETS else refuse_placeholder
                    check(f"{prefix}{name.upper()}", value.get_secret_value())
            for key in self.api_keys:
                refuse_weak(f"{prefix}API_KEYS", key.get_secret_value())
        return self

    @property
    def slack_enabled(self) -> bool:
        """Slack is on when both the bot token and the signing secret are set."""
        return self.slack_bot_token is not None and self.slack_signing_secret is not None

    @property
    def salesforce_enabled(self) -> bool:
        """Salesforce is on when an instance/session or a login method is configured."""
        direct = self.salesforce_instance_url is not None and self.salesforce_access_token is not None
        oauth = self.salesforce_client_id is not None and (
            self.salesforce_client_secret is not None or self.salesforce_private_key_file is not None
        )
        password = self.salesforce_username is not None and self.salesforce_password is not None
        return direct or oauth or password

    @property
    def fellow_enabled(self) -> bool:
        """Fellow ingestion is on when the API base URL and key are set."""
        return self.fellow_api_url is not None and self.fellow_api_key is not None

    @property
    def models_dir(self) -> Path:
        """Where model artifacts are written (relative paths resolve against the working directory)."""
        return Path(self.learning.models_dir)

    def integrations(self) -> dict[str, str]:
        """Which integrations are on, and for those off, which variables turn them on."""
        return {
            "slack": "on" if self.slack_enabled else "off (set FELLOW_SLACK_BOT_TOKEN and FELLOW_SLACK_SIGNING_SECRET)",
            "salesforce": "on"
            if self.salesforce_enabled
            else "off (set FELLOW_SALESFORCE_INSTANCE_URL + FELLOW_SALESFORCE_ACCESS_TOKEN, "
            "or FELLOW_SALESFORCE_CLIENT_ID with a client secret or private key file)",
            "fellow": "on" if self.fellow_enabled else "off (set FELLOW_FELLOW_API_URL and FELLOW_FELLOW_API_KEY)",
        }
