"""Self-contained HTML evaluation report: tables plus inline SVG charts (no scripts, no external assets)."""

from __future__ import annotations

import html
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from learning.ablation import Ablation
from learning.evaluation import ContenderResult, Evaluation
from learning.promotion import GateDecision
from scoring.domain import PRIORITY_LABELS, Priority

COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd")
W, H, PAD = 360, 260, 36
SUMMARY_KEYS = (
    "roc_auc", "pr_auc", "brier", "base_rate_brier", "calibration_error", "handoff_precision", "rejection_rate",
    "handoff_recall", "ae_time_saved", "handed_off", "voice_ai_precision", "voice_ai_flagged", "voice_ai_roc_auc",
)  # fmt: skip
METRIC_LABELS = {
    "roc_auc": "ROC-AUC (ranking; 0.5 is chance, higher is better)",
    "pr_auc": "PR-AUC (ranking of progressing leads)",
    "brier": "Brier score (probability error; lower is better)",
    "base_rate_brier": "Brier of always guessing the base rate",
    "calibration_error": "calibration error (lower is better)",
    "handoff_precision": "handoff precision (share of AE handoffs that progressed)",
    "rejection_rate": "rejection rate (share of AE handoffs that did not progress)",
    "handoff_recall": "handoff recall (share of progressing leads handed off)",
    "ae_time_saved": "AE time saved (non-progressing leads kept away from AEs)",
    "handed_off": "leads handed off to AEs",
    "voice_ai_precision": "Voice AI precision (flagged leads that were Voice AI deals)",
    "voice_ai_flagged": "leads flagged High (Voice AI)",
    "voice_ai_roc_auc": "Voice AI ROC-AUC",
}
"""What each summary metric means, as the report's rows name it."""


def _x(v: float) -> float:
    return PAD + v * (W - 2 * PAD)


def _y(v: float, top: float = 1.0) -> float:
    return H - PAD - (v / top if top else 0.0) * (H - 2 * PAD)


def _frame(title: str, x_label: str, y_label: str, top: float) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" role="img" '
        f'aria-label="{html.escape(title)}">',
        f'<text x="{W / 2}" y="16" text-anchor="middle" font-size="13">{html.escape(title)}</text>',
        f'<line x1="{PAD}" y1="{H - PAD}" x2="{W - PAD}" y2="{H - PAD}" stroke="#444"/>',
        f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{H - PAD}" stroke="#444"/>',
        f'<text x="{W / 2}" y="{H - 6}" text-anchor="middle" font-size="11">{html.escape(x_label)}</text>',
        f'<text x="12" y="{H / 2}" font-size="11" transform="rotate(-90 12 {H / 2})" text-anchor="middle">'
        f"{html.escape(y_label)}</text>",
        f'<text x="{PAD - 4}" y="{PAD + 4}" text-anchor="end" font-size="10">{top:.2g}</text>',
        f'<text x="{PAD - 4}" y="{H - PAD}" text-anchor="end" font-size="10">0</text>',
    ]


def _legend(names: list[str]) -> list[str]:
    return [
        f'<text x="{W - PAD}" y="{PAD + 14 * i}" text-anchor="end" font-size="11" fill="{COLOURS[i % 4]}">'
        f"{html.escape(name)}</text>"
        for i, name in enumerate(names)
    ]


def reliability_svg(contenders: list[ContenderResult]) -> str:
    """Reliability curve: mean predicted vs observed rate per bin, one line per contender."""
    parts = _frame("Reliability", "predicted probability", "observed rate", 1.0)
    parts.append(f'<line x1="{_x(0)}" y1="{_y(0)}" x2="{_x(1)}" y2="{_y(1)}" stroke="#bbb" stroke-dasharray="4"/>')
    for i, result in enumerate(contenders):
        points = [
            f"{_x(b['mean_predicted']):.1f},{_y(b['observed_rate']):.1f}"
            for b in result.reliability
            if b["mean_predicted"] is not None and b["observed_rate"] is not None
        ]
        colour = COLOURS[i % 4]
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(points)}"/>')
    return "".join([*parts, *_legend([c.name for c in contenders]), "</svg>"])


