"""Slack Web API methods implemented against a `Workspace`; each returns the JSON Slack would send."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tests.fakes.slack.blocks import MESSAGE_MAX_BLOCKS, SURFACE_MAX_BLOCKS, validate_blocks
from tests.fakes.slack.workspace import Message, Workspace

MAX_MESSAGE_TEXT = 40_000
Args = dict[str, Any]
Method = Callable[[Workspace, Args], dict[str, Any]]


def error(code: str, **extra: Any) -> dict[str, Any]:
    """Slack's failure envelope."""
    return {"ok": False, "error": code, **extra}


def json_arg(value: Any) -> Any:
    """Form-encoded calls carry blocks/views as JSON strings; JSON calls carry them as objects."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _blocks_error(blocks: Any, max_blocks: int) -> dict[str, Any] | None:
    if blocks is None:
        return None
    problems = validate_blocks(json_arg(blocks), max_blocks)
    if not problems:
        return None
    return error(
        "invalid_blocks",
        errors=problems,
        response_metadata={"messages": [f"[ERROR] {p}" for p in problems]},
    )


def _content_error(args: Args) -> dict[str, Any] | None:
    text, blocks = args.get("text"), args.get("blocks")
    if not text and not blocks and not args.get("attachments"):
        return error("no_text")
    if isinstance(text, str) and len(text) > MAX_MESSAGE_TEXT:
        return error("msg_too_long")
    return _blocks_error(blocks, MESSAGE_MAX_BLOCKS)


def _message_json(message: Message) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "message", "user": message.user, "ts": message.ts, "text": message.text or ""}
    if message.bot_id:
        body["bot_id"] = message.bot_id
    if message.blocks is not None:
        body["blocks"] = message.blocks
    if message.thread_ts:
        body["thread_ts"] = message.thread_ts
    return body


def auth_test(ws: Workspace, args: Args) -> dict[str, Any]:
    """Identify the bot behind the token (Bolt calls this at start)."""
    return {
        "ok": True,
        "url": "https://fake-team.slack.com/",
        "team": "Fake Team",
        "user": "fellowbot",
        "team_id": ws.team_id,
        "user_id": ws.bot_user_id,
        "bot_id": ws.bot_id,
        "is_enterprise_install": False,
    }


def chat_post_message(ws: Workspace, args: Args) -> dict[str, Any]:
    """Post a bot message to a channel the bot is a member of."""
    with ws.lock:
        channel = ws.resolve_channel(args.get("channel"))
        if channel is None:
            return error("channel_not_found")
        if channel.is_archived:
            return error("is_archived")
        if ws.bot_user_id not in channel.members:
            return error("not_in_channel")
        problem = _content_error(args)
        if problem:
            return problem
        message = Message(
            channel=channel.id,
            ts=ws.next_ts(),
            user=ws.bot_user_id,
            text=args.get("text"),
            blocks=json_arg(args.get("blocks")),
            bot_id=ws.bot_id,
            thread_ts=args.get("thread_ts"),
            metadata=json_arg(args.get("metadata")),
        )
        ws.messages.append(message)
        return {"ok": True, "channel": channel.id, "ts": message.ts, "message": _message_json(message)}


def chat_update(ws: Workspace, args: Args) -> dict[str, Any]:
    """Edit one of the bot's own channel messages by channel + ts (ephemeral messages cannot be)."""
    with ws.lock:
        channel = ws.resolve_channel(args.get("channel"))
        if channel is None:
            return error("channel_not_found")
        message = ws.find_message(channel.id, str(args.get("ts")))
        if message is None:
            return error("message_not_found")
        if message.user != ws.bot_user_id:
            return error("cant_update_message")
        problem = _content_error(args)
        if problem:
            return problem
        message.edits.append({"text": message.text, "blocks": message.blocks})
        message.text = args.get("text")
        message.blocks = json_arg(args.get("blocks"))
        return {
            "ok": True,
            "channel": channel.id,
            "ts": message.ts,
            "text": message.text or "",
            "message": _message_json(message),
        }


def chat_post_ephemeral(ws: Workspace, args: Args) -> dict[str, Any]:
    """Show a message to one user in a channel; it is not stored as a channel message."""
    with ws.lock:
        channel = ws.resolve_channel(args.get("channel"))
        if channel is None:
            return error("channel_not_found")
        user = args.get("user")
        if user not in ws.users:
            return error("user_not_found")
        if user not in channel.members:
            return error("user_not_in_channel")
        problem = _content_error(args)
        if problem:
            return problem
        ts = ws.next_ts()
        ws.ephemerals.append(
            {
                "channel": channel.id,
                "user": user,
                "ts": ts,
                "text": args.get("text"),
                "blocks": json_arg(args.get("blocks")),
            }
        )
        return {"ok": True, "message_ts": ts}


