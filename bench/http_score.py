"""POST /score and /score/batch over loopback HTTP against `fellow serve` (a real uvicorn subprocess).

The load generator is wrk (C, epoll; Debian package `wrk`): a Python client on the same 2 cores would take a
core of its own and add its GIL waits to every latency it measures. Closed loops of 1 and 32 clients for
WRK_SECONDS each, REPEATS runs, medians reported, only against 127.0.0.1. Each request has a distinct company
so the score cache never answers. Figures: p50/p99 latency (ms), throughput (req/s) and the server's CPU ms
per request (from /proc). GET /health at 32 clients is the same-run baseline: the HTTP stack's own floor.

With 32 clients in a closed loop every client always has a request in flight, so by Little's law the mean
latency is 32 / throughput: on 2 cores the 32-client p99 is bounded below by queueing, not by the service
time. The 1-client figures are the service time; `closed_loop_floor_ms` states the queueing bound.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx

KEY = "bench-key-1234567890"
CLIENTS = 32
NOTE_WORDS = 1500


def _note() -> str:
    from admin_api.demo.sample_data import generate_sample

    words = " ".join(call.notes or "" for call in generate_sample(40, 11).calls).split()
    return " ".join(words[:NOTE_WORDS])


def start_server(
    folder: Path, port: int = 0, workers: int = 1, extra_env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
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
        **(extra_env or {}),
    }
    fellow = str(Path(sys.executable).with_name("fellow"))
    subprocess.run([fellow, "db", "upgrade"], env=env, check=True, capture_output=True)
    process = subprocess.Popen(
        [fellow, "serve", "--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--workers", str(workers)],
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


def python_start_ms() -> float:
    """Milliseconds to start and stop a bare interpreter: the same-run baseline for how fast the machine is now."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return (time.perf_counter() - started) * 1000


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


def _pct(values: list[float], q: int) -> float:
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


WRK_SECONDS = 6
REPEATS = 3
_WRK_SCRIPT = """
local threads = 0
local n = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", RUN .. "-" .. threads)
end
function request()
  n = n + 1
  local body = string.format(TEMPLATE, tid .. "-" .. n, n % 500 + 10)
  return wrk.format(METHOD, PATH, {["Content-Type"] = "application/json", ["Authorization"] = "Bearer KEY"}, body)
end
"""
_WRK_PERCENTILE = re.compile(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
_WRK_RATE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.M)
_WRK_ERRORS = re.compile(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)")
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _lua_string(text: str) -> str:
    return "[==[" + text.replace("]==]", "] ==]") + "]==]"


def _wrk(url: str, pid: int, folder: Path, prefix: str, clients: int, template: str, method: str, path: str) -> dict:
    """One closed-loop wrk run (`clients` connections, each sends its next request when answered); every request
    has a distinct domain so the score cache never answers."""
    script = folder / f"{prefix}.lua"
    script.write_text(
        f"TEMPLATE = {_lua_string(template)}\nMETHOD = {_lua_string(method)}\nPATH = {_lua_string(path)}\n"
        f"RUN = {_lua_string(uuid.uuid4().hex[:12])}\n" + _WRK_SCRIPT.replace("KEY", KEY)
    )
    before = cpu_seconds(pid)
    out = subprocess.run(
        ["wrk", "-t1", f"-c{clients}", f"-d{WRK_SECONDS}s", "--latency", "-s", str(script), url],
        capture_output=True, text=True, check=True, timeout=WRK_SECONDS + 60,
    ).stdout  # fmt: skip
    after = cpu_seconds(pid)
    errors = _WRK_ERRORS.search(out)
    if errors:
        raise RuntimeError(f"wrk saw failed requests: {errors.group(0)}")
    latency = {int(q): float(v) * _UNIT_MS[u] for q, v, u in _WRK_PERCENTILE.findall(out)}
    rate_line = _WRK_RATE.search(out)
    if rate_line is None:
        raise RuntimeError(f"wrk printed no request rate: {out[-300:]!r}")
    rate = float(rate_line.group(1))
    figures = {f"{prefix}_p50_ms": latency[50], f"{prefix}_p99_ms": latency[99], f"{prefix}_throughput_rps": rate}
    if before is not None and after is not None:
        figures[f"{prefix}_server_cpu_ms_per_req"] = (after - before) / (rate * WRK_SECONDS) * 1000
    return figures


def _median_runs(runs: list[dict]) -> dict:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def run() -> dict:
    """POST /score with and without a 1,500-word note at 1 and 32 clients (wrk, medians of REPEATS runs), GET
    /health at 32 clients as the same-run floor of the HTTP stack, and /score/batch of 100 (httpx, 1 client)."""
    if shutil.which("wrk") is None:
        return {"skipped": "needs wrk, a C load generator (Debian: apt-get install wrk)"}
    note = _note()
    figures: dict[str, float] = {"load_average_1min_start": os.getloadavg()[0], "cpu_count": os.cpu_count() or 0}
    plain = '{"domain": "p%s.com", "employees": %d}'
    noted = '{"domain": "n%s.com", "call_notes": ' + json.dumps(note).replace("%", "%%")[:-1] + ' ref %d"}'
    with tempfile.TemporaryDirectory() as folder:
        process, url = start_server(Path(folder))
        try:
            _load(url, [[{"domain": f"warm{i}.com", "call_notes": note}] for i in range(4)], "/score")
            cases = [
                ("health_c32", CLIENTS, "", "GET", "/health"),
                ("no_notes_c1", 1, plain, "POST", "/score"),
                (f"no_notes_c{CLIENTS}", CLIENTS, plain, "POST", "/score"),
                ("with_1500w_note_c1", 1, noted, "POST", "/score"),
                (f"with_1500w_note_c{CLIENTS}", CLIENTS, noted, "POST", "/score"),
            ]
            for prefix, clients, template, method, path in cases:
                runs = [
                    _wrk(url, process.pid, Path(folder), prefix, clients, template, method, path)
                    for _ in range(REPEATS)
                ]
                figures |= _median_runs(runs)
            batches = [{"items": [{"domain": f"b{k}-{j}.com", "employees": j} for j in range(100)]} for k in range(60)]
            figures |= _measure(url, process.pid, "batch100_c1", [batches], "/score/batch")
            for prefix in ("no_notes", "with_1500w_note"):
                figures[f"{prefix}_c{CLIENTS}_closed_loop_floor_ms"] = (
                    CLIENTS / figures[f"{prefix}_c{CLIENTS}_throughput_rps"] * 1000
                )
                figures[f"{prefix}_c{CLIENTS}_p50_vs_health"] = (
                    figures[f"{prefix}_c{CLIENTS}_p50_ms"] / figures["health_c32_p50_ms"]
                )
            figures["clients"] = CLIENTS
            figures["note_words"] = len(note.split())
            figures["load_average_1min_end"] = os.getloadavg()[0]
        finally:
            process.terminate()
            process.wait(timeout=30)
    return figures
