"""Run an ASGI app under a real uvicorn server on 127.0.0.1, port 0, in a background thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI


@contextmanager
def live_server(app: FastAPI, *, startup_timeout: float = 30.0) -> Iterator[str]:
    """Serve `app` on a free loopback port and yield its base URL; shut down gracefully on exit."""
    config = uvicorn.Config(  # no proxy_headers, as `fellow serve`: the app itself decides whom to believe
        app, host="127.0.0.1", port=0, log_config=None, access_log=False, lifespan="on", proxy_headers=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
