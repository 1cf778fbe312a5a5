"""Builders for what Slack POSTs into an app: slash commands, block_actions, view_submission, events.

Shapes follow Slack's documented payloads (see ../shared/INTEGRATIONS.md). Slash commands and
interactions are form-encoded (interactions as a `payload` field holding JSON); events are JSON.
"""

from __future__ import annotations

import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

TEAM_ID = "T0FAKE0001"
TEAM_DOMAIN = "fake-team"
APP_ID = "A0FAKEAPP1"
_seq = itertools.count(1)


def _unique(prefix: str) -> str:
    return f"{prefix}{int(time.time())}.{next(_seq):06d}"


def form_body(fields: dict[str, str]) -> str:
    """URL-encode form fields (slash commands)."""
    return urlencode(fields)


def interaction_body(payload: dict[str, Any]) -> str:
    """Form body with the single `payload` field Slack uses for interactions."""
    return urlencode({"payload": json.dumps(payload)})


def slash_command_fields(
    text: str,
    response_url: str,
    command: str = "/qualify",
    user_id: str = "U0FAKEUSR1",
    user_name: str = "alex",
    channel_id: str = "C0FAKECHN1",
    channel_name: str = "sales",
    team_id: str = TEAM_ID,
    trigger_id: str | None = None,
) -> dict[str, str]:
    """Form fields of a slash command invocation."""
    return {
        "token": "deprecated-verification-token",
        "team_id": team_id,
        "team_domain": TEAM_DOMAIN,
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id or _unique("trigger-"),
    }


def slash_command_body(text: str, response_url: str, **fields: Any) -> str:
    """Form-encoded slash command body (see `slash_command_fields` for the keyword arguments)."""
    return form_body(slash_command_fields(text, response_url, **fields))


def block_actions_payload(
    action_id: str,
    value: str,
    response_url: str,
    block_id: str = "feedback",
    user_id: str = "U0FAKEUSR1",
    user_name: str = "alex",
    channel_id: str = "C0FAKECHN1",
    message_ts: str = "1700000000.000100",
    message_blocks: list[dict[str, Any]] | None = None,
    bot_user_id: str = "U0FAKEBOT1",
    ephemeral: bool = False,
    trigger_id: str | None = None,
    action_ts: str | None = None,
    team_id: str = TEAM_ID,
    selected_option: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A button click, or with `selected_option` a pick from an overflow menu (which carries no `value`).
    Ephemeral containers carry no `message`, like Slack's."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id},
        "api_app_id": APP_ID,
        "token": "deprecated-verification-token",
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel_id,
            "is_ephemeral": ephemeral,
        },
        "trigger_id": trigger_id or _unique("trigger-"),
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel_id, "name": "sales"},
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": block_id,
                "text": {"type": "plain_text", "text": action_id, "emoji": True},
                "value": value,
                "type": "button",
                "action_ts": action_ts or f"{time.time():.6f}",
            }
        ],
    }
    if selected_option is not None:
        action = payload["actions"][0]
        del action["value"], action["text"]
        action.update(type="overflow", selected_option=selected_option)
    if not ephemeral:
        payload["message"] = {
            "type": "message",
            "user": bot_user_id,
            "ts": message_ts,
            "bot_id": "B0FAKEBOT1",
            "text": "card",
            "blocks": message_blocks or [],
        }
    return payload


def static_select_state(value: str, text: str | None = None) -> dict[str, Any]:
    """`view.state.values[block][action]` entry for a static select."""
    return {
        "type": "static_select",
        "selected_option": {"text": {"type": "plain_text", "text": text or value, "emoji": True}, "value": value},
    }


def text_input_state(value: str | None) -> dict[str, Any]:
    """`view.state.values[block][action]` entry for a plain-text input (None when left empty)."""
    return {"type": "plain_text_input", "value": value}


def view_submission_payload(
    callback_id: str,
    state_values: dict[str, dict[str, dict[str, Any]]],
    private_metadata: str = "",
    user_id: str = "U0FAKEUSR1",
    user_name: str = "alex",
    view_id: str | None = None,
    team_id: str = TEAM_ID,
) -> dict[str, Any]:
    """A modal submit; `state_values` is {block_id: {action_id: <state entry>}}."""
    view_id = view_id or _unique("V")
    return {
        "type": "view_submission",
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "user": {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id},
        "api_app_id": APP_ID,
        "token": "deprecated-verification-token",
        "trigger_id": _unique("trigger-"),
        "view": {
            "id": view_id,
            "team_id": team_id,
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "title": {"type": "plain_text", "text": "Feedback"},
            "blocks": [],
            "state": {"values": state_values},
            "hash": _unique("hash-"),
            "root_view_id": view_id,
            "app_id": APP_ID,
            "bot_id": "B0FAKEBOT1",
        },
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def app_home_opened_event(user_id: str = "U0FAKEUSR1", event_id: str | None = None) -> dict[str, Any]:
    """Events API envelope for `app_home_opened` (JSON body)."""
    return {
        "token": "deprecated-verification-token",
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "event": {
            "type": "app_home_opened",
            "user": user_id,
            "channel": "D0FAKEDM01",
            "tab": "home",
            "event_ts": f"{time.time():.6f}",
        },
        "type": "event_callback",
        "event_id": event_id or _unique("Ev"),
        "event_time": int(time.time()),
    }
