"""Value checks shared by the settings fields, with messages that say what is allowed."""

from __future__ import annotations

import math
import re
from collections import Counter
from urllib.parse import urlsplit

PLACEHOLDER_SECRETS = frozenset({"changeme", "change-me", "changethis", "secret", "xxx", "todo", "placeholder", "test"})
SUPPORTED_DATABASES = ("sqlite", "postgresql")
MIN_SECRET_LENGTH = 20
MIN_SECRET_BITS = 64.0
# SQLAlchemy's URL grammar (sqlalchemy.engine.url._parse_url), read here without loading SQLAlchemy: a backend
# name with an optional `+driver`, `://`, then an optional `user[:password]@` where the password runs to the first '@'.
_URL_HEAD = re.compile(r"^(?P<name>[\w+]+)://")
_URL_PASSWORD = re.compile(r"^(?P<head>[\w+]+://[^:/]*:)(?P<password>[^@]*)(?P<tail>@.*)$", re.DOTALL)
SECRET_HINT = 'generate one with: python -c "import secrets; print(secrets.token_urlsafe(32))"'


def check_http_url(value: str, *, require_https: bool = False) -> str:
    """Accept only absolute http(s) URLs with a host, so a typo fails at start and not on first use."""
    parts = urlsplit(value.strip())
    allowed = ("https",) if require_https else ("http", "https")
    if parts.scheme not in allowed or not parts.netloc:
        raise ValueError(f"must be an absolute {' or '.join(allowed)} URL with a host, got {value!r}")
    return value.strip()


def check_database_url(value: str) -> str:
    """Accept SQLAlchemy URLs for the two supported backends (SQLite, PostgreSQL)."""
    head = _URL_HEAD.match(value)
    if head is None:
        raise ValueError("is not a SQLAlchemy URL (expected backend[+driver]://...)")
    backend = head["name"].partition("+")[0]
    if backend not in SUPPORTED_DATABASES:
        raise ValueError(f"backend {backend!r} is not supported; use one of {SUPPORTED_DATABASES}")
    return value


def hide_url_password(url: str) -> str:
    """A database URL with its password replaced by `***`, as SQLAlchemy renders it."""
    match = _URL_PASSWORD.match(url)
    return url if match is None else f"{match['head']}***{match['tail']}"


def refuse_placeholder(name: str, secret: str) -> None:
    """Refuse empty or well-known placeholder secrets in production."""
    if not secret.strip() or secret.strip().lower() in PLACEHOLDER_SECRETS:
        raise ValueError(f"{name} holds a placeholder value; set a real secret in production")


def entropy_bits(secret: str) -> float:
    """An estimate of a secret's strength: its length times the Shannon entropy of its own characters."""
    counts = Counter(secret)
    per_char = -sum(n / len(secret) * math.log2(n / len(secret)) for n in counts.values()) if secret else 0.0
    return per_char * len(secret)


def refuse_weak(name: str, secret: str) -> None:
    """Refuse short or low-entropy secrets (API keys, signing and webhook secrets) in production."""
    refuse_placeholder(name, secret)
    if len(secret) < MIN_SECRET_LENGTH or entropy_bits(secret) < MIN_SECRET_BITS:
        raise ValueError(
            f"{name} is too weak for production (at least {MIN_SECRET_LENGTH} characters and about "
            f"{MIN_SECRET_BITS:.0f} bits of randomness); {SECRET_HINT}"
        )
