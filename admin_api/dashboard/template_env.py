"""Template hygiene for every dashboard page: shown text loses NUL and bidi controls, links must be http(s); stored
enum values are shown with their human labels ("AE handoff", not AE_HANDOFF)."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from bot.domain import REASON_LABELS
from scoring.domain import PRIORITY_LABELS, RECOMMENDATION_LABELS
from store.text import safe_link, strip_unsafe

HUMAN_LABELS: dict[str, str] = {**RECOMMENDATION_LABELS, **PRIORITY_LABELS, **REASON_LABELS}


def human(value: Any) -> Any:
    """A recommendation, priority or feedback reason as a person reads it (other values unchanged)."""
    return HUMAN_LABELS.get(value, value) if isinstance(value, str) else value


def _finalize(value: Any) -> Any:
    """Applied to every `{{ … }}` output before escaping (markup we built stays markup)."""
    if isinstance(value, Markup):
        return Markup(strip_unsafe(value))
    return strip_unsafe(value) if isinstance(value, str) else value


def harden(env: Environment) -> None:
    """Install the output filter, the `safe_link` filter (use it for every href built from stored data) and the
    `human` filter (use it for every enum value a person reads)."""
    env.finalize = _finalize
    env.filters["safe_link"] = safe_link
    env.filters["human"] = human