def _bars(title: str, x_label: str, y_label: str, series: list[list[float]], names: list[str]) -> str:
    top = max([v for values in series for v in values] + [1e-9])
    parts = _frame(title, x_label, y_label, top)
    groups = max((len(values) for values in series), default=0)
    slot = (W - 2 * PAD) / max(1, groups)
    width = slot / (len(series) + 1)
    for i, values in enumerate(series):
        for k, value in enumerate(values):
            x = PAD + k * slot + (i + 0.5) * width
            parts.append(
                f'<rect x="{x:.1f}" y="{_y(value, top):.1f}" width="{width:.1f}" '
                f'height="{H - PAD - _y(value, top):.1f}" fill="{COLOURS[i % 4]}"/>'
            )
    return "".join([*parts, *_legend(names), "</svg>"])


def lift_svg(contenders: list[ContenderResult]) -> str:
    """Lift per score decile (1 = highest scores), one bar per contender."""
    series = [[d["lift"] or 0.0 for d in result.lift] for result in contenders]
    return _bars("Lift by score decile", "decile (1 = top scores)", "lift", series, [c.name for c in contenders])


def distribution_svg(contenders: list[ContenderResult]) -> str:
    """Share of leads per tenth of the probability range."""
    series = [result.score_histogram for result in contenders]
    return _bars(
        "Score distribution", "progression probability (tenths)", "share", series, [c.name for c in contenders]
    )


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4f}"
    return html.escape("n/a" if value is None else str(value))


def ablation_html(ablation: Ablation) -> str:
    """The ablation table: signals-only, text-only, combined and the prior on the same slice, and the choice."""
    contenders = list(ablation.evaluation.contenders.values())
    head = "".join(f"<th>{html.escape(c.name)}</th>" for c in contenders)
    rows = "".join(
        f"<tr><td>{key}</td>{''.join(f'<td>{_cell(c.summary.get(key))}</td>' for c in contenders)}</tr>"
        for key in SUMMARY_KEYS
    )
    return (
        "<h2>Ablation: what the words in the notes add</h2>"
        f"<p>Challenger inputs: <b>{html.escape(ablation.chosen)}</b> — {html.escape(ablation.reason)}.</p>"
        f"<table><tr><th>metric</th>{head}</tr>{rows}</table>"
    )


def skipped_html(skipped: Mapping[str, str]) -> str:
    """Which models were not trained and why (their rule-based estimate keeps serving)."""
    if not skipped:
        return ""
    items = "".join(f"<li><b>{html.escape(k)}</b>: {html.escape(v)}</li>" for k, v in skipped.items())
    return f"<h2>Models not trained</h2><ul>{items}</ul>"


def policy_html(contenders: list[ContenderResult]) -> str:
    """Each contender's handoff policy: operating points, expected precision and weekly volume, calibration."""
    rows = []
    for c in contenders:
        policy = c.policy
        if policy is None:
            continue
        points = [
            ("AE handoff", policy.handoff),
            ("AE capacity", policy.capacity),
            (PRIORITY_LABELS[Priority.HIGH_VOICE_AI], policy.voice_ai),
        ]
        calibrated = "calibrated" if policy.calibrated else "UNCALIBRATED (does not beat the base rate's Brier)"
        for label, point in points:
            if point is None:
                continue
            rows.append(
                f"<tr><td>{html.escape(c.name)}</td><td>{label}</td><td>{_cell(point.target)}</td>"
                f"<td>{'yes' if point.met else 'NO'}</td><td>{_cell(point.threshold)}</td><td>{point.handoffs}</td>"
                f"<td>{_cell(point.weekly_volume)}</td><td>{_cell(point.expected_precision)}</td>"
                f"<td>{_cell(point.precision_lower_bound)}</td><td>{html.escape(calibrated)}</td>"
                f"<td style='text-align:left'>{html.escape(point.note)}</td></tr>"
            )
    if not rows:
        return ""
    head = (
        "<tr><th>contender</th><th>decision</th><th>target</th><th>met</th><th>cut-off</th><th>handoffs</th>"
        "<th>per week</th><th>precision</th><th>lower bound</th><th>probability</th><th>note</th></tr>"
    )
    return f"<h2>Handoff policy (chosen on this slice)</h2><table>{head}{''.join(rows)}</table>"


