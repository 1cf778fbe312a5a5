""" "Not right" on a reason, end to end through the fake Slack: click -> stored correction -> card updated ->
`fellow nlp corrections export` contains it -> `fellow nlp suggest` proposes its trigger phrase."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.engine import Engine

from bot.blocks import NOT_RIGHT
from bot.poster import SlackPoster
from store.db import session_scope
from store.repositories import corrections
from store.tables import SignalCorrection
from tests.fakes.core.wait import wait_for
from tests.fakes.slack import FakeSlack, SlackSender
from tests.fakes.slack.workspace import Message
from tests.integration.bot.harness import block_texts
from tests.integration.cli.test_foundation_cli import fellow

USER = "U0FAKEUSR1"


def _rows(engine: Engine) -> list[SignalCorrection]:
    with session_scope(engine) as session:
        return corrections.list_corrections(session=session)


@pytest.fixture
def card(score_for_channel: Callable[[], int], poster: SlackPoster, fake_slack: FakeSlack) -> tuple[int, Message]:
    score_id = score_for_channel()
    poster.run_once()
    (message,) = fake_slack.messages("fellow-learning-ml")
    return score_id, message


def _menus(blocks: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    return [b["accessory"] for b in blocks or [] if (b.get("accessory") or {}).get("action_id") == NOT_RIGHT]


def _pick(slack: SlackSender, card: tuple[int, Message], option: dict[str, Any], **extra: Any) -> tuple[Any, str]:
    _, message = card
    return slack.click(
        NOT_RIGHT,
        "",
        selected_option=option,
        block_id="fellow_quote_0",
        channel_id=message.channel,
        message_ts=message.ts,
        message_blocks=message.blocks,
        **extra,
    )


def test_not_right_is_stored_once_updates_the_card_and_feeds_export_and_suggest(
    slack: SlackSender, fake_slack: FakeSlack, engine: Engine, card: tuple[int, Message], tmp_path: Path
) -> None:
    score_id, message = card
    menus = _menus(message.blocks)
    assert menus, "every quote on the card carries a not-right menu"
    option = menus[0]["options"][0]
    signal = option["text"]["text"].removeprefix("Not right: ").replace(" ", "_")

    assert _pick(slack, card, option, action_ts="1700000009.000001")[0].status_code == 200
    assert _pick(slack, card, option, action_ts="1700000009.000001", retry_num=1)[0].status_code == 200
    (row,) = wait_for(lambda: _rows(engine), what="a stored correction")
    assert (row.score_id, row.user_id, row.signal, row.source) == (score_id, USER, signal, "slack")
    assert row.quote and row.trigger and row.trigger.lower() in row.quote.lower() and row.call_id is not None

    def updated() -> str | None:
        found = fake_slack.message(message.channel, message.ts)
        text = block_texts(found.blocks) if found else ""
        return text if "marked not right" in text else None

    text = wait_for(updated, what="the card showing the correction")
    assert f"~{signal.replace('_', ' ')}~" in text
    assert len(_rows(engine)) == 1  # the Slack retry changed nothing

    database = {"FELLOW_DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    exported = fellow("nlp", "corrections", "export", cwd=tmp_path, **database)
    assert exported.returncode == 0, exported.stderr
    (record,) = [json.loads(line) for line in exported.stdout.splitlines()]
    assert record["text"] == row.quote and record["not_signals"] == [signal]
    assert signal not in record["signals"] and record["style"] == "ae_correction"

    out = tmp_path / "suggestions.yaml"
    suggested = fellow("nlp", "suggest", "--out", str(out), cwd=tmp_path, **database)
    assert suggested.returncode == 0, suggested.stderr
    assert json.loads(suggested.stdout)["from_corrections"] >= 1
    proposals = yaml.safe_load(out.read_text())["proposals"][signal]
    assert any(p["target"] == "not_right" and p["phrase"] == row.trigger.lower() for p in proposals)


def test_our_rep_said_it_marks_every_signal_of_the_quote(
    slack: SlackSender, engine: Engine, card: tuple[int, Message]
) -> None:
    menu = _menus(card[1].blocks)[0]
    said = menu["options"][-1]
    assert "our rep said this" in said["text"]["text"]
    _pick(slack, card, said)
    rows = wait_for(lambda: _rows(engine), what="stored corrections")
    assert len(rows) == len(menu["options"]) - 1
    assert {r.comment for r in rows} == {"said by our rep, not the prospect"}


@pytest.mark.parametrize("value", ["junk", "1:x:", "999999:0:", "1:0:other"])
def test_a_malformed_or_stale_option_stores_nothing_and_says_so(
    slack: SlackSender, fake_slack: FakeSlack, engine: Engine, card: tuple[int, Message], value: str
) -> None:
    response, url = _pick(slack, card, {"text": {"type": "plain_text", "text": "Not right"}, "value": value})
    assert response.status_code == 200
    (answer,) = wait_for(lambda: fake_slack.responses(url), what="an ephemeral reply")
    assert "out of date" in answer["text"] or "no longer exists" in answer["text"]
    assert _rows(engine) == []
