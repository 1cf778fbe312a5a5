"""POST /score and /score/batch over loopback HTTP against `fellow serve` (a real uvicorn subprocess).

Closed loops of 1, 4 and 32 clients, bounded in count and time, only against 127.0.0.1. Each request has a
distinct company so the score cache never answers. Figures: p50/p95/p99 latency (ms), throughput (req/s) and
the server's CPU ms per request (from /proc, so the work is visible apart from waiting on a shared machine).

With 32 clients in a closed loop every client always has a request in flight, so by Little's law the mean
latency is 32 / throughput: on 2 cores the 32-client p99 is bounded below by queueing, not by the service
time. The 1-client figures are the service time; `closed_loop_floor_ms` states the queueing bound.
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
SERIAL_REQUESTS = 60


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


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a process (Linux /proc), or None where that is not readable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


def _figures(prefix: str, latencies: list[float], elapsed: float, cpu: float | None) -> dict[str, float]:
    throughput = len(latencies) / elapsed
    figures = {
        f"{prefix}_p50_ms": _pct(latencies, 50),
        f"{prefix}_p95_ms": _pct(latencies, 95),
        f"{prefix}_p99_ms": _pct(latencies, 99),
        f"{prefix}_throughput_rps": throughput,
    }
    if cpu is not None:
        figures[f"{prefix}_server_cpu_ms_per_req"] = cpu / len(latencies) * 1000
    return figures


def _measure(url: str, pid: int, prefix: str, bodies: list[list[dict]], path: str) -> dict[str, float]:
    before = cpu_seconds(pid)
    latencies, elapsed = _load(url, bodies, path)
    after = cpu_seconds(pid)
    return _figures(prefix, latencies, elapsed, None if before is None or after is None else after - before)


def _split(bodies: list[dict], clients: int) -> list[list[dict]]:
    return [bodies[c::clients] for c in range(clients)]


def run() -> dict:
    """Measure /score with and without a 1,500-word note at 1, 4 and 32 clients, and /score/batch of 100."""
    note = _note()
    figures: dict[str, float] = {"load_average_1min_start": os.getloadavg()[0], "cpu_count": os.cpu_count() or 0}
    with tempfile.TemporaryDirectory() as folder:
        process, url = start_server(Path(folder))
        try:
            warm = [[{"domain": f"warm{i}.com", "call_notes": note}] for i in range(4)]
            _load(url, warm, "/score")
            for clients in (1, 4, CLIENTS):
                count = SERIAL_REQUESTS if clients == 1 else clients * PER_CLIENT * 2
                plain = [{"domain": f"p{clients}-{i}.com", "employees": 10 + i} for i in range(count)]
                figures |= _measure(url, process.pid, f"no_notes_c{clients}", _split(plain, clients), "/score")
            for clients in (1, 4, CLIENTS):
                count = SERIAL_REQUESTS // 2 if clients == 1 else clients * PER_CLIENT
                noted = [{"domain": f"n{clients}-{i}.com", "call_notes": f"{note} ref {i}"} for i in range(count)]
                figures |= _measure(url, process.pid, f"with_1500w_note_c{clients}", _split(noted, clients), "/score")
            batches = [{"items": [{"domain": f"b{k}-{j}.com", "employees": j} for j in range(100)]} for k in range(20)]
            figures |= _measure(url, process.pid, "batch100_c1", [batches], "/score/batch")
            for prefix in ("no_notes", "with_1500w_note"):
                figures[f"{prefix}_c{CLIENTS}_closed_loop_floor_ms"] = (
                    CLIENTS / figures[f"{prefix}_c{CLIENTS}_throughput_rps"] * 1000
                )
            figures["clients"] = CLIENTS
            figures["note_words"] = len(note.split())
            figures["load_average_1min_end"] = os.getloadavg()[0]
        finally:
            process.terminate()
            process.wait(timeout=30)
    return figures
