"""Canvas signed requests: verified on the envelope's raw text, both base64 alphabets, and every refusal."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from crm_sync.salesforce.canvas import CanvasError, same_record, sign_envelope, verify_signed_request
from tests.fakes.salesforce.canvas import CanvasApp, CanvasUser

SECRET = "consumer-secret-for-unit-tests"
NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
USER = CanvasUser("005Fake0000000001AAA"[:18], "Dana Reed", "dana@example.com")
LEAD = "00Q5g00000000001AAA"[:18]
APP = CanvasApp(url="https://product.example/salesforce/canvas", consumer_secret=SECRET,
                instance_url="https://acme.my.salesforce.com")  # fmt: skip


def _verify(signed: str, now: datetime = NOW) -> object:
    return verify_signed_request(signed, SECRET, now=now, max_age_seconds=900, clock_skew_seconds=60)


def _signed(**changes: object) -> str:
    envelope = {**APP.envelope(USER, LEAD, issued_at=NOW - timedelta(seconds=5)), **changes}
    return APP.sign(envelope)


def test_a_valid_request_gives_user_org_and_record() -> None:
    context = _verify(_signed())
    assert context.user_id == USER.user_id and context.user_email == "dana@example.com"  # type: ignore[attr-defined]
    assert (context.record_id, context.record_type) == (LEAD, "Lead")  # type: ignore[attr-defined]
    assert context.instance_url == "https://acme.my.salesforce.com"  # type: ignore[attr-defined]


def test_url_safe_unpadded_encoding_is_accepted() -> None:
    encoded = base64.urlsafe_b64encode(json.dumps(APP.envelope(USER, LEAD, issued_at=NOW)).encode()).decode()
    encoded = encoded.rstrip("=")
    signature = sign_envelope(encoded, SECRET).replace("+", "-").replace("/", "_").rstrip("=")
    assert _verify(f"{signature}.{encoded}").record_id == LEAD  # type: ignore[attr-defined]


def test_issued_at_in_milliseconds_is_read_as_such() -> None:
    assert _verify(_signed(issuedAt=int((NOW - timedelta(seconds=30)).timestamp() * 1000))) is not None
    with pytest.raises(CanvasError, match="stale"):
        _verify(_signed(issuedAt=int((NOW - timedelta(hours=1)).timestamp() * 1000)))


@pytest.mark.parametrize(
    ("signed", "status", "message"),
    [
        ("", 401, "required"),
        ("no-dot-here", 401, "<signature>.<envelope>"),
        ("abc.", 401, "<signature>.<envelope>"),
        ("!!!.eyJ9", 400, "not base64"),
        ("x" * 70_000, 400, "required"),
    ],
)
def test_malformed_requests_are_refused(signed: str, status: int, message: str) -> None:
    with pytest.raises(CanvasError, match=message) as caught:
        _verify(signed)
    assert caught.value.status == status


def test_a_forged_or_altered_request_is_refused_before_decoding() -> None:
    forged = APP.sign(APP.envelope(USER, LEAD, issued_at=NOW), secret="someone-elses-secret")
    with pytest.raises(CanvasError, match="signature") as caught:
        _verify(forged)
    assert caught.value.status == 401
    signature, envelope = _signed().split(".", 1)
    other = base64.b64encode(json.dumps(APP.envelope(USER, "00Q5g0000000000002", issued_at=NOW)).encode()).decode()
    with pytest.raises(CanvasError, match="signature"):
        _verify(f"{signature}.{other}")
    assert envelope != other


def test_stale_future_and_undated_requests_are_refused() -> None:
    with pytest.raises(CanvasError, match="stale"):
        _verify(_signed(issuedAt=int((NOW - timedelta(minutes=16)).timestamp())))
    with pytest.raises(CanvasError, match="future"):
        _verify(_signed(issuedAt=int((NOW + timedelta(minutes=5)).timestamp())))
    for missing in (None, "yesterday", True, -5):
        with pytest.raises(CanvasError, match="issuedAt"):
            _verify(_signed(issuedAt=missing))


def test_wrong_algorithm_non_object_and_missing_user_are_refused() -> None:
    with pytest.raises(CanvasError, match="algorithm"):
        _verify(_signed(algorithm="NONE"))
    encoded = base64.b64encode(b"[1, 2]").decode()
    with pytest.raises(CanvasError, match="JSON object"):
        _verify(f"{sign_envelope(encoded, SECRET)}.{encoded}")
    encoded = base64.b64encode(b"{not json").decode()
    with pytest.raises(CanvasError, match="not JSON"):
        _verify(f"{sign_envelope(encoded, SECRET)}.{encoded}")
    envelope = APP.envelope(USER, LEAD, issued_at=NOW)
    envelope["userId"] = "robert'); drop"
    envelope["context"]["user"]["userId"] = None
    with pytest.raises(CanvasError, match="user"):
        _verify(APP.sign(envelope))


def test_same_record_compares_the_case_sensitive_fifteen_character_base() -> None:
    assert same_record("00Q5g00000000001AAA"[:15], "00Q5g00000000001AAA"[:18])
    assert not same_record("00Q5g00000000001", "00q5g00000000001")
    assert not same_record("00Q5g", "00Q5g")
