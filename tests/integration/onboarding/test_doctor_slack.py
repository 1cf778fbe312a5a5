"""`fellow doctor` Slack checks against the fake Slack Web API, including each failure."""

from __future__ import annotations

from admin_api.cli.doctor.domain import Status
from admin_api.cli.doctor.runner import run_checks
from admin_api.cli.doctor.slack import slack_checks
from bot.manifest import bot_scopes
from tests.fakes.core import Fault
from tests.fakes.slack import FakeSlack
from tests.integration.onboarding.conftest import make_settings, run, slack_values


def test_working_slack_passes_every_check(fake_slack: FakeSlack) -> None:
    results = run(slack_checks(make_settings(**slack_values(fake_slack))))
    assert {name: r.status for name, r in results.items()} == {
        "bot token": Status.OK,
        "channel": Status.OK,
        "signing secret": Status.OK,
    }
    assert "fellowbot" in results["bot token"].verdict.summary
    assert fake_slack.default_channel_id in results["channel"].verdict.summary
    assert fake_slack.call_count("conversations.info") == 1


def test_bad_token_fails_with_the_fix_and_skips_the_channel(fake_slack: FakeSlack) -> None:
    results = run(slack_checks(make_settings(**slack_values(fake_slack, slack_bot_token="xoxb-wrong"))))
    token = results["bot token"].verdict
    assert token.status is Status.FAIL and "invalid_auth" in token.summary
    assert token.fix and "FELLOW_SLACK_BOT_TOKEN" in token.fix
    assert results["channel"].status is Status.SKIP
    assert fake_slack.call_count("conversations.info") == 0


def test_a_user_token_is_refused_without_calling_slack(fake_slack: FakeSlack) -> None:
    results = run(slack_checks(make_settings(**slack_values(fake_slack, slack_bot_token="xoxp-user-token"))))
    assert results["bot token"].status is Status.FAIL and "xoxb-" in results["bot token"].verdict.summary
    assert fake_slack.call_count("auth.test") == 0


def test_bot_not_in_channel_fails_with_the_invite_command(fake_slack: FakeSlack) -> None:
    fake_slack.add_channel("quiet-room", bot_member=False)
    results = run(slack_checks(make_settings(**slack_values(fake_slack, slack_channel="#quiet-room"))))
    channel = results["channel"].verdict
    assert channel.status is Status.FAIL and "not a member of #quiet-room" in channel.summary
    assert channel.fix == "in #quiet-room, type `/invite @fellowbot`"


def test_unknown_channel_name_suggests_the_channel_id(fake_slack: FakeSlack) -> None:
    results = run(slack_checks(make_settings(**slack_values(fake_slack, slack_channel="#no-such-channel"))))
    channel = results["channel"].verdict
    assert channel.status is Status.FAIL and channel.fix and "Channel ID" in channel.fix


def test_token_without_the_manifest_scopes_fails(fake_slack: FakeSlack) -> None:
    body = {"ok": True, "user": "fellowbot", "user_id": "U0BOT", "team": "Fake Team", "team_id": "T0"}
    fake_slack.inject("auth.test", Fault(200, body, {"x-oauth-scopes": "chat:write,commands"}))
    token = run(slack_checks(make_settings(**slack_values(fake_slack))))["bot token"].verdict
    assert token.status is Status.FAIL
    assert all(scope in token.summary for scope in bot_scopes() - {"chat:write", "commands"})
    assert token.fix and "fellow slack manifest" in token.fix


def test_token_with_every_scope_reports_them_granted(fake_slack: FakeSlack) -> None:
    body = {"ok": True, "user": "fellowbot", "user_id": "U0BOT", "team": "Fake Team", "team_id": "T0"}
    fake_slack.inject("auth.test", Fault(200, body, {"X-OAuth-Scopes": ",".join(sorted(bot_scopes()))}))
    token = run(slack_checks(make_settings(**slack_values(fake_slack))))["bot token"].verdict
    assert token.status is Status.OK and "manifest scopes granted" in token.summary


def test_slack_server_error_is_a_failure_not_a_crash(fake_slack: FakeSlack) -> None:
    fake_slack.server_error("auth.test")
    token = run(slack_checks(make_settings(**slack_values(fake_slack))))["bot token"].verdict
    assert token.status is Status.FAIL and "500" in token.summary


def test_slack_that_does_not_answer_times_out(fake_slack: FakeSlack) -> None:
    fake_slack.slow("auth.test", 3.0)
    settings = make_settings(**slack_values(fake_slack))
    result = run_checks(slack_checks(settings)[:1], timeout_seconds=0.3)[0]
    assert result.status is Status.FAIL and "no answer within 0.3 s" in result.verdict.summary


def test_a_signing_secret_that_is_not_slacks_shape_is_a_warning(fake_slack: FakeSlack) -> None:
    settings = make_settings(**slack_values(fake_slack, slack_signing_secret="changeme"))
    assert run(slack_checks(settings))["signing secret"].status is Status.WARN


def test_slack_off_and_half_configured() -> None:
    off = run(slack_checks(make_settings()))["slack"].verdict
    assert off.status is Status.OFF and off.fix and "FELLOW_SLACK_BOT_TOKEN" in off.fix
    half = run(slack_checks(make_settings(slack_bot_token="xoxb-1")))["slack"].verdict
    assert half.status is Status.FAIL and "FELLOW_SLACK_SIGNING_SECRET" in half.summary


def test_app_token_for_socket_mode_is_checked_only_when_set(fake_slack: FakeSlack) -> None:
    assert "app token" not in run(slack_checks(make_settings(**slack_values(fake_slack))))
    good = run(slack_checks(make_settings(**slack_values(fake_slack, slack_app_token="xapp-1-A0-1-abc"))))
    assert good["app token"].status is Status.OK
    bad = run(slack_checks(make_settings(**slack_values(fake_slack, slack_app_token="xoxb-not-an-app-token"))))
    assert bad["app token"].status is Status.FAIL and "xapp-" in bad["app token"].verdict.summary
