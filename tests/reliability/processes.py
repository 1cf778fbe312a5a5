"""Run `fellow` commands as real child processes (the way production runs them) and wait on conditions."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import SecretStr

ROOT = Path(__file__).resolve().parents[2]


def fellow_env(values: dict[str, Any]) -> dict[str, str]:
    """The parent environment without FELLOW_* variables, plus `values` as FELLOW_* (nested with `__`)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FELLOW_")}
    env["PYTHONUNBUFFERED"] = "1"

    def put(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                put(f"{prefix}__{key.upper()}", inner)
        elif isinstance(value, SecretStr):
            env[prefix] = value.get_secret_value()
        elif isinstance(value, list | tuple):
            env[prefix] = ",".join(str(v) for v in value)
        else:
            env[prefix] = str(value)

    for key, value in values.items():
        put(f"FELLOW_{key.upper()}", value)
    return env


def wait_until(
    condition: Callable[[], bool],
    *,
    timeout: float = 300.0,
    what: str = "condition",
    alive: subprocess.Popen[bytes] | None = None,
    log_file: Path | None = None,
) -> None:
    """Poll `condition` until it holds; fail with `what` after `timeout` (a liveness bound, not a speed check),
    or at once when the `alive` process has exited (showing the end of its `log_file`)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if alive is not None and alive.poll() is not None:
            tail = log_file.read_text(errors="replace")[-3000:] if log_file else ""
            raise AssertionError(f"process exited ({alive.returncode}) while waiting for {what}:\n{tail}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@contextmanager
def fellow_process(args: list[str], env: dict[str, str], log_file: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`python -m admin_api.cli ARGS` with output to `log_file`; stopped with SIGTERM (then SIGKILL) on exit."""
    with log_file.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "admin_api.cli", *args], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes], timeout: float = 30.0) -> int:
    """SIGTERM and wait (SIGKILL if it does not stop); returns the exit status."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return int(process.returncode)


def kill9(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL: the process gets no chance to finish its batch."""
    process.send_signal(signal.SIGKILL)
    process.wait()
