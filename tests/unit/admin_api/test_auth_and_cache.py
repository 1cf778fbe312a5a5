"""Unit tests: key ring, guessing brake, signed sessions and CSRF, version names, score cache, chart specifications."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import SecretStr

from admin_api.api.auth import FailureLimiter, KeyRing, SessionSigner, bearer_token
from admin_api.dashboard.charts import bar_chart, hbar_chart, line_chart, outlier_note
from admin_api.runtime.serving import InvalidVersionError, check_version_name
from scoring.domain import EvidenceItem, ScoreResult


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


def _result(quote_words: int = 0) -> ScoreResult:
    evidence = [EvidenceItem(signal="pricing_requested", quote="word " * quote_words)] if quote_words else []
    return ScoreResult(
        qualification_score=50, progression_probability=0.5, voice_ai_fit=10, recommendation="NURTURE_TRACK",
        priority="MEDIUM", confidence=0.5, reasoning=["r"], factors=[], rules_fired=[], evidence=evidence,
        model_version="v", scorer="prior", scored_at=datetime(2026, 1, 1, tzinfo=UTC),
    )  # fmt: skip


def test_score_cache_expires_and_returns_the_stored_result() -> None:
    from admin_api.api.score_cache import CachedScore, ScoreCache

    cache = ScoreCache(ttl_seconds=10, max_bytes=100_000)
    entry = CachedScore(1, _result(quote_words=20))
    cache.put("v", "h1", entry, now=0.0)
    assert cache.get("v", "h1", now=5.0) == entry and cache.get("w", "h1", now=5.0) is None
    assert cache.get("v", "h1", now=10.0) is None and len(cache) == 0 and cache.bytes == 0
    assert ScoreCache(ttl_seconds=0, max_bytes=100_000).get("v", "h1") is None


def test_score_cache_is_bounded_by_bytes_not_entries() -> None:
    from admin_api.api.score_cache import CachedScore, ScoreCache

    small, large = CachedScore(1, _result()), CachedScore(2, _result(quote_words=2_000))
    cache = ScoreCache(ttl_seconds=60, max_bytes=50_000)
    for n in range(200):
        cache.put("v", f"s{n}", small, now=0.0)
        assert cache.bytes <= 50_000
    held_small = len(cache)
    assert 0 < held_small < 200 and cache.get("v", "s199", now=1.0) == small and cache.get("v", "s0", now=1.0) is None
    for n in range(10):
        cache.put("v", f"l{n}", large, now=0.0)
        assert cache.bytes <= 50_000
    assert len(cache) < held_small / 5, "large results take proportionally more of the budget"
    assert cache.get("v", "l9", now=1.0) == large
    cache.put("v", "l9", large, now=2.0)
    assert cache.bytes <= 50_000 and cache.get("v", "l9", now=3.0) == large, "a re-put replaces, never double-counts"
    ScoreCache(ttl_seconds=60, max_bytes=100).put("v", "x", large)  # larger than the whole budget: not kept


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
