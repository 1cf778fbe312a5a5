"""`fellow serve --workers N`: load the app once, then fork N uvicorn workers that share it.

Uvicorn's own `workers=N` spawns fresh interpreters, each importing and building everything again: N copies of
the NLP pipeline's phrase tables and the models (~470 MB each). Here the parent builds the app (settings, engine,
NLP pipeline, scorer), freezes the heap out of the garbage collector's reach and forks; the children share
those pages copy-on-write and each runs its own event loop on the one listening socket (the kernel spreads
connections). The parent only supervises: a worker that dies is replaced, SIGTERM/SIGINT stop them all.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import socket
import time
from typing import Any

import uvicorn
from structlog import get_logger

from admin_api.app import app_from_environment

log = get_logger(__name__)

RESPAWN_PAUSE_SECONDS = 1.0


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket the workers inherit."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _child(app: Any, sock: socket.socket, access_log: bool, graceful_seconds: int) -> None:
    """Run one uvicorn server on the inherited socket; never returns."""
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGCHLD):
        signal.signal(signum, signal.SIG_DFL)
    code = 0
    try:
        config = uvicorn.Config(
            app,
            log_config=None,
            access_log=access_log,
            timeout_graceful_shutdown=graceful_seconds,
            proxy_headers=False,
            lifespan="on",
        )
        uvicorn.Server(config).run(sockets=[sock])
    except BaseException as exc:  # a child must never fall back into the parent's loop
        log.error("api.worker_failed", error_type=type(exc).__name__, error=str(exc))
        code = 1
    finally:
        os._exit(code)


def serve_forked(*, host: str, port: int, workers: int, access_log: bool, graceful_seconds: int) -> None:
    """Build the app once, fork `workers` servers sharing it, and supervise them until SIGTERM/SIGINT."""
    sock = listen(host, port)
    app = app_from_environment()
    app.state.services.engine.dispose()  # no database connection may be shared across a fork
    gc.collect()
    gc.freeze()
    children: dict[int, int] = {}
    stopping = False

    def spawn(slot: int) -> None:
        pid = os.fork()
        if pid == 0:
            _child(app, sock, access_log, graceful_seconds)
        children[pid] = slot

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for slot in range(workers):
        spawn(slot)
    log.info("api.workers_started", workers=workers, pids=sorted(children))
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        if pid not in children:
            continue
        slot = children.pop(pid)
        if stopping:
            continue
        log.warning("api.worker_died", pid=pid, exit_code=os.waitstatus_to_exitcode(status), slot=slot)
        time.sleep(RESPAWN_PAUSE_SECONDS)
        if not stopping:
            spawn(slot)
    sock.close()
    log.info("api.stopped_workers")
