"""The leads page's query string: read and validated at the edge (a bad value is a clear 400, never a guess), and
written back into links for sorting and paging that keep every other filter."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from urllib.parse import urlencode

from scoring.domain import PRIORITY_LABELS, RECOMMENDATION_LABELS
from store.repositories.lead_search import PAGE_SIZES, FeedbackFilter, LeadQuery, LeadSort

MAX_TEXT = 200
MAX_PAGE = 100_000
HAS_CALL = {"yes": True, "no": False}
KNOWN = {"q", "recommendation", "priority", "model", "has_call", "feedback", "sort", "order", "page", "per_page"}


class BadLeadQuery(ValueError):
    """A query-string value the leads page does not accept; the message says which and what is allowed."""


def _choice(params: Mapping[str, str], name: str, allowed: Mapping[str, object]) -> str | None:
    value = params.get(name, "").strip()
    if not value:
        return None
    if value not in allowed:
        raise BadLeadQuery(f"{name}={value!r} is not one of: {', '.join(allowed)}")
    return value


def _number(params: Mapping[str, str], name: str, default: int, allowed: range | tuple[int, ...]) -> int:
    raw = params.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) not in allowed:
        shown = f"{allowed.start}–{allowed.stop - 1}" if isinstance(allowed, range) else ", ".join(map(str, allowed))
        raise BadLeadQuery(f"{name}={raw[:20]!r} must be one of {shown}")
    return int(raw)


def parse_lead_query(params: Mapping[str, str]) -> LeadQuery:
    """The LeadQuery a query string asks for; BadLeadQuery names the first value that is not allowed."""
    unknown = sorted(set(params) - KNOWN)
    if unknown:
        raise BadLeadQuery(f"unknown filter {unknown[0]!r}; the leads page takes {', '.join(sorted(KNOWN))}")
    text = params.get("q", "")
    if len(text) > MAX_TEXT:
        raise BadLeadQuery(f"the search text is {len(text)} characters; at most {MAX_TEXT}")
    model = params.get("model", "").strip()
    if len(model) > 80:
        raise BadLeadQuery("model must be a model version name (at most 80 characters)")
    has_call = _choice(params, "has_call", HAS_CALL)
    feedback = _choice(params, "feedback", {f.value: f for f in FeedbackFilter})
    sort = _choice(params, "sort", {s.value: s for s in LeadSort})
    order = _choice(params, "order", {"asc": False, "desc": True})
    return LeadQuery(
        text=text.strip(),
        recommendation=_choice(params, "recommendation", RECOMMENDATION_LABELS),
        priority=_choice(params, "priority", PRIORITY_LABELS),
        model_version=model or None,
        has_call=None if has_call is None else HAS_CALL[has_call],
        feedback=None if feedback is None else FeedbackFilter(feedback),
        sort=LeadSort.SCORED_AT if sort is None else LeadSort(sort),
        descending=order != "asc",
        page=_number(params, "page", 1, range(1, MAX_PAGE + 1)),
        per_page=_number(params, "per_page", PAGE_SIZES[0], PAGE_SIZES),
    )


def query_string(query: LeadQuery, **changes: object) -> str:
    """The leads page URL for `query` with `changes` applied (defaults left out, so links stay short)."""
    sort = changes.get("sort")
    if isinstance(sort, str):
        changes["sort"] = LeadSort(sort)
    changed = replace(query, **changes)  # type: ignore[arg-type]
    params = {
        "q": changed.text,
        "recommendation": changed.recommendation or "",
        "priority": changed.priority or "",
        "model": changed.model_version or "",
        "has_call": "" if changed.has_call is None else ("yes" if changed.has_call else "no"),
        "feedback": "" if changed.feedback is None else changed.feedback.value,
        "sort": "" if changed.sort is LeadSort.SCORED_AT else changed.sort.value,
        "order": "" if changed.descending else "asc",
        "page": "" if changed.page == 1 else str(changed.page),
        "per_page": "" if changed.per_page == PAGE_SIZES[0] else str(changed.per_page),
    }
    encoded = urlencode({key: value for key, value in params.items() if value})
    return f"/dashboard/leads?{encoded}" if encoded else "/dashboard/leads"
