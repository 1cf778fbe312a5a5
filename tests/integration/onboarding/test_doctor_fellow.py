"""`fellow doctor` Fellow checks against the fake Fellow API, including each failure."""

from __future__ import annotations

from datetime import timedelta

from admin_api.cli.doctor.checks import doctor_settings
from admin_api.cli.doctor.domain import CheckResult, Status
from admin_api.cli.doctor.fellow import fellow_checks
from store.types import utcnow
from tests.fakes.fellow import FakeFellow
from tests.integration.onboarding.conftest import fellow_values, make_settings, run


def _run(fake: FakeFellow, **overrides: object) -> dict[str, CheckResult]:
    return run(fellow_checks(doctor_settings(make_settings(**fellow_values(fake, **overrides)))))


def test_valid_key_with_recent_notes_passes(fake_fellow: FakeFellow) -> None:
    fake_fellow.add_call("Acme <> Us intro", attendees=["cto@acme.com"], content_markdown="Voice AI for support")
    fake_fellow.add_call("Old call", content_markdown="long ago", created_at=utcnow() - timedelta(days=90))
    results = _run(fake_fellow)
    assert results["api key"].status is Status.OK
    assert "service@ourcompany.example in Our Company" in results["api key"].verdict.summary
    notes = results["recent notes"].verdict
    assert notes.status is Status.OK and notes.summary.startswith("1 notes")


def test_wrong_key_fails_with_the_key_fix_and_skips_notes(fake_fellow: FakeFellow) -> None:
    results = _run(fake_fellow, fellow_api_key="not-the-key")
    key = results["api key"].verdict
    assert key.status is Status.FAIL and "401" in key.summary
    assert key.fix and "FELLOW_FELLOW_API_KEY" in key.fix
    assert results["recent notes"].status is Status.SKIP
    assert fake_fellow.call_count("notes") == 0


def test_wrong_auth_header_is_refused_like_a_wrong_key(fake_fellow: FakeFellow) -> None:
    results = _run(fake_fellow, fellow_auth_header="Authorization")
    assert results["api key"].status is Status.FAIL


def test_no_recent_notes_is_a_warning(fake_fellow: FakeFellow) -> None:
    notes = _run(fake_fellow)["recent notes"].verdict
    assert notes.status is Status.WARN and "no notes" in notes.summary


def test_wrong_api_url_fails_with_the_url_fix(fake_fellow: FakeFellow) -> None:
    key = _run(fake_fellow, fellow_api_url=fake_fellow.url + "/api/v9")["api key"].verdict
    assert key.status is Status.FAIL and key.fix and "FELLOW_FELLOW_API_URL" in key.fix


def test_fellow_off_and_half_configured() -> None:
    off = run(fellow_checks(make_settings()))["fellow"].verdict
    assert off.status is Status.OFF and off.fix and "FELLOW_FELLOW_API_KEY" in off.fix
    half = run(fellow_checks(make_settings(fellow_api_url="https://acme.fellow.app/api/v1")))["fellow"].verdict
    assert half.status is Status.FAIL and "FELLOW_FELLOW_API_KEY" in half.summary
