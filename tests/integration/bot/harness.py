"""Serve the bot's Slack router over real HTTP (FastAPI + uvicorn on port 0) and read the blocks it sends.

Sending signed requests into it is the fake Slack's side: `tests.fakes.slack.SlackSender`; waiting for background
work is `tests.fakes.core.wait.wait_for`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI
from slack_bolt import App

from bot.http import slack_router
from tests.fakes.core.live_server import live_server
from tests.fakes.slack import SIGNING_SECRET


@contextmanager
def serve(app: App) -> Iterator[str]:
    """Run the Slack router in uvicorn on 127.0.0.1:0; yields the base URL."""
    api = FastAPI()
    api.include_router(slack_router(app, signing_secret=SIGNING_SECRET))
    with live_server(api) as base_url:
        yield base_url


def block_texts(blocks: list[dict[str, Any]] | None) -> str:
    """All visible text of a blocks array, joined by newlines (for assertions)."""
    out: list[str] = []
    for block in blocks or []:
        text = block.get("text")
        if isinstance(text, dict):
            out.append(str(text.get("text", "")))
        for item in block.get("fields") or []:
            out.append(str(item.get("text", "")))
        for element in block.get("elements") or []:
            inner = element.get("text")
            out.append(str(inner.get("text", "")) if isinstance(inner, dict) else str(inner or ""))
    return "\n".join(out)


def action_ids(blocks: list[dict[str, Any]] | None) -> list[str]:
    """Action ids of every button in a blocks array."""
    return [e["action_id"] for b in blocks or [] if b.get("type") == "actions" for e in b["elements"]]


def button_value(blocks: list[dict[str, Any]] | None, action_id: str) -> str:
    """The value of the button with `action_id`."""
    for block in blocks or []:
        for element in block.get("elements") or []:
            if element.get("action_id") == action_id:
                return str(element["value"])
    raise KeyError(action_id)
