"""The panel token (the canvas context we sign for the panel's forms) and the panel's framing policy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr, ValidationError

from admin_api.cli.doctor.canvas import panel_check
from admin_api.cli.doctor.domain import Status
from admin_api.dashboard.canvas import token
from admin_api.dashboard.canvas.framing import content_security_policy, frame_ancestors
from admin_api.dashboard.canvas.routes import ae_for
from config import Settings
from crm_sync.salesforce.canvas import CanvasContext

SECRET = "consumer-secret-for-unit-tests"
NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
CLAIMS = token.PanelClaims("005Fake00000001AAA", "U0FAKEUSR1", "Dana Reed", "00Q5g00000000001AA", 0)


def _issued(minutes: int = 60) -> str:
    claims = token.PanelClaims(**{**CLAIMS.__dict__, "expires": token.expiry(NOW, minutes)})
    return token.issue(claims, SECRET)


def test_a_token_round_trips_until_it_expires() -> None:
    issued = _issued()
    assert token.verify(issued, SECRET, now=NOW + timedelta(minutes=59)).ae_id == "U0FAKEUSR1"
    with pytest.raises(token.PanelTokenError, match="expired"):
        token.verify(issued, SECRET, now=NOW + timedelta(minutes=61))


@pytest.mark.parametrize("mangle", ["", "no-dot", "tampered", "other-secret", "swapped-body"])
def test_forged_and_malformed_tokens_are_refused(mangle: str) -> None:
    issued = _issued()
    body, signature = issued.split(".")
    other = _issued(minutes=600).split(".")[0]
    candidates = {
        "": "",
        "no-dot": body,
        "tampered": f"{body}.{signature[:-2]}xx",
        "other-secret": token.issue(CLAIMS, "another-secret"),
        "swapped-body": f"{other}.{signature}",
    }
    with pytest.raises(token.PanelTokenError):
        token.verify(candidates[mangle], SECRET, now=NOW)


def test_frame_ancestors_come_from_config_or_the_my_domain() -> None:
    configured = Settings(
        canvas={"frame_ancestors": ["https://acme.lightning.force.com", "https://*.my.salesforce.com"]}
    )
    assert "frame-ancestors https://acme.lightning.force.com https://*.my.salesforce.com" in content_security_policy(
        configured
    )
    derived = Settings(salesforce_instance_url="https://acme.my.salesforce.com")
    assert frame_ancestors(derived) == ("https://acme.my.salesforce.com", "https://acme.lightning.force.com")
    assert content_security_policy(Settings()).endswith("frame-ancestors 'none'")


@pytest.mark.parametrize(
    "origin", ["http://acme.lightning.force.com", "https://acme.com; script-src *", "*", "https://acme.com/path"]
)
def test_unsafe_frame_ancestors_are_refused_at_start_up(origin: str) -> None:
    with pytest.raises(ValidationError, match="https origin"):
        Settings(canvas={"frame_ancestors": [origin]})


def test_user_map_keys_are_normalised() -> None:
    settings = Settings(canvas={"user_map": {"005Fake00000001AAA": "U1", "Dana@Example.com": "U2"}})
    assert settings.canvas.user_map == {"005Fake00000001": "U1", "dana@example.com": "U2"}


def test_a_salesforce_user_is_mapped_to_their_ae_by_id_then_email() -> None:
    settings = Settings(canvas={"user_map": {"005Fake00000001AAA": "U1", "dana@example.com": "U2"}})

    def context(user_id: str, email: str | None) -> CanvasContext:
        return CanvasContext(user_id, email, None, None, "00Q5g00000000001AA", "Lead", None, NOW)

    assert ae_for(context("005Fake00000001xyz", "other@example.com"), settings) == "U1"
    assert ae_for(context("005Fake00000002AAA", "DANA@example.com"), settings) == "U2"
    assert ae_for(context("005Fake00000003AAA", None), settings) == "sf:005Fake00000003AAA"


def test_the_doctor_reports_the_panel() -> None:
    assert panel_check(Settings()).status is Status.OFF
    secret = SecretStr("consumer-secret")
    assert panel_check(Settings(salesforce_canvas_secret=secret)).status is Status.FAIL
    derived = Settings(salesforce_canvas_secret=secret, salesforce_instance_url="https://acme.my.salesforce.com")
    assert panel_check(derived).status is Status.WARN
    mapped = Settings(
        salesforce_canvas_secret=secret,
        canvas={"frame_ancestors": ["https://acme.lightning.force.com"], "user_map": {"a@b.c": "U1"}},
    )
    verdict = panel_check(mapped)
    assert verdict.status is Status.OK and "https://acme.lightning.force.com" in verdict.summary
