"""A local API key for development: `fellow up`/`fellow serve` create one when none is configured."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from config import Settings

KEY_FILE = "api-key"


def local_key_path(settings: Settings) -> Path:
    """Where the generated development key is kept (readable by the owner only)."""
    return Path(settings.data_dir) / KEY_FILE


def ensure_local_key(settings: Settings) -> Path | None:
    """In development with no FELLOW_API_KEYS, create (once) a random key file and export it to this process
    and its children; returns the file's path, or None when keys are configured or not in development."""
    if settings.api_keys or settings.environment != "development":
        return None
    path = local_key_path(settings)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(32) + "\n")
    os.environ["FELLOW_API_KEYS"] = path.read_text().strip()
    return path
