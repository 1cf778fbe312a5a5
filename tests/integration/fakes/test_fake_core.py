"""The shared fake-server machinery: wildcard faults, standing delays, call log, handler errors."""

from __future__ import annotations

import httpx
import pytest

from tests.fakes.core import FakeServer, Fault, Request, Response


class EchoServer(FakeServer):
    """Minimal fake: endpoint = first path segment; /boom raises inside the handler."""

    def route(self, request: Request) -> str:
        return request.path.strip("/").split("/")[0] or "root"

    def handle(self, request: Request, endpoint: str) -> Response:
        if endpoint == "boom":
            raise RuntimeError("handler bug")
        return Response(200, {"endpoint": endpoint, "body": request.body})


@pytest.fixture
def echo() -> EchoServer:
    with EchoServer() as server:
        yield server


def test_wildcard_fault_hits_whichever_endpoint_comes_next(echo: EchoServer) -> None:
    echo.inject("*", Fault(503, {"error": "down"}), times=2)
    statuses = [httpx.get(f"{echo.url}/{name}", timeout=5).status_code for name in ("a", "b", "a")]
    assert statuses == [503, 503, 200]
    assert echo.faults.pending() == 0


def test_specific_faults_win_over_wildcard_and_keep_order(echo: EchoServer) -> None:
    echo.inject("*", Fault(500))
    echo.inject("a", Fault(418))
    echo.inject("a", Fault(429, headers={"Retry-After": "2"}))
    responses = [httpx.get(f"{echo.url}/a", timeout=5) for _ in range(4)]
    assert [r.status_code for r in responses] == [418, 429, 500, 200]
    assert responses[1].headers["Retry-After"] == "2"


def test_call_log_records_parsed_bodies_and_form_fields(echo: EchoServer) -> None:
    httpx.post(f"{echo.url}/json", json={"x": 1}, timeout=5)
    httpx.post(f"{echo.url}/form?q=1", data={"a": "b"}, timeout=5)
    json_call, form_call = echo.calls()
    assert (json_call.endpoint, json_call.body) == ("json", {"x": 1})
    assert (form_call.body, form_call.query) == ({"a": "b"}, {"q": ["1"]})
    echo.log.clear()
    assert echo.call_count() == 0


def test_standing_delay_applies_until_cleared(echo: EchoServer) -> None:
    echo.set_delay("slow", 3)
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(f"{echo.url}/slow", timeout=0.2)
    echo.set_delay("slow", 0)
    assert httpx.get(f"{echo.url}/slow", timeout=5).status_code == 200


def test_handler_exceptions_become_500_and_are_kept(echo: EchoServer) -> None:
    assert httpx.get(f"{echo.url}/boom", timeout=5).status_code == 500
    assert "handler bug" in echo.handler_errors[0]


def test_invalid_times_is_rejected(echo: EchoServer) -> None:
    with pytest.raises(ValueError):
        echo.inject("a", Fault(500), times=0)
