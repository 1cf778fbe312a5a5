"""Unit tests: key ring, guessing brake, signed sessions and CSRF, version names, score cache, chart specifications."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from pydantic import SecretStr

from admin_api.api.auth import FailureLimiter, KeyRing, SessionSigner, bearer_token
from admin_api.dashboard.charts import bar_chart, hbar_chart, line_chart, outlier_note
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


def _spec(markup: object) -> dict[str, Any]:
    found = re.search(r'data-chart="([^"]*)"', str(markup))
    assert found is not None
    return json.loads(html.unescape(found.group(1)))  # type: ignore[no-any-return]


def test_charts_escape_labels_and_count_points() -> None:
    bar = str(bar_chart("t<", ["<script>", "b"], [1.0, 2.0]))
    assert "<script>" not in bar and 'data-points="2"' in bar and _spec(bar)["labels"] == ["<script>", "b"]
    assert 'data-points="0"' in str(hbar_chart("empty", [], [])) and "No data yet" in str(hbar_chart("e", [], []))
    line = str(line_chart("l", ["a", "b", "c"], {"s": [1.0, None, 3.0]}))
    assert 'data-points="2"' in line and _spec(line)["series"][0]["values"] == [1.0, None, 3.0]


def test_counts_get_integer_ticks_and_fractions_do_not() -> None:
    assert _spec(bar_chart("counts", ["a", "b"], [3.0, 89.0]))["integer"] is True
    assert _spec(line_chart("rates", ["a", "b"], {"x": [0.25, 0.5]}))["integer"] is False


def test_one_backfill_day_switches_to_a_log_scale_and_says_why() -> None:
    days = [f"day {i}" for i in range(10)]
    spiky = _spec(bar_chart("scores", days, [3, 4, 2, 5, 412, 3, 4, 0, 2, 3], y_title="scores"))
    assert spiky["log"] is True and "day 4 (412)" in spiky["note"] and "Log scale" in spiky["note"]
    steady = _spec(bar_chart("scores", days, [3, 4, 2, 5, 6, 3, 4, 0, 2, 3]))
    assert steady["log"] is False and steady["note"] is None
    assert outlier_note({"s": [0, 0, 50]}, ["a", "b", "c"]) is None  # too few values to call one an outlier
