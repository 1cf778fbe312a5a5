"""👍 / 👎 feedback over HTTP: labels recorded once per AE, modal reasons, card updates, refusals, stale cards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from slack_bolt import App
from sqlalchemy.engine import Engine

from bot.app import build_slack_app
from bot.modal import CALLBACK_ID, COMMENT_ACTION, COMMENT_BLOCK, REASON_ACTION, REASON_BLOCK
from bot.poster import SlackPoster
from bot.scoring_backend import ServiceBackend
from store.db import session_scope
from store.repositories import feedback
from store.tables import Feedback
from tests.fakes.core.wait import wait_for
from tests.fakes.slack import FakeSlack, SlackSender, static_select_state, text_input_state
from tests.fakes.slack.workspace import Message
from tests.integration.bot.conftest import bot_settings
from tests.integration.bot.harness import block_texts, serve

USER = "U0FAKEUSR1"


def _rows(engine: Engine) -> list[Feedback]:
    with session_scope(engine) as session:
        return feedback.list_feedback(session=session)


@pytest.fixture
def card(score_for_channel: Callable[[], int], poster: SlackPoster, fake_slack: FakeSlack) -> tuple[int, Message]:
    """A score card posted by the poster in #fellow-learning-ml."""
    score_id = score_for_channel()
    poster.run_once()
    (message,) = fake_slack.messages("fellow-learning-ml")
    return score_id, message


def _click(slack: SlackSender, action: str, card: tuple[int, Message], **options: Any) -> tuple[Any, str]:
    score_id, message = card
    options.setdefault("message_blocks", message.blocks)
    return slack.click(action, str(score_id), channel_id=message.channel, message_ts=message.ts, **options)


def _updated_text(fake: FakeSlack, message: Message, needle: str) -> str:
    def current() -> str | None:
        found = fake.message(message.channel, message.ts)
        text = block_texts(found.blocks) if found else ""
        return text if needle in text else None

    return wait_for(current, what=f"card update containing {needle!r}")


def test_thumbs_up_records_a_label_and_updates_the_card(
    slack: SlackSender, fake_slack: FakeSlack, engine: Engine, card: tuple[int, Message]
) -> None:
    response, _ = _click(slack, "fellow_feedback_up", card)
    assert response.status_code == 200
    text = _updated_text(fake_slack, card[1], "Judged")
    assert f"👍 <@{USER}>" in text
    (row,) = wait_for(lambda: _rows(engine))
    assert (row.score_id, row.user_id, row.verdict, row.user_name) == (card[0], USER, "up", "alex")


def test_double_clicks_and_retries_store_one_row(
    slack: SlackSender, fake_slack: FakeSlack, engine: Engine, card: tuple[int, Message]
) -> None:
    _click(slack, "fellow_feedback_up", card, action_ts="1700000001.000001")
    _click(slack, "fellow_feedback_up", card, action_ts="1700000001.000001", retry_num=1)
    _click(slack, "fellow_feedback_up", card, action_ts="1700000002.000002")
    wait_for(lambda: len(fake_slack.message(card[1].channel, card[1].ts).edits) >= 2, what="two card updates")
    rows = _rows(engine)
    assert len(rows) == 1 and rows[0].verdict == "up"


def test_thumbs_down_opens_the_modal_and_the_submit_changes_the_verdict(
    slack: SlackSender, fake_slack: FakeSlack, engine: Engine, card: tuple[int, Message]
) -> None:
    _click(slack, "fellow_feedback_up", card)
    wait_for(lambda: _rows(engine))
    _click(slack, "fellow_feedback_down", card, trigger_id="trigger-down-1")
    (view,) = wait_for(lambda: fake_slack.opened_views(), what="modal")
    assert view["callback_id"] == CALLBACK_ID and view["trigger_id"] == "trigger-down-1"
    state = {
        REASON_BLOCK: {REASON_ACTION: static_select_state("not_voice_ai")},
        COMMENT_BLOCK: {COMMENT_ACTION: text_input_state("They only want SMS <!channel>")},
    }
    response = slack.submit(CALLBACK_ID, state, view["private_metadata"])
    assert response.status_code == 200 and response.text == ""
    text = _updated_text(fake_slack, card[1], "Not Voice AI")
    assert f"👎 <@{USER}> (Not Voice AI)" in text
    (row,) = wait_for(lambda: [r for r in _rows(engine) if r.verdict == "down"])
    assert (row.reason, row.comment) == ("not_voice_ai", "They only want SMS <!channel>")
    assert len(_rows(engine)) == 1


