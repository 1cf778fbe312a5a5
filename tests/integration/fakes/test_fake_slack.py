"""FakeSlack driven by the real slack_sdk WebClient / WebhookClient and slack_bolt App."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler, ServerErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from tests.fakes.slack import FakeSlack


def client(fake: FakeSlack, **kwargs: object) -> WebClient:
    return WebClient(token=fake.token, base_url=fake.api_url, timeout=5, **kwargs)  # type: ignore[arg-type]


def section(text: str) -> dict[str, object]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def button(text: str = "Yes", action_id: str = "vote", value: str = "v") -> dict[str, object]:
    return {"type": "button", "text": {"type": "plain_text", "text": text}, "action_id": action_id, "value": value}


def test_auth_test_identifies_the_bot(fake_slack: FakeSlack) -> None:
    response = client(fake_slack).auth_test()
    assert (response["user_id"], response["bot_id"], response["team_id"]) == (
        fake_slack.bot_user_id,
        fake_slack.workspace.bot_id,
        fake_slack.team_id,
    )


def test_wrong_or_missing_token_is_refused(fake_slack: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as wrong:
        WebClient(token="xoxb-wrong", base_url=fake_slack.api_url).auth_test()
    with pytest.raises(SlackApiError) as missing:
        WebClient(base_url=fake_slack.api_url).chat_postMessage(channel="#sales", text="x")
    assert wrong.value.response["error"] == "invalid_auth"
    assert missing.value.response["error"] == "not_authed"


def test_post_then_update_keeps_history_and_records_calls(fake_slack: FakeSlack) -> None:
    web = client(fake_slack)
    posted = web.chat_postMessage(channel="#fellow-learning-ml", text="score 80", blocks=[section("80")])
    web.chat_update(channel=posted["channel"], ts=posted["ts"], text="score 80 - judged", blocks=[section("ok")])
    message = fake_slack.message(posted["channel"], posted["ts"])
    assert message is not None
    assert message.text == "score 80 - judged"
    assert message.edits == [{"text": "score 80", "blocks": [section("80")]}]
    call = fake_slack.calls("chat.postMessage")[0]
    assert call.body["channel"] == "#fellow-learning-ml"
    assert call.header("authorization") == f"Bearer {fake_slack.token}"
    assert fake_slack.call_count("chat.update") == 1


def test_update_only_edits_the_bots_own_channel_messages(fake_slack: FakeSlack) -> None:
    web = client(fake_slack)
    human_ts = fake_slack.add_user_message("sales", "hello", user="U0FAKEUSR1")
    ephemeral = web.chat_postEphemeral(channel="sales", user="U0FAKEUSR1", text="only you")
    for ts, expected in ((human_ts, "cant_update_message"), (ephemeral["message_ts"], "message_not_found")):
        with pytest.raises(SlackApiError) as err:
            web.chat_update(channel="sales", ts=ts, text="edited")
        assert err.value.response["error"] == expected
    assert fake_slack.ephemerals("U0FAKEUSR1")[0]["text"] == "only you"


def test_posting_needs_the_bot_in_the_channel(fake_slack: FakeSlack) -> None:
    outside = fake_slack.add_channel("private-deals", bot_member=False)
    web = client(fake_slack)
    assert web.conversations_info(channel=outside)["channel"]["is_member"] is False
    with pytest.raises(SlackApiError) as err:
        web.chat_postMessage(channel=outside, text="x")
    assert err.value.response["error"] == "not_in_channel"


def test_rate_limit_is_retried_by_the_sdk_handler(fake_slack: FakeSlack) -> None:
    fake_slack.rate_limit("chat.postMessage", retry_after=0, times=1)
    web = client(fake_slack, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)])
    assert web.chat_postMessage(channel="sales", text="x")["ok"]
    assert [c.status for c in fake_slack.calls("chat.postMessage")] == [429, 200]
    assert len(fake_slack.messages("sales")) == 1


def test_rate_limit_without_handler_surfaces_retry_after(fake_slack: FakeSlack) -> None:
    fake_slack.rate_limit("chat.postMessage", retry_after=7)
    with pytest.raises(SlackApiError) as err:
        client(fake_slack).chat_postMessage(channel="sales", text="x")
    assert err.value.response.status_code == 429
    assert err.value.response.headers["Retry-After"] == "7"
    assert err.value.response["error"] == "ratelimited"
    assert fake_slack.messages("sales") == []


def test_server_errors_then_recovery(fake_slack: FakeSlack) -> None:
    fake_slack.server_error("chat.postMessage", times=2)
    with pytest.raises(SlackApiError):
        client(fake_slack).chat_postMessage(channel="sales", text="x")
    retrying = client(fake_slack, retry_handlers=[ServerErrorRetryHandler(max_retry_count=1)])
    assert retrying.chat_postMessage(channel="sales", text="x")["ok"]
    assert [c.status for c in fake_slack.calls("chat.postMessage")] == [500, 500, 200]


def test_slow_response_trips_the_client_timeout(fake_slack: FakeSlack) -> None:
    fake_slack.slow("chat.postMessage", seconds=3)
    web = WebClient(token=fake_slack.token, base_url=fake_slack.api_url, timeout=0.3)
    with pytest.raises(TimeoutError):
        web.chat_postMessage(channel="sales", text="x")
    assert web.chat_postMessage(channel="sales", text="y")["ok"]


@pytest.mark.parametrize(
    "blocks",
    [
        [section("x")] * 51,
        [section("x" * 3001)],
        [{"type": "actions", "elements": [button(text="x" * 76)]}],
        [{"type": "actions", "elements": [button(value="x" * 2001)]}],
        [{"type": "actions", "elements": [button(action_id="a" * 256)]}],
        [{**section("x"), "block_id": "b" * 256}],
        [{"type": "actions", "elements": [button(), button()]}],
    ],
    ids=["51-blocks", "section-3001", "button-text-76", "value-2001", "action-id-256", "block-id-256", "dup-action"],
)
def test_block_kit_limits_answer_invalid_blocks(fake_slack: FakeSlack, blocks: list[dict[str, object]]) -> None:
    with pytest.raises(SlackApiError) as err:
        client(fake_slack).chat_postMessage(channel="sales", text="x", blocks=blocks)
    assert err.value.response["error"] == "invalid_blocks"
    assert err.value.response["errors"]


def test_blocks_at_the_limits_are_accepted(fake_slack: FakeSlack) -> None:
    blocks = [section("x" * 3000), {"type": "actions", "elements": [button("y" * 75, "a" * 255, "v" * 2000)]}]
    blocks += [section("z")] * 48
    assert client(fake_slack).chat_postMessage(channel="sales", text="x", blocks=blocks)["ok"]


def test_form_encoded_calls_are_understood(fake_slack: FakeSlack) -> None:
    response = client(fake_slack).api_call(
        "chat.postMessage", data={"channel": "sales", "text": "x", "blocks": '[{"type": "divider"}]'}
    )
    assert response["ok"]
    assert fake_slack.messages("sales")[0].blocks == [{"type": "divider"}]


def test_views_open_uses_each_trigger_once_and_publish_stores_home(fake_slack: FakeSlack) -> None:
    web = client(fake_slack)
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "Why?"}, "blocks": [section("x")]}
    assert web.views_open(trigger_id="t1", view=modal)["view"]["id"]
    with pytest.raises(SlackApiError) as err:
        web.views_open(trigger_id="t1", view=modal)
    assert err.value.response["error"] == "expired_trigger_id"
    web.views_publish(user_id="U0FAKEUSR1", view={"type": "home", "blocks": [section("home")]})
    assert fake_slack.home_view("U0FAKEUSR1")["blocks"] == [section("home")]  # type: ignore[index]
    assert len(fake_slack.opened_views()) == 1


def test_users_info_and_members(fake_slack: FakeSlack) -> None:
    web = client(fake_slack)
    assert web.users_info(user="U0FAKEUSR1")["user"]["profile"]["email"] == "alex@example.com"
    assert "U0FAKEUSR1" in web.conversations_members(channel="C0FAKECHN1")["members"]
    with pytest.raises(SlackApiError) as err:
        web.users_info(user="UNOBODY")
    assert err.value.response["error"] == "user_not_found"


def test_response_url_allows_five_uses(fake_slack: FakeSlack) -> None:
    url = fake_slack.response_url()
    webhook = WebhookClient(url, timeout=5)
    statuses = [webhook.send(text=f"reply {i}").status_code for i in range(6)]
    assert statuses == [200] * 5 + [404]
    assert webhook.send(text="again").body == "used_url"
    assert [p["text"] for p in fake_slack.responses(url)] == [f"reply {i}" for i in range(5)]


def test_response_url_expiry_and_unknown_urls(fake_slack: FakeSlack) -> None:
    url = fake_slack.response_url("cmd-1")
    fake_slack.expire_response_url(url)
    assert WebhookClient(url).send(text="late").body == "expired_url"
    assert WebhookClient(f"{fake_slack.url}/response/never-issued").send(text="x").status_code == 404
    assert fake_slack.call_count("response_url") == 2
