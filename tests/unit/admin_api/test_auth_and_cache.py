"""Unit tests: key ring, guessing brake, signed sessions and CSRF, version names, score cache, SVG charts."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from admin_api.api.auth import FailureLimiter, KeyRing, SessionSigner, bearer_token
from admin_api.dashboard.charts import bar_chart, hbar_chart, line_chart
from admin_api.runtime.serving import InvalidVersionError, check_version_name


def test_key_ring_matches_any_configured_key_only() -> None:
    ring = KeyRing((SecretStr("alpha-key"), SecretStr("beta-key")))
    assert ring.matches("alpha-key") and ring.matches("beta-key")
    assert not ring.matches("alpha-ke") and not ring.matches("") and not ring.matches("alpha-key ")
    assert not KeyRing(()).configured and not KeyRing(()).matches("anything")


def test_signing_secret_changes_when_keys_rotate() -> None:
    assert KeyRing((SecretStr("a-key"),)).signing_secret() != KeyRing((SecretStr("b-key"),)).signing_secret()


@pytest.mark.parametrize(
    ("header", "token"),
    [("Bearer abc", "abc"), ("bearer  abc ", "abc"), ("Basic abc", None), ("Bearer", None), (None, None)],
)
def test_bearer_token(header: str | None, token: str | None) -> None:
    assert bearer_token(header) == token


def test_failure_limiter_blocks_after_the_limit_and_forgets_after_the_window() -> None:
    limiter = FailureLimiter(max_failures=3, window_seconds=10)
    for t in range(3):
        assert limiter.retry_after("1.2.3.4", now=float(t)) is None
        limiter.record_failure("1.2.3.4", now=float(t))
    assert limiter.retry_after("1.2.3.4", now=3.0) == 8
    assert limiter.retry_after("5.6.7.8", now=3.0) is None
    assert limiter.retry_after("1.2.3.4", now=10.5) is None


def test_failure_limiter_memory_is_bounded() -> None:
    limiter = FailureLimiter(max_failures=1, window_seconds=100, max_clients=2)
    for client in ("a", "b", "c"):
        limiter.record_failure(client, now=0.0)
    assert limiter.retry_after("a", now=1.0) is None and limiter.retry_after("c", now=1.0) is not None


def test_sessions_verify_and_reject_forgery_and_expiry() -> None:
    signer = SessionSigner(b"s" * 32, lifetime_seconds=100)
    cookie, session = signer.issue(now=1000.0)
    assert signer.verify(cookie, now=1050.0) == session
    assert signer.verify(cookie, now=1101.0) is None
    assert signer.verify(cookie[:-1] + ("A" if cookie[-1] != "A" else "B"), now=1050.0) is None
    assert SessionSigner(b"t" * 32).verify(cookie, now=1050.0) is None
    assert signer.verify("garbage", now=1050.0) is None and signer.verify(None) is None


def test_csrf_token_is_bound_to_the_session() -> None:
    signer = SessionSigner(b"s" * 32)
    _, one = signer.issue()
    _, two = signer.issue()
    assert signer.check_csrf(one, signer.csrf_token(one))
    assert not signer.check_csrf(one, signer.csrf_token(two)) and not signer.check_csrf(one, None)


@pytest.mark.parametrize("name", ["v20240101-120000", "model.1_a-b", "A"])
def test_plain_version_names_pass(name: str) -> None:
    assert check_version_name(name) == name


@pytest.mark.parametrize("name", ["..", "../x", "a/b", "a\\b", ".hidden", "a..b", "", "a" * 101, "v 1", "v\x00"])
def test_path_like_version_names_fail(name: str) -> None:
    with pytest.raises(InvalidVersionError):
        check_version_name(name)


def test_score_cache_expires_and_evicts() -> None:
    from admin_api.api.score_cache import CachedScore, ScoreCache

    cache = ScoreCache(ttl_seconds=10, max_entries=2)
    entry = CachedScore(1, None)  # type: ignore[arg-type]
    cache.put("v", "h1", entry, now=0.0)
    assert cache.get("v", "h1", now=5.0) == entry and cache.get("w", "h1", now=5.0) is None
    assert cache.get("v", "h1", now=10.0) is None
    for key in ("a", "b", "c"):
        cache.put("v", key, entry, now=0.0)
    assert cache.get("v", "a", now=1.0) is None and cache.get("v", "c", now=1.0) == entry
    assert ScoreCache(ttl_seconds=0).get("v", "h1") is None


def test_charts_escape_labels_and_count_points() -> None:
    svg = str(bar_chart("t<", ["<script>", "b"], [1.0, 2.0]))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and 'data-points="2"' in svg
    assert 'data-points="0"' in str(hbar_chart("empty", [], [])) and "No data yet" in str(hbar_chart("e", [], []))
    line = str(line_chart("l", ["a", "b", "c"], {"s": [1.0, None, 3.0]}))
    assert 'data-points="2"' in line and line.count("<circle") == 2 and "<polyline" not in line
