"""Base class for the fake services: a threaded HTTP(S) server on 127.0.0.1:0 that records and faults.

Subclasses implement `route()` (request -> endpoint name used for recording and faults) and `handle()`.
"""

from __future__ import annotations

import ssl
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import urlsplit

from tests.fakes.core.faults import Fault, FaultPlan
from tests.fakes.core.messages import Request, Response, parse_body, parse_query
from tests.fakes.core.recording import CallLog, RecordedCall


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def _dispatch(self) -> None:
        self.server.fake._serve(self)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _dispatch

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default stderr access log."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, fake: FakeServer, ssl_context: ssl.SSLContext | None) -> None:
        self.fake = fake
        self.ssl_context = ssl_context
        super().__init__(("127.0.0.1", 0), _Handler)

    def get_request(self) -> tuple[Any, Any]:
        """Accept, wrapping in TLS lazily so the handshake runs in the handler thread."""
        sock, addr = self.socket.accept()
        if self.ssl_context is not None:
            sock = self.ssl_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore clients that hang up or reject our certificate; those are test scenarios, not bugs."""


def _read_body(handler: BaseHTTPRequestHandler) -> bytes:
    if handler.headers.get("Transfer-Encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int(handler.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                handler.rfile.readline()
                return b"".join(chunks)
            chunks.append(handler.rfile.read(size))
            handler.rfile.readline()
    length = int(handler.headers.get("Content-Length") or 0)
    return handler.rfile.read(length) if length else b""


class FakeServer:
    """A fake HTTP service: start()/stop() or `with`, `.url`, recorded calls and fault injection."""

    scheme = "http"

    def __init__(self, ssl_context: ssl.SSLContext | None = None) -> None:
        self.log = CallLog()
        self.faults = FaultPlan()
        self.handler_errors: list[str] = []
        self._ssl_context = ssl_context
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    # lifecycle -------------------------------------------------------------------------------------------
    def start(self) -> Self:
        """Bind 127.0.0.1 on a free port and serve in a daemon thread."""
        if self._server is not None:
            return self
        self._stopping.clear()
        self._server = _Server(self, self._ssl_context)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name=type(self).__name__, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket; in-flight slow responses are cut short."""
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The bound port (the server must be started)."""
        if self._server is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        """Base URL without trailing slash, e.g. http://127.0.0.1:54321."""
        return f"{self.scheme}://127.0.0.1:{self.port}"

    # assertions and faults ------------------------------------------------------------------------------
    def calls(self, endpoint: str | None = None) -> list[RecordedCall]:
        """Recorded requests for an endpoint name (all when None), oldest first."""
        return self.log.calls(endpoint)

    def call_count(self, endpoint: str | None = None) -> int:
        """Number of requests recorded for an endpoint name (all when None), faulted ones included."""
        return self.log.count(endpoint)

    def inject(self, endpoint: str, fault: Fault, times: int = 1) -> None:
        """Serve `fault` for the next `times` calls of `endpoint` ("*" = any endpoint)."""
        self.faults.push(endpoint, fault, times)

    def set_delay(self, endpoint: str, seconds: float) -> None:
        """Delay every response of `endpoint` ("*" = all) by `seconds` until set back to 0."""
        self.faults.set_delay(endpoint, seconds)

    # subclass hooks -------------------------------------------------------------------------------------
    def route(self, request: Request) -> str:
        """Name the endpoint a request targets (used for recording and fault queues)."""
        raise NotImplementedError

    def handle(self, request: Request, endpoint: str) -> Response:
        """Produce the real answer for a request."""
        raise NotImplementedError

    def extra_headers(self, request: Request, endpoint: str) -> dict[str, str]:
        """Headers added to every response, faulted or not (e.g. Salesforce's limit info)."""
        return {}

    # request pipeline -----------------------------------------------------------------------------------
    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        raw = _read_body(handler)
        parts = urlsplit(handler.path)
        headers = dict(handler.headers.items())
        request = Request(
            method=handler.command,
            path=parts.path,
            query=parse_query(parts.query),
            headers=headers,
            raw_body=raw,
            body=parse_body(raw, handler.headers.get("Content-Type")),
        )
        endpoint = self.route(request)
        fault, delay = self.faults.take(endpoint)
        total_delay = delay + (fault.delay if fault else 0.0)
        if total_delay > 0 and self._stopping.wait(total_delay):
            handler.close_connection = True
            return
        faulted = fault is not None and fault.status != 0
        if faulted:
            response = Response(fault.status, fault.body, dict(fault.headers))
        else:
            response = self._safe_handle(request, endpoint)
        self.log.append(
            RecordedCall(
                endpoint=endpoint,
                method=request.method,
                path=request.path,
                query=request.query,
                headers=headers,
                body=request.body,
                raw_body=raw,
                status=response.status,
                faulted=faulted,
            )
        )
        self._write(handler, response, self.extra_headers(request, endpoint))

    def _safe_handle(self, request: Request, endpoint: str) -> Response:
        try:
            return self.handle(request, endpoint)
        except Exception:
            self.handler_errors.append(traceback.format_exc())
            return Response(500, "fake server error (see .handler_errors)")

    @staticmethod
    def _write(handler: BaseHTTPRequestHandler, response: Response, extra: dict[str, str]) -> None:
        body, content_type = response.encoded()
        headers = {"Content-Type": content_type, **extra, **response.headers}
        try:
            handler.send_response(response.status)
            for name, value in headers.items():
                handler.send_header(name, value)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            if handler.command != "HEAD":
                handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            handler.close_connection = True
