"""YAML layer under the environment: config/defaults.yaml, then an optional overlay file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

DEFAULTS_FILE = Path(__file__).resolve().parent / "defaults.yaml"
OVERLAY_VARIABLE = "FELLOW_CONFIG_FILE"


class ConfigFileError(ValueError):
    """A YAML configuration file is missing, unreadable or not a mapping."""


def read_yaml_mapping(path: Path) -> dict[str, Any]:
    """Read a YAML file that must hold a mapping; an empty file is an empty mapping."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigFileError(f"cannot read config file {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise ConfigFileError(f"config file {path} is not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigFileError(f"config file {path} must hold a mapping of settings, not {type(data).__name__}")
    return data


def merge(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge two mappings, the overlay winning key by key."""
    merged = dict(base)
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


class YamlDefaultsSource(PydanticBaseSettingsSource):
    """Settings source reading config/defaults.yaml and, when FELLOW_CONFIG_FILE names one, an overlay."""

    def __init__(self, settings_cls: type[BaseSettings]) -> None:
        super().__init__(settings_cls)
        data = read_yaml_mapping(DEFAULTS_FILE)
        overlay = os.environ.get(OVERLAY_VARIABLE)
        if overlay:
            data = merge(data, read_yaml_mapping(Path(overlay)))
        self._data = data

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        """Return the YAML value for one field (pydantic-settings protocol)."""
        return self._data.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(self._data)
