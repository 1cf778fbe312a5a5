"""A local web server for fixture company sites: routes by Host header, records every request, can stall."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

SITES_DIR = Path(__file__).with_name("sites")


@dataclass
class Reply:
    """How the server answers one path: status, body, type, extra headers, a stall, or a streamed huge body."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    stall_seconds: float = 0.0
    stream_bytes: int = 0


def page(name: str, content_type: str = "text/html; charset=utf-8") -> Reply:
    """A fixture HTML file from sites/."""
    return Reply(body=(SITES_DIR / name).read_bytes(), content_type=content_type)


def redirect(location: str, status: int = 301) -> Reply:
    """A redirect to `location` (absolute or relative)."""
    return Reply(status=status, headers={"Location": location})


def robots(text: str) -> Reply:
    """A robots.txt file."""
    return Reply(body=text.encode(), content_type="text/plain")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        site_server = self.server.site_server
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        path = self.path.split("?")[0]
        site_server.record(host, path, self.headers.get("User-Agent", ""))
        reply = site_server.sites.get(host, {}).get(path) or Reply(status=404, body=b"<h1>Not found</h1>")
        if reply.stall_seconds and site_server.stopping.wait(reply.stall_seconds):
            return
        try:
            self._send(reply)
        except (BrokenPipeError, ConnectionResetError):
            return

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.stream_bytes:
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = (b"<p>Book online with our team. " + b"x" * 990 + b"</p>\n")[:1024]
            sent = 0
            while sent < reply.stream_bytes:
                self.wfile.write(chunk)
                sent += len(chunk)
            self.close_connection = True
            return
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, site_server: SiteServer) -> None:
        self.site_server = site_server
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up mid-response are test scenarios."""


class SiteServer:
    """Serves `sites` ({host: {path: Reply}}) on 127.0.0.1 at a free port; `requests` lists (host, path)."""

    def __init__(self, sites: dict[str, dict[str, Reply]]) -> None:
        self.sites = sites
        self.requests: list[tuple[str, str]] = []
        self.user_agents: set[str] = set()
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._server = _Server(self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def record(self, host: str, path: str, user_agent: str) -> None:
        """Remember a request."""
        with self._lock:
            self.requests.append((host, path))
            self.user_agents.add(user_agent)

    def paths_for(self, host: str) -> list[str]:
        """The paths requested from one host, in order."""
        with self._lock:
            return [path for requested_host, path in self.requests if requested_host == host]

    def start(self) -> SiteServer:
        """Start serving in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Release stalled handlers and stop."""
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
