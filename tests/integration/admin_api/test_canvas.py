"""The Lead-page panel over real HTTP: the fake org signs canvas requests (valid, forged, stale, wrong record) and
POSTs them to the product; feedback from the panel is a Feedback row for the AE, one with their Slack click, and a
training label like Slack's."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
from sqlmodel import Session

from bot.blocks import FEEDBACK_UP
from config.sections import LearningSection
from learning.labels import assemble_labels
from store.repositories.feedback import feedback_for_score, list_feedback
from store.repositories.leads import get_lead_by_salesforce_id
from store.repositories.scores import latest_score
from tests.fakes.core.wait import wait_for
from tests.integration.admin_api.canvas_world import SLACK_USER, CanvasWorld
from tests.integration.admin_api.conftest import API_KEY

PANEL_TOKEN = re.compile(r'name="panel" value="([^"]+)"')


def _open(world: CanvasWorld, record_id: str, **options: object) -> httpx.Response:
    user = options.pop("user", world.ae)
    return world.app.post(world.app.signed_request(user, record_id, **options))  # type: ignore[arg-type]


def _token(page: httpx.Response) -> str:
    found = PANEL_TOKEN.search(page.text)
    assert found, page.text[:500]
    return found.group(1)


def _feedback(
    world: CanvasWorld, token: str, verdict: str, score_id: int | None = None, **fields: str
) -> httpx.Response:
    data = {"panel": token, "score_id": str(score_id or world.score.id), "verdict": verdict, **fields}
    return httpx.post(f"{world.url}/salesforce/canvas/feedback", data=data, timeout=30)


def test_valid_request_shows_the_verified_lead_with_evidence(world: CanvasWorld) -> None:
    page = _open(world, str(world.scored.salesforce_id))
    assert page.status_code == 200, page.text[:300]
    text = page.text
    assert f"score #{world.score.id}" in text and world.score.model_version in text
    assert 'id="panel-reasons"' in text and "<blockquote>" in text
    assert 'id="panel-history"' in text and "Decided by:" in text and "chance to progress" in text
    for label in ("Wrong fit", "Not Voice AI", "Bad timing", "Existing customer", "Other"):
        assert f">{label}</option>" in text
    csp = page.headers["content-security-policy"]
    assert f"frame-ancestors {world.org.url}" in csp and "script-src" not in csp
    assert "x-frame-options" not in page.headers
    assert API_KEY not in text and "oauthToken" not in text and "fake-oauth-token" not in text


def test_forged_stale_unsigned_and_malformed_requests_are_refused(world: CanvasWorld) -> None:
    record = str(world.scored.salesforce_id)
    forged = _open(world, record, forged=True)
    stale = _open(world, record, stale_by=timedelta(hours=2))
    unsigned = httpx.post(world.app.url, data={}, timeout=30)
    junk = httpx.post(world.app.url, data={"signed_request": "not base64!.also not"}, timeout=30)
    assert (forged.status_code, stale.status_code, unsigned.status_code, junk.status_code) == (401, 401, 401, 400)
    assert "stale" in stale.text and "signature" in forged.text
    for refused in (forged, stale, unsigned, junk):
        assert world.score.model_version not in refused.text and 'name="panel"' not in refused.text
        assert "frame-ancestors" in refused.headers["content-security-policy"]


def test_a_record_other_than_the_verified_one_is_refused(world: CanvasWorld) -> None:
    signed = world.app.signed_request(world.ae, str(world.scored.salesforce_id))
    other = world.app.post(signed, record=str(world.unscored.salesforce_id))
    assert other.status_code == 403 and "not the record" in other.text
    same = world.app.post(signed, record=str(world.scored.salesforce_id)[:15])
    assert same.status_code == 200
    account = _open(world, "001" + str(world.scored.salesforce_id)[3:], record_type="Account")
    assert account.status_code == 403
    no_record = _open(world, None)
    assert no_record.status_code == 400


def test_a_panel_token_only_acts_on_its_own_lead(world: CanvasWorld) -> None:
    token = _token(_open(world, str(world.unscored.salesforce_id)))
    answer = _feedback(world, token, "up")  # the score belongs to another lead
    assert answer.status_code == 403
    tampered = _feedback(world, token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"), "up")
    assert tampered.status_code == 403
    missing = _feedback(world, "", "up")
    assert missing.status_code == 403
    with Session(world.engine) as session:
        assert feedback_for_score(int(world.score.id or 0), session=session) == []


def test_panel_feedback_is_the_aes_verdict_and_one_with_their_slack_click(world: CanvasWorld) -> None:
    score_id = int(world.score.id or 0)
    token = _token(_open(world, str(world.scored.salesforce_id)))
    no_reason = _feedback(world, token, "down")
    assert no_reason.status_code == 400 and "reason" in no_reason.text
    down = _feedback(world, token, "down", reason="bad_timing", comment="Budget freeze until Q3")
    assert down.status_code == 200 and "your 👎 is recorded" in down.text and "(Bad timing)" in down.text
    with Session(world.engine) as session:
        (row,) = feedback_for_score(score_id, session=session)
    assert (row.user_id, row.source, row.verdict, row.reason) == (SLACK_USER, "salesforce", "down", "bad_timing")
    assert row.salesforce_user_id == world.ae.user_id and row.user_name == "Alex Rivera"
    assert row.comment == "Budget freeze until Q3" and row.model_version == world.score.model_version

    response, _url = world.slack.click(FEEDBACK_UP, str(score_id), user_id=SLACK_USER)
    assert response.status_code == 200

    def slack_recorded() -> bool:
        with Session(world.engine) as session:
            rows = feedback_for_score(score_id, session=session)
        return len(rows) == 1 and rows[0].verdict == "up" and rows[0].source == "slack"

    wait_for(slack_recorded, what="the Slack click to update the panel's verdict")
    with Session(world.engine) as session:
        (row,) = feedback_for_score(score_id, session=session)
    assert row.salesforce_user_id == world.ae.user_id  # the same person's one verdict, last word from Slack


def test_an_unmapped_salesforce_user_counts_as_their_own_person(world: CanvasWorld) -> None:
    score_id = int(world.score.id or 0)
    token = _token(_open(world, str(world.scored.salesforce_id), user=world.stranger))
    assert _feedback(world, token, "up").status_code == 200
    assert _feedback(world, token, "up").status_code == 200  # a double click is the same verdict
    with Session(world.engine) as session:
        rows = feedback_for_score(score_id, session=session)
    assert [(r.user_id, r.verdict) for r in rows] == [(f"sf:{world.stranger.user_id}", "up")]


def test_panel_feedback_becomes_a_training_label_like_slacks(world: CanvasWorld) -> None:
    token = _token(_open(world, str(world.scored.salesforce_id)))
    assert _feedback(world, token, "down", reason="not_voice_ai").status_code == 200
    with Session(world.engine) as session:
        rows = list_feedback(session=session)
        labels = assemble_labels([], rows, {int(world.score.id or 0): world.score.scored_at}, LearningSection())
    (label,) = [label for label in labels if label.lead_id == world.scored.id]
    assert (label.source, label.progressed, label.voice_ai) == ("feedback", False, False)
    assert label.snapshot_at == world.score.scored_at


def test_score_now_scores_an_unscored_lead(world: CanvasWorld) -> None:
    page = _open(world, str(world.unscored.salesforce_id))
    assert page.status_code == 200 and 'id="score-now"' in page.text and "not been scored yet" in page.text
    scored = httpx.post(f"{world.url}/salesforce/canvas/score", data={"panel": _token(page)}, timeout=60)
    assert scored.status_code == 200 and "Scored." in scored.text and 'id="feedback-up"' in scored.text
    with Session(world.engine) as session:
        assert latest_score(int(world.unscored.id or 0), session=session) is not None


def test_score_now_fetches_a_lead_not_synced_yet(world: CanvasWorld) -> None:
    record = world.org.add_lead(LastName="Okafor", Company="Brightline Telecom", Email="ada@brightline.example")
    page = _open(world, record)
    assert page.status_code == 200 and "not in the product yet" in page.text
    scored = httpx.post(f"{world.url}/salesforce/canvas/score", data={"panel": _token(page)}, timeout=60)
    assert scored.status_code == 200 and "Brightline Telecom" in scored.text
    with Session(world.engine) as session:
        lead = get_lead_by_salesforce_id(record, session=session)
        assert lead is not None and latest_score(int(lead.id or 0), session=session) is not None


def test_score_now_says_so_when_salesforce_fails(world: CanvasWorld) -> None:
    record = world.org.add_lead(LastName="Nkemelu", Company="Quiet Ltd")
    page = _open(world, record)
    world.org.server_error("sobject.get", times=10)
    failed = httpx.post(f"{world.url}/salesforce/canvas/score", data={"panel": _token(page)}, timeout=120)
    assert failed.status_code == 502 and "Salesforce did not answer" in failed.text
