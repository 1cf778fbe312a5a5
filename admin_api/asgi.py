"""The ASGI entry point uvicorn imports in each worker process: settings from the environment, logging on."""

from __future__ import annotations

import gc

from fastapi import FastAPI

from admin_api.app import create_app
from config import get_settings
from config.logs import configure_logging

GC_THRESHOLDS = (20_000, 20, 50)  # allocations before a young collection; young/middle collections per older one


def settle_heap() -> None:
    """Keep the garbage collector off what start-up built and make it run less often.

    The NLP pipeline, lexicons and models are millions of long-lived objects; every full collection walked them
    all, 100-200 ms that landed on whichever request triggered it (the p99). Frozen, they are never scanned."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def app_from_environment() -> FastAPI:
    """Build the app from FELLOW_* settings (uvicorn calls this once per worker process)."""
    settings = get_settings()
    configure_logging(settings)
    app = create_app(settings)
    settle_heap()
    return app
