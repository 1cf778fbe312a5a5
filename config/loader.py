"""Build Settings once per process and turn configuration mistakes into one-line errors."""

from __future__ import annotations

import difflib
import os
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, SecretStr, ValidationError
from pydantic_core import ErrorDetails

from config.settings import Settings
from config.sources import OVERLAY_VARIABLE, ConfigFileError
from config.validation import hide_url_password

ENV_PREFIX = "FELLOW_"
NON_SETTING_VARIABLES = frozenset({OVERLAY_VARIABLE})
NON_SETTING_PREFIXES = ("FELLOW_TEST_",)
MASK = "********"


class SettingsError(Exception):
    """Configuration is invalid; the message names each key, the problem and what is allowed."""


def _known_variables() -> set[str]:
    names = set()
    for name, field in Settings.model_fields.items():
        names.add(ENV_PREFIX + name.upper())
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names.update(f"{ENV_PREFIX}{name.upper()}__{sub.upper()}" for sub in annotation.model_fields)
    return names


def check_environment(environ: dict[str, str]) -> None:
    """Refuse FELLOW_* variables that match no setting, suggesting the closest name."""
    known = _known_variables()
    problems = []
    for variable in sorted(environ):
        upper = variable.upper()
        if not upper.startswith(ENV_PREFIX) or upper in known or upper in NON_SETTING_VARIABLES:
            continue
        if upper.startswith(NON_SETTING_PREFIXES):
            continue
        guess = difflib.get_close_matches(upper, known, n=1)
        hint = f" (did you mean {guess[0]}?)" if guess else ""
        problems.append(f"unknown setting {variable}{hint}")
    if problems:
        raise SettingsError("; ".join(problems))


def _describe(error: ErrorDetails) -> str:
    location = ".".join(str(part) for part in error["loc"])
    variable = ENV_PREFIX + location.replace(".", "__").upper() if location else "settings"
    message = error["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    if error["type"] == "extra_forbidden":
        message = "unknown setting"
    return f"{variable} ({location}): {message}" if location else message


def load_settings(**overrides: Any) -> Settings:
    """Build Settings from the environment and YAML, raising SettingsError with readable messages."""
    check_environment(dict(os.environ))
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise SettingsError("; ".join(_describe(error) for error in exc.errors())) from None
    except ConfigFileError as exc:
        raise SettingsError(str(exc)) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide Settings, built on first use (never at import time)."""
    return load_settings()


def masked(value: Any) -> Any:
    """Render a settings value for display: secrets become a mask, paths strings."""
    if isinstance(value, SecretStr):
        return MASK
    if isinstance(value, BaseModel):
        return {key: masked(getattr(value, key)) for key in type(value).model_fields}
    if isinstance(value, tuple | list):
        return [masked(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def effective_config(settings: Settings) -> dict[str, Any]:
    """The whole effective configuration with secrets masked, plus which integrations are on."""
    data = {name: masked(getattr(settings, name)) for name in Settings.model_fields}
    data["database_url"] = hide_url_password(settings.database_url)
    data["integrations"] = settings.integrations()
    return data