def rule_audit_html(result: ContenderResult) -> str:
    """Every rule: how often it fired, its leads' outcome rate vs the model's estimate, and review flags."""
    if not result.rule_audit:
        return ""
    head = (
        "<tr><th>rule</th><th>effect</th><th>fired</th><th>fire rate</th><th>outcome rate</th><th>interval</th>"
        "<th>model estimate</th><th>rule implies</th><th>verdict</th></tr>"
    )
    rows = "".join(
        f"<tr><td>{html.escape(a['rule_id'])}</td><td>{html.escape(a['effect'])}</td><td>{a['fired']}</td>"
        f"<td>{_cell(a['fire_rate'])}</td><td>{_cell(a['outcome_rate'])}</td>"
        f"<td>{_interval(a['outcome_interval'])}</td><td>{_cell(a['model_estimate'])}</td>"
        f"<td>{_interval(a['implied'])}</td><td style='text-align:left'>{html.escape(a['note'])}</td></tr>"
        for a in result.rule_audit
    )
    return f"<h2>Rule audit ({html.escape(result.name)}, outcomes on this slice)</h2><table>{head}{rows}</table>"


def _interval(bounds: tuple[float, float] | list[float] | None) -> str:
    return "n/a" if bounds is None else f"{bounds[0]:.2f}–{bounds[1]:.2f}"


def render(
    evaluation: Evaluation,
    *,
    title: str,
    decision: GateDecision | None = None,
    ablation: Ablation | None = None,
    skipped: Mapping[str, str] | None = None,
) -> str:
    """The full HTML document."""
    contenders = list(evaluation.contenders.values())
    head = "".join(
        f"<th>{html.escape(c.name)}<br><small>{html.escape(c.model_version)}</small></th>" for c in contenders
    )
    rows = "".join(
        f"<tr><td>{METRIC_LABELS[key]}</td>{''.join(f'<td>{_cell(c.summary.get(key))}</td>' for c in contenders)}</tr>"
        for key in SUMMARY_KEYS
    )
    explored = "".join(
        f"<tr><td>{html.escape(c.name)}</td><td><pre>{html.escape(json.dumps(c.exploration))}</pre></td></tr>"
        for c in contenders
        if c.exploration is not None
    )
    if decision is not None:
        word = "promoted" if decision.promote else "not promoted"
        reasons = "".join(f"<li>{html.escape(r)}</li>" for r in decision.reasons)
        verdict = (
            f"<h2>Verdict: {word}</h2><p>The promotion gate compared this version with the "
            f"{html.escape(decision.incumbent)} on the newest slice and decided:</p><ul>{reasons}</ul>"
        )
    else:
        verdict = "<h2>Verdict: none</h2><p>A re-evaluation: the figures below, no promotion decision.</p>"
    window = " – ".join(evaluation.window) if evaluation.window else "n/a"
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child{text-align:left}"
        "svg{margin:8px;border:1px solid #eee}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        f"<p>Newest slice: {evaluation.n} labelled leads ({html.escape(window)}), base rate "
        f"{_cell(evaluation.base_rate)}, {evaluation.exploration_rows} in the exploration slice.</p>"
        f"{verdict}{skipped_html(skipped or {})}<table><tr><th>metric</th>{head}</tr>{rows}</table>"
        f"<div>{reliability_svg(contenders)}{lift_svg(contenders)}{distribution_svg(contenders)}</div>"
        + (
            f"<h2>Exploration slice (routing not influenced by any model)</h2><table>{explored}</table>"
            if explored
            else ""
        )
        + policy_html(contenders)
        + (rule_audit_html(contenders[0]) if contenders else "")
        + (ablation_html(ablation) if ablation is not None else "")
        + "</body></html>"
    )


def write_report(
    evaluation: Evaluation,
    directory: Path,
    *,
    name: str,
    decision: GateDecision | None = None,
    ablation: Ablation | None = None,
    skipped: Mapping[str, str] | None = None,
) -> Path:
    """Write `<directory>/<name>.html` atomically and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{name}.html"
    text = render(evaluation, title=f"Model evaluation {name}", decision=decision, ablation=ablation, skipped=skipped)
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
