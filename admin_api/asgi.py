"""The ASGI entry point uvicorn imports in each worker process: settings from the environment, logging on."""

from __future__ import annotations

from fastapi import FastAPI

from admin_api.app import create_app
from config import get_settings
from config.logs import configure_logging


def app_from_environment() -> FastAPI:
    """Build the app from FELLOW_* settings (uvicorn calls this once per worker process)."""
    settings = get_settings()
    configure_logging(settings)
    return create_app(settings)
