"""The key-guessing brake: on every authenticated route including dashboard pages, keyed by the real client
address (from trusted proxies' X-Forwarded-For) plus the presented key's prefix; cookies Secure behind TLS proxies."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy.engine import Engine

from admin_api.api.services import build_services
from admin_api.app import create_app
from config import Settings
from nlp import SignalExtractor
from tests.fakes.core.live_server import live_server
from tests.reliability.secured import API_KEY, auth

GUESSES = 40


@pytest.fixture
def proxied_server(sec_settings: Settings, engine: Engine, sec_extractor: SignalExtractor) -> Iterator[str]:
    """The app behind a load balancer on 127.0.0.1 (trusted)."""
    api = sec_settings.api.model_copy(update={"trusted_proxies": ("127.0.0.1/32",)})
    settings = sec_settings.model_copy(update={"api": api})
    services = build_services(settings, engine=engine, extractor=sec_extractor, retrain_job=lambda *_a: None)
    with live_server(create_app(settings, services=services, model_refresh_seconds=60)) as url:
        yield url


def _guess(url: str, n: int, **headers: str) -> int:
    return httpx.get(url, headers={**auth(f"guess{n}"), **headers}, follow_redirects=False).status_code


def test_dashboard_pages_brake_bearer_guesses_and_are_no_oracle(sec_server: str) -> None:
    statuses = [_guess(f"{sec_server}/dashboard", n) for n in range(GUESSES)]
    assert statuses[0] == 401 and statuses[-1] == 429 and set(statuses) == {401, 429}, statuses
    assert _guess(f"{sec_server}/dashboard/leads", 0) == 429
    assert httpx.get(f"{sec_server}/dashboard", headers=auth()).status_code == 200


def test_one_guesser_does_not_lock_out_the_right_key_behind_the_same_address(sec_server: str) -> None:
    statuses = [httpx.post(f"{sec_server}/score", json={"domain": "a.com"}, headers=auth(f"guess{n}")).status_code
                for n in range(GUESSES)]  # fmt: skip
    assert statuses[-1] == 429
    assert httpx.post(f"{sec_server}/score", json={"domain": "a.com"}, headers=auth()).status_code == 200
    spoofed = [_guess(f"{sec_server}/models/info", n, **{"X-Forwarded-For": f"10.0.0.{n}"}) for n in range(3)]
    assert spoofed == [429] * 3, "X-Forwarded-For from an untrusted peer is ignored"


def test_behind_a_trusted_proxy_the_brake_follows_the_forwarded_client(proxied_server: str) -> None:
    attacker = {"X-Forwarded-For": "203.0.113.9, 127.0.0.1"}
    statuses = [_guess(f"{proxied_server}/models/info", n, **attacker) for n in range(GUESSES)]
    assert statuses[-1] == 429
    colleague = {"X-Forwarded-For": "198.51.100.7", **auth("guess-by-a-colleague")}
    assert httpx.get(f"{proxied_server}/models/info", headers=colleague).status_code == 401
    assert httpx.get(f"{proxied_server}/models/info", headers={**attacker, **auth()}).status_code == 200


def test_session_cookie_is_secure_behind_a_tls_terminating_proxy(proxied_server: str, sec_server: str) -> None:
    behind_tls = httpx.post(
        f"{proxied_server}/dashboard/login", data={"key": API_KEY}, headers={"X-Forwarded-Proto": "https"}
    )
    assert "secure" in behind_tls.headers["set-cookie"].lower()
    spoofed = httpx.post(f"{sec_server}/dashboard/login", data={"key": API_KEY}, headers={"X-Forwarded-Proto": "https"})
    assert "secure" not in spoofed.headers["set-cookie"].lower()


def test_logout_ends_the_session_even_for_a_copied_cookie(sec_server: str) -> None:
    cookies = httpx.post(f"{sec_server}/dashboard/login", data={"key": API_KEY}).cookies
    page = httpx.get(f"{sec_server}/dashboard/models", cookies=cookies)
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert page.status_code == 200 and token
    out = httpx.post(f"{sec_server}/dashboard/logout", data={"csrf": token.group(1)}, cookies=cookies)
    assert out.status_code == 303
    replayed = httpx.get(f"{sec_server}/dashboard", cookies=cookies, follow_redirects=False)
    assert replayed.status_code == 303 and replayed.headers["location"] == "/dashboard/login"


@pytest.fixture
def second_server(sec_settings: Settings, engine: Engine, sec_extractor: SignalExtractor) -> Iterator[str]:
    """Another API process on the same database: its own services, so nothing in memory is shared with the first."""
    services = build_services(sec_settings, engine=engine, extractor=sec_extractor, retrain_job=lambda *_a: None)
    with live_server(create_app(sec_settings, services=services, model_refresh_seconds=60)) as url:
        yield url


def test_logout_on_one_api_process_ends_the_session_on_the_others(sec_server: str, second_server: str) -> None:
    cookies = httpx.post(f"{sec_server}/dashboard/login", data={"key": API_KEY}).cookies
    assert httpx.get(f"{second_server}/dashboard", cookies=cookies, follow_redirects=False).status_code == 200
    page = httpx.get(f"{sec_server}/dashboard/models", cookies=cookies)
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token
    out = httpx.post(f"{sec_server}/dashboard/logout", data={"csrf": token.group(1)}, cookies=cookies)
    assert out.status_code == 303
    replayed = httpx.get(f"{second_server}/dashboard", cookies=cookies, follow_redirects=False)
    assert replayed.status_code == 303 and replayed.headers["location"] == "/dashboard/login"
