"""POST /score/batch of 100 leads, one client, against `fellow serve`: p50, p99 and p99/p50 (target <= 3).

BATCHES sequential batches of distinct companies (the cache never answers) after a warm-up, medians of REPEATS
runs; the same-run baseline is the in-process cost of scoring and storing the same 100 leads
(`ApiScoring.score_many` in a child process, so the bench's own memory and imports stay out of the server's).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from bench.http_score import KEY, cpu_seconds, start_server

BATCHES = 150
REPEATS = 3

_IN_PROCESS = """
import os, statistics, time, uuid
from admin_api.api.services import build_services
from admin_api.runtime.learning_jobs import retrain_job
from config import get_settings
from scoring.domain import ScoreInput
services = build_services(get_settings(), retrain_job=retrain_job)
times = []
for n in range(40):
    tag = uuid.uuid4().hex[:8]
    items = [ScoreInput(domain=f"i{tag}-{j}.com", employees=j) for j in range(100)]
    started = time.perf_counter()
    services.scoring.score_many(items)
    times.append(time.perf_counter() - started)
print(statistics.median(times[5:]) * 1000)
"""


def _in_process_ms(folder: Path) -> float:
    env = {**os.environ, "FELLOW_DATABASE_URL": f"sqlite:///{folder}/inproc.db", "FELLOW_LOG_LEVEL": "warning"}
    fellow = str(Path(sys.executable).with_name("fellow"))
    subprocess.run([fellow, "db", "upgrade"], env=env, check=True, capture_output=True)
    out = subprocess.run([sys.executable, "-c", _IN_PROCESS], env=env, check=True, capture_output=True, text=True)
    return float(out.stdout.strip().splitlines()[-1])


def _run(url: str, pid: int) -> dict[str, float]:
    latencies = []
    before = cpu_seconds(pid) or 0.0
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {KEY}"}, timeout=60) as http:
        for _ in range(BATCHES):
            tag = uuid.uuid4().hex[:8]
            body = {"items": [{"domain": f"b{tag}-{j}.com", "employees": j} for j in range(100)]}
            started = time.perf_counter()
            http.post("/score/batch", json=body).raise_for_status()
            latencies.append(time.perf_counter() - started)
    cpu = (cpu_seconds(pid) or 0.0) - before
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "batch100_p50_ms": cuts[49] * 1000,
        "batch100_p99_ms": cuts[98] * 1000,
        "batch100_p99_over_p50": cuts[98] / cuts[49],
        "batch100_server_cpu_ms": cpu / BATCHES * 1000,
    }


def run() -> dict:
    """p50/p99 of /score/batch of 100 (medians of REPEATS runs of BATCHES batches) next to the in-process cost."""
    figures: dict[str, float] = {"load_average_1min_start": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory() as folder:
        figures["in_process_score_many_100_ms"] = _in_process_ms(Path(folder))
        process, url = start_server(Path(folder))
        try:
            _run(url, process.pid)
            runs = [_run(url, process.pid) for _ in range(REPEATS)]
        finally:
            process.terminate()
            process.wait(timeout=30)
    figures |= {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    figures["load_average_1min_end"] = os.getloadavg()[0]
    return figures
