"""Cold-start wall time of `fellow` commands (median of 5 fresh processes each), with `python -c pass` as the floor.

Runs against a temporary SQLite database migrated and seeded with one company, so `qualify` has something to
score; `score` reads a small JSON input. Every run is a new interpreter, as a user at a terminal would see it.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from store.db import make_engine, session_scope
from store.migrate import upgrade
from store.repositories.companies import upsert_company

ROUNDS = 5


def _median_seconds(args: list[str], env: dict[str, str]) -> float:
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        subprocess.run(args, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run() -> dict:
    """Median cold-start seconds of `--help`, `config show`, `score`, `qualify` and of a bare interpreter."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        engine = make_engine(url)
        upgrade(engine)
        with session_scope(engine) as session:
            upsert_company("acme.com", session=session, name="Acme Telecom", industry="Telecommunications")
        engine.dispose()
        score_input = Path(folder) / "in.json"
        score_input.write_text(json.dumps({"company_name": "Acme Corp", "domain": "acme.com", "employees": "50-100"}))
        env = {
            **os.environ,
            "FELLOW_DATABASE_URL": url,
            "FELLOW_ENVIRONMENT": "development",
            "FELLOW_LOG_LEVEL": "error",
        }
        fellow = [sys.executable, "-m", "admin_api.cli"]
        return {
            "python_floor_s": _median_seconds([sys.executable, "-c", "pass"], env),
            "help_s": _median_seconds([*fellow, "--help"], env),
            "config_show_s": _median_seconds([*fellow, "config", "show"], env),
            "score_s": _median_seconds([*fellow, "score", "--json", str(score_input)], env),
            "qualify_s": _median_seconds([*fellow, "qualify", "acme.com"], env),
            "rounds": ROUNDS,
        }
