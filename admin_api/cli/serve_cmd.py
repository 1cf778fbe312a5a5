"""`fellow serve`: the API, dashboard and Slack endpoints under uvicorn, with graceful shutdown."""

from __future__ import annotations

import errno
import socket

import typer
from structlog import get_logger

from admin_api.cli.common import fail, friendly_errors, load_settings_for_cli, open_database
from admin_api.cli.local_key import ensure_local_key
from config import Settings, get_settings

log = get_logger(__name__)

GRACEFUL_SECONDS = 20


def ensure_port_free(host: str, port: int) -> None:
    """Refuse at once (one line, exit 2) when the address cannot be bound, before the database or models load."""
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as exc:
        raise fail(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds: TIME_WAIT is no conflict
        try:
            probe.bind(address)
        except OSError as exc:
            reason = "is already in use" if exc.errno == errno.EADDRINUSE else f"cannot be bound ({exc.strerror})"
            raise fail(f"{host}:{port} {reason}; stop what listens there or choose another --port") from None


def prepare(settings: Settings) -> Settings:
    """Check the schema is current and provide a local key in development; returns the settings to serve with."""
    open_database(settings).dispose()
    key_file = ensure_local_key(settings)
    if key_file is None:
        return settings
    get_settings.cache_clear()
    log.info("api.local_key", path=str(key_file), hint=f"sign in to the dashboard with the key in {key_file}")
    return load_settings_for_cli()


def run_server(settings: Settings, *, host: str, port: int, workers: int, access_log: bool) -> None:
    """Run uvicorn until SIGINT/SIGTERM; in-flight requests get GRACEFUL_SECONDS to finish. Several workers are
    forked from one process that loaded the app first, so they share the model and the NLP pipeline."""
    import uvicorn

    log.info("api.serving", url=f"http://{host}:{port}", workers=workers, docs=f"http://{host}:{port}/docs")
    if workers > 1:
        from admin_api.cli.prefork import serve_forked

        serve_forked(host=host, port=port, workers=workers, access_log=access_log, graceful_seconds=GRACEFUL_SECONDS)
        return
    uvicorn.run(
        "admin_api.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        access_log=access_log,
        timeout_graceful_shutdown=GRACEFUL_SECONDS,
        proxy_headers=False,
    )


@friendly_errors
def serve(
    host: str | None = typer.Option(None, help="Interface to bind (default FELLOW_HOST)."),
    port: int | None = typer.Option(None, min=0, max=65535, help="Port (default FELLOW_PORT)."),
    workers: int | None = typer.Option(None, min=1, max=64, help="Worker processes (default api.workers)."),
    access_log: bool = typer.Option(True, help="Log every request line."),
) -> None:
    """Serve the scoring/admin API, the dashboard (/dashboard), docs (/docs) and Slack endpoints when configured."""
    settings = load_settings_for_cli()
    host, port = host or settings.host, settings.port if port is None else port
    ensure_port_free(host, port)
    run_server(prepare(settings), host=host, port=port, workers=workers or settings.api.workers, access_log=access_log)
