"""Resident memory of `fellow serve` after warm-up and with a full score cache, for 1 worker and 2 forked workers.

The score cache is bounded in bytes (`api.score_cache_max_bytes`); FILL_ITEMS distinct leads (batches of 100,
plus some with notes, whose evidence quotes make results large) are more than the default budget holds, so the
cache is full and evicting at the end. For every process: RSS (VmRSS) and PSS (proportional share of pages
shared with the other processes, from /proc/<pid>/smaps_rollup): with `--workers 2` the workers share what the
parent loaded before forking. The target is < 500 MB RSS per process.
"""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

import httpx

from bench.http_score import KEY, start_server

FILL_ITEMS = 24_000


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("VmRSS not found")


def _pss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("Pss not found")


def _processes(parent: int) -> list[int]:
    children: set[int] = set()
    for task in Path(f"/proc/{parent}/task").iterdir():
        children |= {int(pid) for pid in (task / "children").read_text().split()}
    return [parent, *sorted(children)]


def _snapshot(prefix: str, parent: int) -> dict[str, float]:
    figures: dict[str, float] = {}
    for n, pid in enumerate(_processes(parent)):
        name = "parent" if n == 0 else f"worker{n}"
        figures[f"{prefix}_{name}_rss_mb"] = _rss_mb(pid)
        figures[f"{prefix}_{name}_pss_mb"] = _pss_mb(pid)
    return figures


def _fill(url: str) -> None:
    headers = {"Authorization": f"Bearer {KEY}"}
    note = "They asked for pricing for an AI voice agent handling 20k calls a month. " * 100
    tag = uuid.uuid4().hex[:8]
    with httpx.Client(base_url=url, headers=headers, timeout=120) as http:
        for i in range(200):
            http.post("/score", json={"domain": f"m{tag}{i}.com", "employees": i}).raise_for_status()
        for i in range(300):
            http.post("/score", json={"domain": f"n{tag}{i}.com", "call_notes": f"{note} ref {i}"}).raise_for_status()
        for k in range(FILL_ITEMS // 100):
            items = [{"domain": f"x{tag}-{k}-{j}.com", "employees": j} for j in range(100)]
            http.post("/score/batch", json={"items": items}).raise_for_status()
        for page in ("/dashboard", "/dashboard/insights", "/dashboard/models", "/metrics", "/ready"):
            http.get(page)


def run() -> dict:
    """RSS and PSS per process: idle, and after warm-up with a full score cache; 1 worker, then 2 forked workers."""
    figures: dict[str, float] = {"fill_items": FILL_ITEMS}
    for workers in (1, 2):
        with tempfile.TemporaryDirectory() as folder:
            process, url = start_server(Path(folder), workers=workers)
            try:
                figures |= _snapshot(f"w{workers}_idle", process.pid)
                _fill(url)
                figures |= _snapshot(f"w{workers}_full_cache", process.pid)
            finally:
                process.terminate()
                process.wait(timeout=60)
    return figures
