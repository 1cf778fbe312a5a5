"""Human-readable output for `fellow` commands: aligned tables and short summaries (`--json` prints the data)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import typer

from admin_api.cli.common import echo_json

Column = tuple[str, str]  # (key, header)
CONTENDER_FIGURES: tuple[Column, ...] = (
    ("roc_auc", "ROC-AUC"),
    ("brier", "Brier"),
    ("handed_off", "handed off"),
    ("handoff_precision", "handoff prec."),
    ("handoff_recall", "handoff recall"),
    ("ae_time_saved", "AE time saved"),
    ("voice_ai_precision", "Voice AI prec."),
)
JSON_OPTION_HELP = "Print JSON for scripts instead of the readable summary."


def cell(value: Any) -> str:
    """One value as a table cell: ratios to 3 places, missing as '-', booleans as yes/no."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def table(rows: Sequence[dict[str, Any]], columns: Sequence[Column]) -> str:
    """Rows as a plain aligned table with a header line (no colours or box characters, so logs stay clean)."""
    cells = [[header for _key, header in columns]] + [[cell(row.get(key)) for key, _h in columns] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    return "\n".join(
        "  ".join(text.ljust(width) for text, width in zip(line, widths, strict=True)).rstrip() for line in cells
    )


def emit(data: Any, *, as_json: bool, human: Callable[[Any], str]) -> None:
    """Print `data` as JSON when asked, else its human rendering."""
    if as_json:
        echo_json(data)
    else:
        typer.echo(human(data))


def versions(rows: list[dict[str, Any]]) -> str:
    """`fellow learn list`: one line per model version, newest first."""
    if not rows:
        return "no model versions yet: the rule-based prior serves (train one with `fellow learn train`)"
    shown = [{**row, "created_at": str(row.get("created_at") or "")[:16].replace("T", " ")} for row in rows]
    columns = [
        ("version", "version"),
        ("state", "state"),
        ("created_at", "created (UTC)"),
        ("n_train", "trained on"),
        ("roc_auc", "ROC-AUC"),
        ("handoff_precision", "handoff prec."),
        ("rolled_back", "rolled back"),
    ]
    return table(shown, columns)


def evaluation(data: dict[str, Any]) -> str:
    """An evaluation: its slice, then one row per contender with the headline figures."""
    window = data.get("window")
    span = f" from {window[0][:10]} to {window[1][:10]}" if window else ""
    lines = [f"evaluated on {data.get('n', 0)} labelled leads{span}; base rate {cell(data.get('base_rate'))}"]
    rows = [{"contender": name, **figures} for name, figures in (data.get("contenders") or {}).items()]
    lines.append(table(rows, [("contender", "contender"), ("model_version", "version"), *CONTENDER_FIGURES]))
    if data.get("report"):
        lines.append(f"report: {data['report']}")
    return "\n".join(lines)


def training(data: dict[str, Any]) -> str:
    """`fellow learn train`: the new version, the gate's decision and reasons, then its evaluation."""
    decision = data.get("decision") or {}
    verdict = "promoted" if data.get("promoted") else "not promoted"
    lines = [f"trained {data.get('version')}: {verdict} (against {decision.get('incumbent', '-')})"]
    lines += [f"  - {reason}" for reason in decision.get("reasons") or []]
    lines += [f"  - skipped: {skipped}" for skipped in data.get("skipped_models") or []]
    lines.append(evaluation({**(data.get("evaluation") or {}), "report": data.get("report")}))
    return "\n".join(lines)


def _flatten(data: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    items: list[tuple[str, Any]] = []
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            items += _flatten(value, f"{name}.")
        else:
            items.append((name, ", ".join(str(v) for v in value) or None if isinstance(value, list) else value))
    return items


def configuration(data: dict[str, Any]) -> str:
    """`fellow config show`: integrations first, then every setting as `name  value` (secrets already masked)."""
    integrations = data.get("integrations") or {}
    lines = ["integrations:"] + [f"  {name.ljust(12)} {state}" for name, state in integrations.items()]
    settings = [(name, value) for name, value in _flatten(data) if not name.startswith("integrations.")]
    width = max((len(name) for name, _v in settings), default=0)
    lines += ["", "settings:"] + [f"  {name.ljust(width)}  {cell(value)}" for name, value in settings]
    return "\n".join(lines)
