"""Cold-start wall and CPU time of `fellow` commands (median of 5 fresh processes each), `python -c pass` the floor.

CPU time (user + system of the child) is reported beside wall time because wall time on a shared machine moves
with the load of other processes; CPU time moves much less. Runs against a temporary SQLite database migrated
and seeded with one company, so `qualify` has something to score; `score` reads a small JSON input.
Every run is a new interpreter, as a user at a terminal would see it.
"""

from __future__ import annotations

import json
import os
import resource
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


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _medians(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Median wall seconds and median CPU seconds of ROUNDS fresh runs of a command."""
    walls, cpus = [], []
    for _ in range(ROUNDS):
        cpu_before, started = _children_cpu(), time.perf_counter()
        subprocess.run(args, env=env, check=True, capture_output=True)
        walls.append(time.perf_counter() - started)
        cpus.append(_children_cpu() - cpu_before)
    return statistics.median(walls), statistics.median(cpus)


def run() -> dict:
    """Median cold-start seconds (wall, CPU) of `--help`, light commands, `score`, `qualify` and a bare interpreter."""
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
        commands = {
            "python_floor": [sys.executable, "-c", "pass"],
            "help": [*fellow, "--help"],
            "config_show": [*fellow, "config", "show"],
            "db_status": [*fellow, "db", "status"],
            "learn_list": [*fellow, "learn", "list"],
            "demo_show": [*fellow, "demo", "show"],
            "score": [*fellow, "score", "--json", str(score_input)],
            "qualify": [*fellow, "qualify", "acme.com"],
        }
        figures: dict[str, float | int] = {}
        for name, args in commands.items():
            figures[f"{name}_s"], figures[f"{name}_cpu_s"] = _medians(args, env)
        figures["load_average_1min"] = os.getloadavg()[0]
        figures["rounds"] = ROUNDS
        return figures
