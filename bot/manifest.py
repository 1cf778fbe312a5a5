"""The Slack app manifest: load bot/manifest.yaml and render it for a server URL or for Socket Mode.

The template's request URLs carry the server's Slack paths (`bot.http.SLACK_PATHS`) under a placeholder
host; rendering swaps in the operator's https origin (and optional path prefix behind a proxy), or drops the
URLs and turns Socket Mode on.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

MANIFEST_PATH = Path(__file__).resolve().parent / "manifest.yaml"


class ManifestError(ValueError):
    """The manifest cannot be rendered as asked (bad URL, or neither/both of URL and Socket Mode)."""


def load_manifest(path: Path = MANIFEST_PATH) -> dict[str, Any]:
    """The manifest template as a dict (placeholder URLs)."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def bot_scopes(manifest: dict[str, Any] | None = None) -> frozenset[str]:
    """The bot scopes the manifest requests (the template's when none is given)."""
    data = manifest if manifest is not None else load_manifest()
    return frozenset(data["oauth_config"]["scopes"]["bot"])


def request_paths(manifest: dict[str, Any]) -> dict[str, str]:
    """Where Slack sends each kind of request: {"events"|"interactivity"|"/command": path}."""
    settings, features = manifest["settings"], manifest["features"]
    paths = {
        "events": urlsplit(settings["event_subscriptions"]["request_url"]).path,
        "interactivity": urlsplit(settings["interactivity"]["request_url"]).path,
    }
    for command in features.get("slash_commands", []):
        paths[command["command"]] = urlsplit(command["url"]).path
    return paths


def normalize_base_url(url: str) -> str:
    """An https origin plus optional path prefix, without a trailing slash; ManifestError otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme != "https" or not parts.hostname:
        raise ManifestError(
            f"Slack needs a public https URL for its requests, got {url!r} (e.g. https://fellow.acme.com)"
        )
    if parts.query or parts.fragment:
        raise ManifestError(f"the server URL must not carry a query or fragment: {url!r}")
    return f"https://{parts.netloc}{parts.path.rstrip('/')}"


def _rebase(url: str, base: str) -> str:
    return base + urlsplit(url).path


def render_manifest(*, url: str | None = None, socket_mode: bool = False) -> dict[str, Any]:
    """The manifest for a server reachable at `url`, or for Socket Mode (no request URLs)."""
    if (url is None) == (not socket_mode):
        raise ManifestError("give either a server URL or Socket Mode, not both or neither")
    manifest = copy.deepcopy(load_manifest())
    settings, commands = manifest["settings"], manifest["features"].get("slash_commands", [])
    if socket_mode:
        settings["socket_mode_enabled"] = True
        settings["event_subscriptions"].pop("request_url", None)
        settings["interactivity"].pop("request_url", None)
        for command in commands:
            command.pop("url", None)
        return manifest
    base = normalize_base_url(url or "")
    settings["socket_mode_enabled"] = False
    for section in (settings["event_subscriptions"], settings["interactivity"]):
        section["request_url"] = _rebase(section["request_url"], base)
    for command in commands:
        command["url"] = _rebase(command["url"], base)
    return manifest


def manifest_yaml(manifest: dict[str, Any]) -> str:
    """YAML text ready to paste into Slack's "Create New App > From an app manifest"."""
    return yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, width=100)
