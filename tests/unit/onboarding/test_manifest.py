"""The Slack app manifest: /qualify, interactivity, App Home, request URLs on the server's Slack paths."""

from __future__ import annotations

import pytest
import yaml

from bot.http import SLACK_PATHS
from bot.manifest import ManifestError, load_manifest, manifest_yaml, render_manifest, request_paths
from tests.unit.onboarding.code_scan import bolt_registrations


def test_template_points_every_request_at_a_path_the_server_mounts() -> None:
    paths = request_paths(load_manifest())
    assert set(paths) == {"events", "interactivity", "/qualify"}
    assert set(paths.values()) <= set(SLACK_PATHS)


def test_qualify_command_has_a_usage_hint_and_interactivity_and_home_are_on() -> None:
    manifest = load_manifest()
    (command,) = manifest["features"]["slash_commands"]
    assert command["command"] == "/qualify" and "acme.com" in command["usage_hint"]
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True


def test_manifest_matches_the_listeners_the_bot_registers() -> None:
    manifest = load_manifest()
    assert bolt_registrations("event") == set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert bolt_registrations("command") == {c["command"] for c in manifest["features"]["slash_commands"]}


def test_render_for_a_url_rewrites_every_request_url() -> None:
    manifest = render_manifest(url="https://fellow.acme.com/")
    settings = manifest["settings"]
    assert settings["event_subscriptions"]["request_url"] == "https://fellow.acme.com/slack/events"
    assert settings["interactivity"]["request_url"] == "https://fellow.acme.com/slack/interactions"
    assert manifest["features"]["slash_commands"][0]["url"] == "https://fellow.acme.com/slack/commands"
    assert settings["socket_mode_enabled"] is False


def test_render_keeps_a_path_prefix_behind_a_proxy_and_round_trips_as_yaml() -> None:
    text = manifest_yaml(render_manifest(url="https://tools.acme.com:8443/fellow"))
    parsed = yaml.safe_load(text)
    assert parsed["settings"]["interactivity"]["request_url"] == "https://tools.acme.com:8443/fellow/slack/interactions"
    assert "example.com" not in text


def test_render_for_socket_mode_drops_request_urls() -> None:
    manifest = render_manifest(socket_mode=True)
    settings = manifest["settings"]
    assert settings["socket_mode_enabled"] is True
    assert "request_url" not in settings["event_subscriptions"] and "request_url" not in settings["interactivity"]
    assert "url" not in manifest["features"]["slash_commands"][0]
    assert "request_url" in load_manifest()["settings"]["interactivity"]  # the template is untouched


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"url": "http://fellow.acme.com"}, "https"),
        ({"url": "https://"}, "https"),
        ({"url": "fellow.acme.com"}, "https"),
        ({"url": "https://fellow.acme.com/?x=1"}, "query"),
        ({}, "either"),
        ({"url": "https://fellow.acme.com", "socket_mode": True}, "either"),
    ],
)
def test_render_refuses_bad_requests(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ManifestError, match=message):
        render_manifest(**kwargs)  # type: ignore[arg-type]
