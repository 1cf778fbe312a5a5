"""Chart specifications for the dashboard, drawn in the browser by the vendored Chart.js (static/vendor).

Each function returns a `<canvas>` carrying its data as escaped JSON in `data-chart` (static/dashboard.js turns it
into a Chart.js chart with tooltips, integer ticks for counts and full labels) and a `data-points` count the
browser test reads. A series whose largest value dwarfs the rest is drawn on a log scale and says so, so that one
backfill day does not flatten every other day.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from statistics import median
from typing import Any

from markupsafe import Markup

PALETTE = ("#2563eb", "#16a34a", "#d97706", "#dc2626", "#7c3aed", "#0891b2", "#4b5563")
OUTLIER_RATIO = 8.0


def _clean(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


def outlier_note(series: dict[str, Sequence[float | None]], labels: Sequence[str]) -> str | None:
    """Why a log scale is used (the peak and how far it stands above a typical value), or None for a linear one."""
    positive = [v for line in series.values() for v in line if v is not None and v > 0]
    if len(positive) < 3:
        return None
    typical = median(positive)
    peak = max(positive)
    if peak < OUTLIER_RATIO * typical:
        return None
    name, index = next((n, line.index(peak)) for n, line in series.items() if peak in line)
    return (
        f"Log scale: {name} on {labels[index]} ({peak:,.0f}) is {peak / typical:,.0f}× a typical day "
        "and would flatten the others."
    )


def _canvas(title: str, spec: dict[str, Any], points: int) -> Markup:
    if points == 0:
        return Markup(f'<div class="chart-empty" data-points="0" role="note">No data yet for “{escape(title)}”.</div>')
    payload = escape(json.dumps({"title": title, **spec}, separators=(",", ":"), allow_nan=False))
    note = spec.get("note")
    caption = f'<p class="chart-note">{escape(note)}</p>' if note else ""
    return Markup(
        f'<div class="chart-box"><canvas class="chart" role="img" aria-label="{escape(title)}" '
        f'data-points="{points}" data-chart="{payload}"></canvas></div>{caption}'
    )


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    color: str = PALETTE[0],
    unit: str = "",
    x_title: str = "",
    y_title: str = "",
) -> Markup:
    """Vertical bars, one per label (counts get integer ticks; outliers switch the axis to a log scale)."""
    note = outlier_note({y_title or title: list(values)}, labels)
    spec = {
        "kind": "bar",
        "labels": list(labels),
        "series": [{"name": y_title or title, "values": [_clean(v) for v in values], "color": color}],
        "unit": unit,
        "log": note is not None,
        "note": note,
        "integer": all(float(v).is_integer() for v in values),
        "xTitle": x_title,
        "yTitle": y_title,
    }
    return _canvas(title, spec, len(values))


def hbar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    unit: str = "",
    color: str = PALETTE[0],
    max_value: float | None = None,
) -> Markup:
    """Horizontal bars with full labels (rankings and breakdowns); `max_value` fixes the axis end (100 for %)."""
    spec = {
        "kind": "hbar",
        "labels": list(labels),
        "series": [{"name": title, "values": [_clean(v) for v in values], "color": color}],
        "unit": unit,
        "integer": all(float(v).is_integer() for v in values),
        "max": max_value,
    }
    return _canvas(title, spec, len(values))


def line_chart(
    title: str,
    labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
    *,
    top: float | None = None,
    unit: str = "",
    y_title: str = "",
) -> Markup:
    """One or more lines over shared x labels; None values leave gaps; a legend names each series."""
    note = None if top is not None else outlier_note(series, labels)
    values = [v for line in series.values() for v in line if v is not None]
    spec = {
        "kind": "line",
        "labels": list(labels),
        "series": [
            {"name": name, "values": [_clean(v) for v in line], "color": PALETTE[k % len(PALETTE)]}
            for k, (name, line) in enumerate(series.items())
        ],
        "unit": unit,
        "log": note is not None,
        "note": note,
        "integer": all(float(v).is_integer() for v in values),
        "max": top,
        "yTitle": y_title,
    }
    return _canvas(title, spec, len(values))


def reliability_chart(title: str, predicted: Sequence[float | None], observed: Sequence[float | None]) -> Markup:
    """Predicted vs observed rate per probability bin, against the diagonal of perfect calibration."""
    points = [
        {"x": _clean(p), "y": _clean(o)}
        for p, o in zip(predicted, observed, strict=True)
        if p is not None and o is not None
    ]
    spec = {
        "kind": "calibration",
        "points": points,
        "xTitle": "predicted probability of progressing",
        "yTitle": "observed share that progressed",
    }
    return _canvas(title, spec, len(points))
