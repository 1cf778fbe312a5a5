"""The manifest's bot scopes are exactly the ones the code's Slack Web API calls need."""

from __future__ import annotations

from bot.manifest import bot_scopes, load_manifest
from tests.unit.onboarding.code_scan import slack_api_methods_used, webclient_methods

# Bot-token scopes per Web API method, from each method's page on docs.slack.dev ("Required scopes").
# conversations.info: channels:read covers public channels (a private channel would also need groups:read).
# views.open, views.publish and auth.test need no scope.
METHOD_SCOPES: dict[str, frozenset[str]] = {
    "auth.test": frozenset(),
    "chat.postEphemeral": frozenset({"chat:write"}),
    "chat.postMessage": frozenset({"chat:write"}),
    "chat.update": frozenset({"chat:write"}),
    "conversations.info": frozenset({"channels:read"}),
    "usergroups.users.list": frozenset({"usergroups:read"}),
    "views.open": frozenset(),
    "views.publish": frozenset(),
}


def _feature_scopes() -> set[str]:
    """Scopes required by manifest features rather than Web API calls (slash commands need `commands`)."""
    return {"commands"} if load_manifest()["features"].get("slash_commands") else set()


def test_the_scan_reads_the_slack_client_and_finds_the_bots_calls() -> None:
    assert webclient_methods()["chat_postMessage"] == "chat.postMessage"
    used = slack_api_methods_used()
    assert {"chat.postMessage", "chat.update", "views.open", "views.publish", "auth.test"} <= used.keys()
    assert any(path.startswith("bot/") for path in used["chat.postMessage"])


def test_every_slack_method_the_code_calls_is_in_the_scope_table() -> None:
    unknown = {
        method: sorted(files) for method, files in slack_api_methods_used().items() if method not in METHOD_SCOPES
    }
    assert not unknown, f"add these methods' required bot scopes (from docs.slack.dev) to METHOD_SCOPES: {unknown}"


def test_every_method_is_covered_by_a_manifest_scope() -> None:
    granted = bot_scopes()
    missing = {
        method: sorted(METHOD_SCOPES[method] - granted)
        for method in slack_api_methods_used()
        if METHOD_SCOPES.get(method, frozenset()) - granted
    }
    assert not missing, f"bot/manifest.yaml lacks scopes for: {missing}"


def test_no_manifest_scope_is_unused() -> None:
    needed = set(_feature_scopes())
    for method in slack_api_methods_used():
        needed |= METHOD_SCOPES.get(method, frozenset())
    unused = bot_scopes() - needed
    assert not unused, f"bot/manifest.yaml requests scopes no code uses: {sorted(unused)}"
    assert needed == bot_scopes()
