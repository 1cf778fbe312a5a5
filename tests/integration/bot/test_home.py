"""App Home: app_home_opened (a signed Events API delivery) publishes the AE's verdicts and the model quality."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from store.db import session_scope
from store.repositories import feedback, model_versions, scores
from tests.fakes.core.wait import wait_for
from tests.fakes.slack import FakeSlack, SlackSender, validate_blocks
from tests.integration.bot.harness import block_texts

USER = "U0FAKEUSR1"


def _score(engine: Engine, company_id: int, value: int) -> int:
    with session_scope(engine) as session:
        row = scores.add_score(
            session=session, company_id=company_id, qualification_score=value, progression_probability=value / 100,
            voice_ai_fit=50, recommendation="AE_HANDOFF", priority="HIGH", confidence=0.7, model_version="prior-v1",
            scorer="prior", input_hash="h" * 64,
        )  # fmt: skip
        return row.id or 0


def test_home_shows_the_users_verdicts_strong_leads_and_model(
    slack: SlackSender, fake_slack: FakeSlack, engine: Engine, seeded: dict[str, int]
) -> None:
    score_id = _score(engine, seeded["globex_one"], 82)
    with session_scope(engine) as session:
        feedback.record_feedback(session=session, score_id=score_id, user_id=USER, verdict="down", reason="bad_timing")
        model_versions.add_model_version(
            "lgbm-2024-06", session=session, artifact_path="m", details={},
            metrics={"handoff_precision": 0.87, "voice_ai_precision": 0.91},
        )  # fmt: skip
        model_versions.set_champion("lgbm-2024-06", session=session)
    response = slack.home_opened(USER)
    assert response.status_code == 200
    view = wait_for(lambda: fake_slack.home_view(USER), what="home view")
    text = block_texts(view["blocks"])
    assert "👎 *Globex Corporation* (82/100) — Bad timing" in text
    assert "Model lgbm-2024-06" in text and "Handoff precision: *87%*" in text and "Voice AI precision: *91%*" in text
    assert validate_blocks(view["blocks"], max_blocks=100) == []


def test_home_before_any_model_or_feedback(slack: SlackSender, fake_slack: FakeSlack) -> None:
    assert slack.home_opened(USER, retry_num=1).status_code == 200
    view = wait_for(lambda: fake_slack.home_view(USER), what="home view")
    text = block_texts(view["blocks"])
    assert "rule-based prior" in text and "None yet" in text