def test_modal_without_a_reason_or_with_forged_metadata_is_refused(
    slack: SlackSender, engine: Engine, card: tuple[int, Message]
) -> None:
    no_reason = slack.submit(CALLBACK_ID, {}, f'{{"score_id": {card[0]}}}')
    assert no_reason.json() == {"response_action": "errors", "errors": {REASON_BLOCK: "Pick one of the reasons."}}
    state = {REASON_BLOCK: {REASON_ACTION: static_select_state("wrong_fit")}}
    for metadata in ("", "not json", '{"score_id": "1; DROP TABLE feedback"}', '{"score_id": -4}'):
        forged = slack.submit(CALLBACK_ID, state, metadata)
        assert forged.json()["response_action"] == "errors"
    bad_reason = slack.submit(CALLBACK_ID, {REASON_BLOCK: {REASON_ACTION: static_select_state("spite")}}, "{}")
    assert bad_reason.json()["response_action"] == "errors"
    assert _rows(engine) == []


def test_feedback_on_an_ephemeral_card_replaces_it_through_the_response_url(
    slack: SlackSender, fake_slack: FakeSlack, engine: Engine
) -> None:
    _, url = slack.command("acme.com")
    (answer,) = wait_for(lambda: fake_slack.responses(url))
    score_id = next(
        e["value"] for b in answer["blocks"] if b["type"] == "actions" for e in b["elements"] if "up" in e["action_id"]
    )
    _, click_url = slack.click("fellow_feedback_up", score_id, ephemeral=True)
    (update,) = wait_for(lambda: fake_slack.responses(click_url))
    assert update["replace_original"] is True
    assert f"👍 <@{USER}>" in block_texts(update["blocks"])
    assert len(wait_for(lambda: _rows(engine))) == 1


def test_clicks_on_deleted_or_malformed_cards_get_a_friendly_note(
    slack: SlackSender, fake_slack: FakeSlack, engine: Engine
) -> None:
    _, gone_url = slack.click("fellow_feedback_up", "987654")
    _, down_url = slack.click("fellow_feedback_down", "987654")
    _, stale_url = slack.click("fellow_feedback_up", "<script>alert(1)</script>")
    _, unknown_url = slack.click("some_old_button", "x")
    assert "no longer exists" in wait_for(lambda: fake_slack.responses(gone_url))[0]["text"]
    assert "no longer exists" in wait_for(lambda: fake_slack.responses(down_url))[0]["text"]
    assert "out of date" in wait_for(lambda: fake_slack.responses(stale_url))[0]["text"]
    assert "no longer supported" in wait_for(lambda: fake_slack.responses(unknown_url))[0]["text"]
    assert fake_slack.opened_views() == []
    assert _rows(engine) == []


def test_feedback_restricted_to_a_user_group(
    fake_slack: FakeSlack, engine: Engine, backend: ServiceBackend, card: tuple[int, Message]
) -> None:
    fake_slack.add_usergroup("S0SALES", ["U0MEMBER1"])
    fake_slack.add_user("U0MEMBER1", "sam", channels=("fellow-learning-ml",))
    settings = bot_settings(fake_slack, slack={"post_threshold": 0, "feedback_user_group": "S0SALES"})
    app: App = build_slack_app(settings, engine=engine, scoring=backend)
    with serve(app) as base_url:
        sender = SlackSender(base_url, fake_slack)
        _, refused_url = _click(sender, "fellow_feedback_up", card)
        refusal = wait_for(lambda: fake_slack.responses(refused_url))[0]
        assert "limited to members" in refusal["text"]
        assert _rows(engine) == []
        _click(sender, "fellow_feedback_up", card, user_id="U0MEMBER1", user_name="sam")
        (row,) = wait_for(lambda: _rows(engine))
        assert row.user_id == "U0MEMBER1"
    assert fake_slack.call_count("usergroups.users.list") == 1
