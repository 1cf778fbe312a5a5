"""Scan the product's source (AST) for Slack Web API calls and Bolt listener registrations."""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from slack_sdk import WebClient

REPO = Path(__file__).resolve().parents[3]
PRODUCT_PACKAGES = ("config", "store", "nlp", "scoring", "learning", "crm_sync", "bot", "admin_api")
_API_CALL = re.compile(r"api_call\(\s*[\"']([A-Za-z0-9_.]+)[\"']")


@cache
def webclient_methods() -> dict[str, str]:
    """slack_sdk WebClient Python method name -> Slack Web API method, read from each method's api_call."""
    methods: dict[str, str] = {}
    for name, function in inspect.getmembers(WebClient, inspect.isfunction):
        if name.startswith("_") or name == "api_call":
            continue
        found = _API_CALL.search(inspect.getsource(function))
        if found:
            methods[name] = found.group(1)
    return methods


def product_files() -> Iterator[Path]:
    """Every Python file of the application packages."""
    for package in PRODUCT_PACKAGES:
        yield from sorted((REPO / package).rglob("*.py"))


def _calls(path: Path) -> Iterator[ast.Call]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            yield node


def _first_string(call: ast.Call) -> str | None:
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    return None


@cache
def slack_api_methods_used() -> dict[str, frozenset[str]]:
    """Slack Web API method -> files that call it (`client.chat_postMessage(…)` or `api_call("…")`)."""
    known = webclient_methods()
    used: dict[str, set[str]] = {}
    for path in product_files():
        for call in _calls(path):
            attr = call.func.attr  # type: ignore[attr-defined]
            method = known.get(attr) or (_first_string(call) if attr == "api_call" else None)
            if method:
                used.setdefault(method, set()).add(str(path.relative_to(REPO)))
    return {method: frozenset(files) for method, files in used.items()}


def bolt_registrations(kind: str, package: str = "bot") -> set[str]:
    """String arguments of `app.<kind>("…")` calls in a package (events, commands)."""
    found: set[str] = set()
    for path in sorted((REPO / package).rglob("*.py")):
        for call in _calls(path):
            name = _first_string(call)
            if call.func.attr == kind and name is not None:  # type: ignore[attr-defined]
                found.add(name)
    return found
