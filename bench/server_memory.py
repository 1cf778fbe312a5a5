"""Resident memory of `fellow serve` after warm-up (scores with and without notes, dashboard pages)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import httpx

from bench.http_score import KEY, start_server


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("VmRSS not found")


def run() -> dict:
    """RSS in MB of the serving process before and after a bounded warm-up."""
    with tempfile.TemporaryDirectory() as folder:
        process, url = start_server(Path(folder))
        try:
            idle = _rss_mb(process.pid)
            headers = {"Authorization": f"Bearer {KEY}"}
            with httpx.Client(base_url=url, headers=headers, timeout=60) as http:
                note = "They asked for pricing for an AI voice agent handling 20k calls a month. " * 100
                for i in range(200):
                    http.post("/score", json={"domain": f"m{i}.com", "employees": i}).raise_for_status()
                for i in range(20):
                    http.post("/score", json={"domain": f"n{i}.com", "call_notes": note}).raise_for_status()
                http.post("/score/batch", json={"items": [{"domain": f"x{j}.com"} for j in range(100)]})
                for page in ("/dashboard", "/dashboard/insights", "/dashboard/models", "/metrics", "/health"):
                    http.get(page)
            return {"rss_idle_mb": idle, "rss_after_warmup_mb": _rss_mb(process.pid)}
        finally:
            process.terminate()
            process.wait(timeout=30)
