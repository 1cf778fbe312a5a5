"""Production refuses weak secrets at start-up: `fellow serve` exits 2 with one line naming the variable, never
its value, for secrets too short or too repetitive (length and entropy), before touching the database."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.reliability.processes import fellow_env

STRONG_KEY = "Zq3v8K1pXw0bT6yN2mR9sLd4hJ7cFa5g"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("api_keys", "k"),
        ("api_keys", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        ("slack_signing_secret", "x"),
        ("slack_signing_secret", "abcabcabcabcabcabcabcabcabcabc"),
        ("salesforce_webhook_secret", "0101010101010101010101010101"),
        ("fellow_webhook_secret", "Zq3v8K1pXw0bT6y"),
    ],
)
def test_serve_in_production_refuses_a_weak_secret_by_name(variable: str, value: str) -> None:
    values = {"environment": "production", "api_keys": STRONG_KEY, "database_url": "sqlite:////nonexistent/x.db"}
    values[variable] = value
    run = subprocess.run(
        [sys.executable, "-m", "admin_api.cli", "serve", "--port", "9"],
        env=fellow_env(values),
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = run.stderr.strip().splitlines()
    assert run.returncode == 2 and len(lines) == 1, run.stderr
    assert lines[0].startswith(f"error: FELLOW_{variable.upper()} is too weak for production")
    if len(value) > 1:  # a one-character value occurs in any sentence
        assert value not in run.stderr and value not in run.stdout
