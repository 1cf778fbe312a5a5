"""Structured logging for operators: JSON or console lines, with configured secrets redacted."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from typing import Any

import structlog
from pydantic import SecretStr

from config.settings import Settings

REDACTED = "[redacted]"


def secret_values(settings: Settings) -> tuple[str, ...]:
    """Every configured secret value, so log lines can be scrubbed of them."""
    values = [key.get_secret_value() for key in settings.api_keys]
    for name in Settings.model_fields:
        value = getattr(settings, name)
        if isinstance(value, SecretStr):
            values.append(value.get_secret_value())
    return tuple(value for value in values if len(value) >= 4)


class SecretRedactor:
    """structlog processor replacing any configured secret found in an event's values."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self._secrets = tuple(sorted(set(secrets), key=len, reverse=True))

    def _scrub(self, value: Any) -> Any:
        if isinstance(value, str):
            for secret in self._secrets:
                if secret in value:
                    value = value.replace(secret, REDACTED)
            return value
        if isinstance(value, dict):
            return {key: self._scrub(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(self._scrub(item) for item in value)
        return value

    def __call__(self, logger: Any, method: str, event: dict[str, Any]) -> dict[str, Any]:
        return {key: self._scrub(value) for key, value in event.items()} if self._secrets else event


def configure_logging(settings: Settings) -> None:
    """Route stdlib and structlog output to stderr in the configured format and level."""
    level = getattr(logging, settings.log_level.upper())
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if settings.log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        SecretRedactor(secret_values(settings)),
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(processor=renderer, foreign_pre_chain=shared))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("urllib3", "httpx", "httpcore", "apscheduler.executors", "alembic.runtime"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