def _view_error(view: Any, expected_type: str) -> dict[str, Any] | None:
    if not isinstance(view, dict) or view.get("type") != expected_type:
        return error("invalid_arguments", response_metadata={"messages": ["[ERROR] invalid view type"]})
    if expected_type == "modal" and not view.get("title"):
        return error("invalid_arguments", response_metadata={"messages": ["[ERROR] missing title"]})
    return _blocks_error(view.get("blocks", []), SURFACE_MAX_BLOCKS)


def views_open(ws: Workspace, args: Args) -> dict[str, Any]:
    """Open a modal; each trigger_id works once (Slack also expires them after 3 s)."""
    view = json_arg(args.get("view"))
    trigger_id = args.get("trigger_id")
    with ws.lock:
        if not trigger_id:
            return error("invalid_arguments")
        if trigger_id in ws.used_triggers:
            return error("expired_trigger_id")
        problem = _view_error(view, "modal")
        if problem:
            return problem
        ws.used_triggers.add(trigger_id)
        stored = {**view, "id": ws.next_id("V"), "trigger_id": trigger_id}
        ws.views.append(stored)
        return {"ok": True, "view": stored}


def views_publish(ws: Workspace, args: Args) -> dict[str, Any]:
    """Publish a user's App Home tab."""
    view = json_arg(args.get("view"))
    user_id = args.get("user_id")
    with ws.lock:
        if user_id not in ws.users:
            return error("user_not_found")
        problem = _view_error(view, "home")
        if problem:
            return problem
        stored = {**view, "id": ws.next_id("V")}
        ws.home_views[user_id] = stored
        return {"ok": True, "view": stored}


def conversations_info(ws: Workspace, args: Args) -> dict[str, Any]:
    """Channel details including whether the bot is a member (`is_member`)."""
    with ws.lock:
        channel = ws.resolve_channel(args.get("channel"))
        if channel is None:
            return error("channel_not_found")
        return {
            "ok": True,
            "channel": {
                "id": channel.id,
                "name": channel.name,
                "is_channel": not channel.is_private,
                "is_private": channel.is_private,
                "is_archived": channel.is_archived,
                "is_member": ws.bot_user_id in channel.members,
                "num_members": len(channel.members),
            },
        }


def conversations_members(ws: Workspace, args: Args) -> dict[str, Any]:
    """Member ids of a channel (one page; cursor always empty)."""
    with ws.lock:
        channel = ws.resolve_channel(args.get("channel"))
        if channel is None:
            return error("channel_not_found")
        return {"ok": True, "members": sorted(channel.members), "response_metadata": {"next_cursor": ""}}


def users_info(ws: Workspace, args: Args) -> dict[str, Any]:
    """A user's profile (name, real name, email)."""
    with ws.lock:
        user = ws.users.get(args.get("user", ""))
        if user is None:
            return error("user_not_found")
        profile = {"real_name": user.real_name, "display_name": user.name}
        if user.email:
            profile["email"] = user.email
        return {
            "ok": True,
            "user": {
                "id": user.id,
                "team_id": ws.team_id,
                "name": user.name,
                "real_name": user.real_name,
                "deleted": user.deleted,
                "is_bot": user.is_bot,
                "tz": "Europe/London",
                "profile": profile,
            },
        }


def usergroups_users_list(ws: Workspace, args: Args) -> dict[str, Any]:
    """Members of a user group (used to restrict who may give feedback)."""
    with ws.lock:
        users = ws.usergroups.get(args.get("usergroup", ""))
        if users is None:
            return error("no_such_subteam")
        return {"ok": True, "users": list(users)}


METHODS: dict[str, Method] = {
    "auth.test": auth_test,
    "chat.postMessage": chat_post_message,
    "chat.update": chat_update,
    "chat.postEphemeral": chat_post_ephemeral,
    "views.open": views_open,
    "views.publish": views_publish,
    "conversations.info": conversations_info,
    "conversations.members": conversations_members,
    "users.info": users_info,
    "usergroups.users.list": usergroups_users_list,
}
