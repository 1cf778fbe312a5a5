"""Inline SVG charts (no JavaScript, no CDN): bars, horizontal bars, lines and a reliability diagram.

Each function returns escaped SVG markup sized by its viewBox, with a title for screen readers and a
`data-points` count the browser test reads to check that a chart actually drew its data.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

PALETTE = ("#2563eb", "#16a34a", "#d97706", "#dc2626", "#7c3aed", "#0891b2", "#4b5563")
WIDTH, HEIGHT = 640, 260
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 48, 16, 16, 48


def _fmt(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"


def _frame(title: str, points: int, body: list[str], height: int = HEIGHT) -> Markup:
    if points == 0:
        body = [
            f'<text x="{WIDTH / 2}" y="{height / 2}" text-anchor="middle" class="empty">No data yet</text>',
        ]
    svg = (
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" data-points="{points}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>{"".join(body)}</svg>'
    )
    return Markup(svg)


def _axis(top: float, height: int, ticks: int = 4) -> list[str]:
    plot_h = height - PAD_TOP - PAD_BOTTOM
    parts = []
    for i in range(ticks + 1):
        y = PAD_TOP + plot_h * (1 - i / ticks)
        parts.append(f'<line x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(
            f'<text x="{PAD_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{_fmt(top * i / ticks)}</text>'
        )
    return parts


def _label_every(count: int, room: int = 12) -> int:
    return max(1, -(-count // room))


def bar_chart(title: str, labels: Sequence[str], values: Sequence[float], *, color: str = PALETTE[0]) -> Markup:
    """Vertical bars, one per label (labels thinned when crowded)."""
    top = max([*values, 0]) or 1.0
    plot_w, plot_h = WIDTH - PAD_LEFT - PAD_RIGHT, HEIGHT - PAD_TOP - PAD_BOTTOM
    step = plot_w / max(len(values), 1)
    every = _label_every(len(labels))
    body = _axis(top, HEIGHT)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = plot_h * value / top
        x = PAD_LEFT + i * step + step * 0.1
        y = PAD_TOP + plot_h - h
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.8:.1f}" height="{h:.1f}" fill="{color}">'
            f"<title>{escape(label)}: {_fmt(value)}</title></rect>"
        )
        if i % every == 0:
            body.append(
                f'<text x="{x + step * 0.4:.1f}" y="{HEIGHT - PAD_BOTTOM + 16}" text-anchor="middle" class="tick">'
                f"{escape(label)}</text>"
            )
    return _frame(title, len(values), body)


def hbar_chart(
    title: str, labels: Sequence[str], values: Sequence[float], *, unit: str = "", color: str = PALETTE[0]
) -> Markup:
    """Horizontal bars with the value printed at the end (good for rankings and breakdowns)."""
    row, label_w = 26, 170
    height = PAD_TOP + row * max(len(values), 1) + 8
    top = max([*values, 0]) or 1.0
    plot_w = WIDTH - label_w - 70
    body = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = PAD_TOP + i * row
        w = plot_w * value / top
        body.append(
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" class="label">{escape(label[:28])}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" fill="{color}">'
            f"<title>{escape(label)}: {_fmt(value)}{escape(unit)}</title></rect>"
            f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" class="value">{_fmt(value)}{escape(unit)}</text>'
        )
    return _frame(title, len(values), body, height=max(height, 60))


def line_chart(
    title: str, labels: Sequence[str], series: dict[str, Sequence[float | None]], *, top: float | None = None
) -> Markup:
    """One or more lines over shared x labels; None values leave gaps. A legend names each series."""
    values = [v for line in series.values() for v in line if v is not None]
    top = top if top is not None else (max([*values, 0]) or 1.0)
    plot_w, plot_h = WIDTH - PAD_LEFT - PAD_RIGHT, HEIGHT - PAD_TOP - PAD_BOTTOM
    n = max(len(labels), 1)
    step = plot_w / max(n - 1, 1)
    body = _axis(top, HEIGHT)
    every = _label_every(len(labels))
    for i, label in enumerate(labels):
        if i % every == 0:
            x = PAD_LEFT + i * step
            body.append(
                f'<text x="{x:.1f}" y="{HEIGHT - PAD_BOTTOM + 16}" text-anchor="middle" class="tick">'
                f"{escape(label)}</text>"
            )
    for k, (name, line) in enumerate(series.items()):
        color = PALETTE[k % len(PALETTE)]
        segments: list[list[str]] = [[]]
        for i, value in enumerate(line):
            if value is None:
                segments.append([])
                continue
            x, y = PAD_LEFT + i * step, PAD_TOP + plot_h * (1 - value / top)
            segments[-1].append(f"{x:.1f},{y:.1f}")
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}">'
                f"<title>{escape(name)} {escape(labels[i])}: {_fmt(value)}</title></circle>"
            )
        for points in segments:
            if len(points) > 1:
                body.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{color}" stroke-width="2"/>')
        body.append(
            f'<rect x="{PAD_LEFT + k * 150}" y="{HEIGHT - 18}" width="10" height="10" fill="{color}"/>'
            f'<text x="{PAD_LEFT + k * 150 + 14}" y="{HEIGHT - 9}" class="label">{escape(name[:20])}</text>'
        )
    return _frame(title, len(values), body)


def reliability_chart(title: str, predicted: Sequence[float | None], observed: Sequence[float | None]) -> Markup:
    """Predicted vs observed rate per probability bin, against the diagonal of perfect calibration."""
    size = HEIGHT
    plot = size - PAD_TOP - PAD_BOTTOM
    body = _axis(1.0, size)
    x0, y0 = PAD_LEFT, PAD_TOP + plot
    body.append(f'<line x1="{x0}" y1="{y0}" x2="{x0 + plot}" y2="{PAD_TOP}" class="diagonal"/>')
    points = []
    for p, o in zip(predicted, observed, strict=True):
        if p is None or o is None:
            continue
        x, y = x0 + plot * p, y0 - plot * o
        points.append(f"{x:.1f},{y:.1f}")
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{PALETTE[0]}">'
            f"<title>predicted {p:.2f}, observed {o:.2f}</title></circle>"
        )
    if len(points) > 1:
        body.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{PALETTE[0]}" stroke-width="2"/>')
    body.append(
        f'<text x="{x0 + plot / 2}" y="{size - 12}" text-anchor="middle" class="tick">predicted probability</text>'
    )
    return _frame(title, len(points), body)
