"""The Lead-page panel in headless Chromium, framed by the fake org's Lead page exactly as Lightning frames a
canvas app: its content, a real 👎 click that becomes a stored label, the same AE's Slack 👍 replacing it (one
verdict), and a page on another origin that the browser refuses to frame it into. Screenshots go to
test-artifacts/."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlmodel import Session

from bot.blocks import FEEDBACK_UP
from store.repositories.feedback import feedback_for_score
from store.repositories.scores import latest_score
from tests.fakes.core.wait import wait_for
from tests.integration.admin_api.canvas_world import SLACK_USER, CanvasWorld
from tests.integration.admin_api.cdp import Chromium
from tests.integration.admin_api.test_dashboard_browser import ARTIFACTS, chromium_binary


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Chromium]:
    """Headless Chromium driven over the DevTools pipe."""
    binary = chromium_binary()
    if binary is None:
        pytest.skip("chromium is not installed and apt-get could not install it")
    chromium = Chromium(binary, tmp_path / "chromium-profile")
    try:
        yield chromium
    finally:
        chromium.close()


def _rows(world: CanvasWorld) -> list[tuple[str, str, str | None, str]]:
    with Session(world.engine) as session:
        rows = feedback_for_score(int(world.score.id or 0), session=session)
    return [(row.user_id, row.verdict, row.reason, row.source) for row in rows]


def test_panel_in_the_lead_page_records_a_click_and_dedups_with_slack(
    world: CanvasWorld, browser: Chromium, database_url: str
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    backend = "postgres" if database_url.startswith("postgresql") else "sqlite"
    world.org.canvas_viewer = world.ae
    lead_page = f"{world.org.url}/lightning/r/Lead/{world.scored.salesforce_id}/view"

    browser.navigate(lead_page)
    text = browser.wait_frame_text(f"score #{world.score.id}")
    assert "Recommendation:" in text and "Decided by:" in text and "chance to progress" in text
    assert "Score history" in text.replace("SCORE HISTORY", "Score history") and world.score.model_version in text
    assert "“" in browser.frame_text("#panel-reasons") + browser.frame_text("#panel-quotes")
    browser.screenshot(ARTIFACTS / f"canvas-panel-{backend}.png")

    world_id = browser.child_frame_world()
    browser.evaluate("document.getElementById('feedback-reason').value = 'not_voice_ai'", world_id)
    browser.click_in_frame("#feedback-down")
    browser.wait_frame_text("your 👎 is recorded", "#panel-message")
    assert _rows(world) == [(SLACK_USER, "down", "not_voice_ai", "salesforce")]
    assert "Your verdict: 👎 (Not Voice AI)" in browser.frame_text("#panel-mine")
    browser.screenshot(ARTIFACTS / f"canvas-feedback-{backend}.png")

    response, _url = world.slack.click(FEEDBACK_UP, str(world.score.id), user_id=SLACK_USER)
    assert response.status_code == 200
    wait_for(lambda: _rows(world) == [(SLACK_USER, "up", None, "slack")], what="the Slack 👍 to replace the 👎")

    browser.navigate(lead_page)
    verdicts = browser.wait_frame_text("via slack", "#panel-verdicts")
    assert verdicts.count(" via ") == 1 and "👍" in verdicts and "👎" not in verdicts
    browser.screenshot(ARTIFACTS / f"canvas-after-slack-{backend}.png")


def test_score_now_in_the_lead_page(world: CanvasWorld, browser: Chromium, database_url: str) -> None:
    backend = "postgres" if database_url.startswith("postgresql") else "sqlite"
    ARTIFACTS.mkdir(exist_ok=True)
    world.org.canvas_viewer = world.ae
    browser.navigate(f"{world.org.url}/lightning/r/Lead/{world.unscored.salesforce_id}/view")
    browser.wait_frame_text("not been scored yet")
    browser.screenshot(ARTIFACTS / f"canvas-unscored-{backend}.png")
    browser.click_in_frame("#score-now")
    text = browser.wait_frame_text("Scored.")
    assert "score #" in text and "Is this right?".upper() in text.upper()
    with Session(world.engine) as session:
        assert latest_score(int(world.unscored.id or 0), session=session) is not None


def test_a_page_on_another_origin_cannot_frame_the_panel(world: CanvasWorld, browser: Chromium, tmp_path: Path) -> None:
    signed = world.app.signed_request(world.ae, str(world.scored.salesforce_id))
    site = tmp_path / "elsewhere"
    site.mkdir()
    (site / "index.html").write_text(
        f'<iframe name="f" id="f"></iframe><form id="x" method="post" action="{world.app.url}" target="f">'
        f'<input type="hidden" name="signed_request" value="{signed}"></form>'
        '<script>document.getElementById("x").submit()</script>'
    )
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        browser.page("Network.enable")
        browser.navigate(f"http://127.0.0.1:{server.server_address[1]}/index.html")
        (served,) = wait_for(lambda: browser.responses(world.app.url), what="the panel's answer")
        assert served["status"] == 200  # the product answered with the panel ...
        assert f"frame-ancestors {world.org.url}" in served["headers"]["content-security-policy"]

        def refused() -> str | None:
            url, unreachable = browser.child_frame_url()
            return unreachable if url.startswith("chrome-error") else None

        unreachable = wait_for(refused, what="the browser to refuse the frame")
        assert unreachable == world.app.url  # ... and the browser would not show it inside this origin
        assert f"score #{world.score.id}" not in browser.frame_text()
    finally:
        server.shutdown()
