"""Open-loop latency at fixed arrival rates against `fellow serve` (1 and 2 forked workers), plus throughput.

Requests are sent at fixed times (i / rate from the start), whatever the server is doing: a slow answer does not
delay the next send, and each latency is measured from the request's *scheduled* time, so queueing behind a
stall is counted (no coordinated omission). The generator is one asyncio (uvloop) process writing pre-built
HTTP/1.1 requests on keep-alive connections (a new connection only when all are busy); its own CPU is reported,
since on 2 cores it competes with the server. Every request names a distinct company so the score cache never
answers. Rates: 60 req/s with a 1,500-word note and 300 req/s without notes; GET /health (liveness) at 300 req/s
is the same-run floor of the HTTP stack. Throughput with notes at 1 and 2 API workers comes from wrk closed loops
(8 clients). Medians of REPEATS runs; the load average is printed because other work on the machine shows up in
every figure.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from bench.http_score import KEY, _note, _wrk, cpu_seconds, python_start_ms, start_server

SECONDS = 10.0
REPEATS = 3
IDLE_SECONDS = 2.0
WRK_CLIENTS = 8


def _request(method: str, path: str, body: bytes | None) -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {KEY}\r\n"
    if body is None:
        return (head + "\r\n").encode()
    return (head + f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    """Send one request and read its whole response; returns the status code."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    await reader.readexactly(length)
    return status


async def _open_loop(port: int, requests: list[bytes], rate: float) -> tuple[list[float], list[str], float, int]:
    """Send `requests` at `rate` per second; (latencies from the scheduled send time, failures, generator CPU s,
    connections opened: many more than rate x service time means the server fell behind)."""
    idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = []
    opened = 0
    latencies: list[float] = []
    failures: list[str] = []

    async def one(request: bytes, scheduled: float) -> None:
        nonlocal opened
        while idle and time.perf_counter() - idle[0][2] > IDLE_SECONDS:
            idle.pop(0)[1].close()  # uvicorn closes keep-alive connections idle for 5 s; never reuse one that old
        writer = None
        try:
            if idle:
                reader, writer, _ = idle.pop()
            else:
                opened += 1
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            status = await _exchange(reader, writer, request)
        except (OSError, asyncio.IncompleteReadError) as exc:
            failures.append(type(exc).__name__)
            if writer is not None:
                writer.close()
            return
        latencies.append(time.perf_counter() - scheduled)
        if status != 200:
            failures.append(f"HTTP {status}")
        idle.append((reader, writer, time.perf_counter()))

    cpu = time.process_time()
    start = time.perf_counter() + 0.05  # perf_counter, not loop.time(): uvloop's clock has 1 ms steps
    tasks = []
    for n, request in enumerate(requests):
        scheduled = start + n / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(request, scheduled)))
    await asyncio.gather(*tasks)
    cpu = time.process_time() - cpu
    for _, writer, _ in idle:
        writer.close()
    return latencies, failures, cpu, opened


def _pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


def _server_cpu(pids: list[int]) -> float:
    return sum(cpu_seconds(pid) or 0.0 for pid in pids)


def _pids(parent: int) -> list[int]:
    children = set()
    for task in Path(f"/proc/{parent}/task").iterdir():
        children |= {int(pid) for pid in (task / "children").read_text().split()}
    return [parent, *sorted(children)]


def _case(port: int, pids: list[int], prefix: str, rate: float, make: object, strict: bool = True) -> dict[str, float]:
    """REPEATS open-loop runs of SECONDS at `rate`; medians of p50, p99, generator and server CPU."""
    import uvloop

    runs = []
    for _ in range(REPEATS):
        tag = uuid.uuid4().hex[:8]
        requests = [make(f"{tag}-{n}") for n in range(int(rate * SECONDS))]  # type: ignore[operator]
        before = _server_cpu(pids)
        latencies, failures, generator_cpu, opened = uvloop.run(_open_loop(port, requests, rate))
        server = _server_cpu(pids) - before
        if failures and strict:
            raise RuntimeError(f"{prefix}: {len(failures)} failed requests: {sorted(set(failures))}")
        runs.append(
            {
                f"{prefix}_p50_ms": _pct(latencies, 50),
                f"{prefix}_p99_ms": _pct(latencies, 99),
                f"{prefix}_max_ms": max(latencies) * 1000,
                f"{prefix}_generator_cpu_pct": generator_cpu / SECONDS * 100,
                f"{prefix}_server_cpu_pct": server / SECONDS * 100,
                f"{prefix}_server_cpu_ms_per_req": server / len(latencies) * 1000,
                f"{prefix}_connections": opened,
            }
        )
        time.sleep(1)
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def _serve(folder: Path, workers: int, note: str) -> dict[str, float]:
    figures: dict[str, float] = {}
    process, url = start_server(folder, workers=workers)
    port = int(url.rsplit(":", 1)[1])
    try:
        time.sleep(2)
        pids = _pids(process.pid)
        noted = json.dumps({"call_notes": note})[1:-1]
        with_note = lambda tag: _request("POST", "/score", f'{{"domain": "n{tag}.com", {noted}}}'.encode())  # noqa: E731
        plain = lambda tag: _request("POST", "/score", b'{"domain": "p%s.com", "employees": 40}' % tag.encode())  # noqa: E731
        health = lambda _tag: _request("GET", "/health", None)  # noqa: E731
        _case(port, pids, "warm", 20, with_note, strict=False)
        w = f"w{workers}"
        figures |= _case(port, pids, f"{w}_health_300rps", 300, health)
        figures |= _case(port, pids, f"{w}_note1500_60rps", 60, with_note)
        figures |= _case(port, pids, f"{w}_no_notes_300rps", 300, plain)
        if shutil.which("wrk"):
            template = '{"domain": "t%s.com", "call_notes": ' + json.dumps(note).replace("%", "%%")[:-1] + ' ref %d"}'
            runs = [
                _wrk(url, process.pid, folder, f"{w}_note1500_c{WRK_CLIENTS}", WRK_CLIENTS, template, "POST", "/score")
                for _ in range(REPEATS)
            ]
            key = f"{w}_note1500_c{WRK_CLIENTS}_throughput_rps"
            figures[key] = statistics.median(run[key] for run in runs)
    finally:
        process.terminate()
        process.wait(timeout=60)
    return figures


def run() -> dict:
    """Open-loop p50/p99 at 60 req/s with notes and 300 req/s without, for 1 and 2 API workers, with baselines."""
    note = _note()
    figures: dict[str, float] = {
        "python_c_pass_ms": python_start_ms(),
        "cpu_count": os.cpu_count() or 0,
        "load_average_1min_start": os.getloadavg()[0],
        "note_words": len(note.split()),
        "seconds_per_run": SECONDS,
        "repeats": REPEATS,
    }
    for workers in (1, 2):
        with tempfile.TemporaryDirectory() as folder:
            figures |= _serve(Path(folder), workers, note)
    figures["load_average_1min_end"] = os.getloadavg()[0]
    return figures
