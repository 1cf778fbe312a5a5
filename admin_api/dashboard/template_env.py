"""Template hygiene for every dashboard page: shown text loses NUL and bidi controls, links must be http(s)."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from store.text import safe_link, strip_unsafe


def _finalize(value: Any) -> Any:
    """Applied to every `{{ … }}` output before escaping (markup we built stays markup)."""
    if isinstance(value, Markup):
        return Markup(strip_unsafe(value))
    return strip_unsafe(value) if isinstance(value, str) else value


def harden(env: Environment) -> None:
    """Install the output filter and the `safe_link` filter (use it for every href built from stored data)."""
    env.finalize = _finalize
    env.filters["safe_link"] = safe_link
