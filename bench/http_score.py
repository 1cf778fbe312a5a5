"""POST /score and /score/batch over loopback HTTP against `fellow serve` (a real uvicorn subprocess).

32 concurrent clients, bounded in count and time, only against 127.0.0.1. Each request has a distinct company
so the score cache never answers. Figures: p50/p95/p99 latency (ms) and throughput (req/s).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

KEY = "bench-key-1234567890"
CLIENTS = 32
PER_CLIENT = 15
NOTE_WORDS = 1500


def _note() -> str:
    from store.sample_data import generate_sample

    words = " ".join(call.notes or "" for call in generate_sample(40, 11).calls).split()
    return " ".join(words[:NOTE_WORDS])


def start_server(folder: Path, port: int = 0) -> tuple[subprocess.Popen[bytes], str]:
    """Run `fellow serve` on a free loopback port with a fresh SQLite database; returns (process, base URL)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", port))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "FELLOW_DATABASE_URL": f"sqlite:///{folder}/bench.db",
        "FELLOW_API_KEYS": KEY,
        "FELLOW_DATA_DIR": str(folder),
        "FELLOW_LOG_LEVEL": "warning",
    }
    fellow = str(Path(sys.executable).with_name("fellow"))
    subprocess.run([fellow, "db", "upgrade"], env=env, check=True, capture_output=True)
    process = subprocess.Popen(
        [fellow, "serve", "--host", "127.0.0.1", "--port", str(port), "--no-access-log"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("server did not become healthy")


def _load(url: str, bodies: list[list[dict]], path: str) -> tuple[list[float], float]:
    latencies: list[float] = []
    lock = threading.Lock()

    def client(items: list[dict]) -> None:
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {KEY}"}, timeout=60) as http:
            for body in items:
                started = time.perf_counter()
                http.post(path, json=body).raise_for_status()
                with lock:
                    latencies.append(time.perf_counter() - started)

    threads = [threading.Thread(target=client, args=(items,)) for items in bodies]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - started


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[q - 1] * 1000 if len(values) > 1 else values[0] * 1000


def _figures(prefix: str, latencies: list[float], elapsed: float) -> dict[str, float]:
    return {
        f"{prefix}_p50_ms": _pct(latencies, 50),
        f"{prefix}_p95_ms": _pct(latencies, 95),
        f"{prefix}_p99_ms": _pct(latencies, 99),
        f"{prefix}_throughput_rps": len(latencies) / elapsed,
    }


def run() -> dict:
    """Measure /score with and without a 1,500-word note (32 clients) and /score/batch of 100."""
    note = _note()
    with tempfile.TemporaryDirectory() as folder:
        process, url = start_server(Path(folder))
        try:
            warm = [[{"domain": f"warm{i}.com", "call_notes": note}] for i in range(4)]
            _load(url, warm, "/score")
            plain = [
                [{"domain": f"p{c}-{i}.com", "employees": 10 + i} for i in range(PER_CLIENT * 2)]
                for c in range(CLIENTS)
            ]
            figures = _figures("no_notes", *_load(url, plain, "/score"))
            noted = [
                [{"domain": f"n{c}-{i}.com", "call_notes": f"{note} ref {c}-{i}"} for i in range(PER_CLIENT)]
                for c in range(CLIENTS)
            ]
            figures |= _figures("with_1500w_note", *_load(url, noted, "/score"))
            batches = [
                [{"items": [{"domain": f"b{k}-{j}.com", "employees": j} for j in range(100)]} for k in range(10)]
            ]
            latencies, _ = _load(url, batches, "/score/batch")
            figures["batch100_p50_ms"] = statistics.median(latencies) * 1000
            figures["batch100_max_ms"] = max(latencies) * 1000
            figures["clients"] = CLIENTS
            figures["note_words"] = len(note.split())
        finally:
            process.terminate()
            process.wait(timeout=30)
    return figures
