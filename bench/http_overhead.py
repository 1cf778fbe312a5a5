"""What HTTP adds to the scoring work: server CPU per request over loopback next to the in-process cost.

One client sends requests one after another (no queueing) to `fellow serve`; the server's CPU per request comes
from /proc. The same-run baselines: the same inputs scored in-process in a child process, both the scoring alone
(`Scorer.score`) and scoring plus storing (`ApiScoring.score_many`, what /score does behind HTTP), GET /health
(liveness: the HTTP stack's floor) and `python -c pass`. Ratios: HTTP CPU over in-process scoring, and over
in-process scoring plus storage. Every request names a distinct company so the score cache never answers.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import httpx

from bench.http_score import KEY, _note, cpu_seconds, python_start_ms, start_server

REQUESTS = {"note": 150, "plain": 1000, "health": 3000}
REPEATS = 3

_IN_PROCESS = """
import json, statistics, sys, time
from admin_api.api.services import build_services
from admin_api.runtime.learning_jobs import retrain_job
from config import get_settings
from scoring.domain import ScoreInput
note = sys.stdin.read()
services = build_services(get_settings(), retrain_job=retrain_job)
scorer = services.scorers.current
def cpu_ms(fn, n):
    fn(-1)
    times = []
    for i in range(n):
        started = time.process_time()
        fn(i)
        times.append(time.process_time() - started)
    return statistics.median(times) * 1000
print(json.dumps({
    "note_scorer_ms": cpu_ms(lambda i: scorer.score(ScoreInput(domain=f"a{i}.com", call_notes=note)), 60),
    "note_score_and_store_ms": cpu_ms(
        lambda i: services.scoring.score_many([ScoreInput(domain=f"b{i}.com", call_notes=note)]), 60),
    "plain_scorer_ms": cpu_ms(lambda i: scorer.score(ScoreInput(domain=f"c{i}.com", employees=40)), 400),
    "plain_score_and_store_ms": cpu_ms(
        lambda i: services.scoring.score_many([ScoreInput(domain=f"d{i}.com", employees=40)]), 400),
}))
"""


def _in_process(folder: Path, note: str) -> dict[str, float]:
    env = {**os.environ, "FELLOW_DATABASE_URL": f"sqlite:///{folder}/inproc.db", "FELLOW_LOG_LEVEL": "warning"}
    fellow = str(Path(sys.executable).with_name("fellow"))
    subprocess.run([fellow, "db", "upgrade"], env=env, check=True, capture_output=True)
    out = subprocess.run(
        [sys.executable, "-c", _IN_PROCESS], input=note, env=env, check=True, capture_output=True, text=True
    )
    return {f"in_process_{k}": v for k, v in json.loads(out.stdout.strip().splitlines()[-1]).items()}


def _server_cpu_ms(http: httpx.Client, pid: int, kind: str, note: str) -> float:
    tag = uuid.uuid4().hex[:8]
    n = REQUESTS[kind]
    before = cpu_seconds(pid) or 0.0
    for i in range(n):
        if kind == "health":
            http.get("/health").raise_for_status()
        elif kind == "note":
            http.post("/score", json={"domain": f"n{tag}{i}.com", "call_notes": note}).raise_for_status()
        else:
            http.post("/score", json={"domain": f"p{tag}{i}.com", "employees": 40}).raise_for_status()
    return ((cpu_seconds(pid) or 0.0) - before) / n * 1000


def run() -> dict:
    """Server CPU ms per /score (1,500-word note, no notes) and /health, medians of REPEATS, with baselines."""
    note = _note()
    figures: dict[str, float] = {
        "python_c_pass_ms": python_start_ms(),
        "load_average_1min_start": os.getloadavg()[0],
    }
    with tempfile.TemporaryDirectory() as folder:
        figures |= _in_process(Path(folder), note)
        process, url = start_server(Path(folder))
        try:
            with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {KEY}"}, timeout=60) as http:
                for _ in range(10):
                    http.post("/score", json={"domain": f"warm{uuid.uuid4().hex}.com", "call_notes": note})
                for kind in ("note", "plain", "health"):
                    runs = [_server_cpu_ms(http, process.pid, kind, note) for _ in range(REPEATS)]
                    figures[f"http_{kind}_server_cpu_ms"] = statistics.median(runs)
        finally:
            process.terminate()
            process.wait(timeout=30)
    for kind in ("note", "plain"):
        http_ms = figures[f"http_{kind}_server_cpu_ms"]
        figures[f"{kind}_http_over_scoring"] = http_ms / figures[f"in_process_{kind}_scorer_ms"]
        figures[f"{kind}_http_over_score_and_store"] = http_ms / figures[f"in_process_{kind}_score_and_store_ms"]
    figures["load_average_1min_end"] = os.getloadavg()[0]
    return figures
