"""Fake Slack Web API, and `SlackSender` to send signed Slack requests into an app."""

from tests.fakes.slack.blocks import validate_blocks
from tests.fakes.slack.payloads import (
    app_home_opened_event,
    block_actions_payload,
    form_body,
    interaction_body,
    slash_command_body,
    slash_command_fields,
    static_select_state,
    text_input_state,
    view_submission_payload,
)
from tests.fakes.slack.sender import SIGNING_SECRET, SlackSender
from tests.fakes.slack.server import FakeSlack
from tests.fakes.slack.signing import slack_signed_headers

__all__ = [
    "SIGNING_SECRET",
    "FakeSlack",
    "SlackSender",
    "app_home_opened_event",
    "block_actions_payload",
    "form_body",
    "interaction_body",
    "slack_signed_headers",
    "slash_command_body",
    "slash_command_fields",
    "static_select_state",
    "text_input_state",
    "validate_blocks",
    "view_submission_payload",
]
