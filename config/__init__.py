"""Configuration: the Settings object, its loader and logging set-up."""

from config.loader import SettingsError, effective_config, get_settings, load_settings
from config.settings import Settings

__all__ = ["Settings", "SettingsError", "effective_config", "get_settings", "load_settings"]
