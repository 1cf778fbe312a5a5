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


LIST_SHOWN = 10  # a summary lists this many items of a list (skipped rows, warnings), then says how many more


def _words(key: str) -> str:
    return key.replace("_", " ")


def summary(data: dict[str, Any], indent: str = "") -> str:
    """A job summary (sync, import): `name  value` lines, nested parts indented, lists as the first few bullets;
    empty lists and missing values are left out."""
    lines: list[str] = []
    for key, value in data.items():
        if value is None or value == [] or value == {}:
            continue
        if isinstance(value, dict):
            lines += [f"{indent}{_words(key)}:", summary(value, indent + "  ")]
        elif isinstance(value, list):
            lines.append(f"{indent}{_words(key)}:")
            lines += [f"{indent}  - {cell(item)}" for item in value[:LIST_SHOWN]]
            if len(value) > LIST_SHOWN:
                lines.append(f"{indent}  … and {len(value) - LIST_SHOWN} more (--json lists them)")
        else:
            lines.append(f"{indent}{_words(key)}: {cell(value)}")
    return "\n".join(line for line in lines if line)


def shadow(data: dict[str, Any]) -> str:
    """`fellow learn shadow`: the verdict and its reasons, then champion vs challenger on the shadow outcomes."""
    verdict = "favours the challenger" if data.get("favours_challenger") else "does not favour the challenger"
    state = "ended" if data.get("elapsed") else "still running"
    lines = [
        f"{data.get('version')} in shadow {str(data.get('started_at'))[:10]} to {str(data.get('ends_at'))[:10]}"
        f" ({state}): {verdict}",
        f"{data.get('n', 0)} outcomes since it began, {data.get('progressed', 0)} progressed",
    ]
    lines += [f"  - {reason}" for reason in data.get("reasons") or []]
    rows = [{"side": side, **(data.get(side) or {})} for side in ("champion", "challenger")]
    columns = [("side", "side"), ("roc_auc", "ROC-AUC"), ("brier", "Brier"), ("handoff_precision", "handoff prec.")]
    lines.append(table(rows, [*columns, ("handoffs", "handoffs")]))
    return "\n".join(lines)


def drift(data: dict[str, Any]) -> str:
    """`fellow learn drift`: severity and findings, the rolling handoff precision, then PSI per feature."""
    retrain = "; retraining recommended" if data.get("retrain_recommended") else ""
    lines = [
        f"drift {data.get('severity')} for model {data.get('model_version') or 'the rule-based prior'}"
        f" ({data.get('n_current', 0)} recent leads, {data.get('n_scores', 0)} scores){retrain}"
    ]
    lines += [f"  - {finding}" for finding in data.get("findings") or []]
    lines.append(
        f"score PSI {cell(data.get('score_psi'))};"
        f" rolling handoff precision {cell(data.get('rolling_handoff_precision'))}"
        f" on {data.get('rolling_handoff_precision_n') or 0} handoffs"
        f" (baseline {cell(data.get('baseline_handoff_precision'))})"
    )
    psi = data.get("feature_psi") or {}
    if psi:
        lines.append(table([{"feature": name, "psi": value} for name, value in psi.items()],
                           [("feature", "feature"), ("psi", "PSI")]))  # fmt: skip
    if data.get("alert_queued"):
        lines.append("a Slack alert was queued")
    return "\n".join(lines)


def csv_evaluation(data: dict[str, Any]) -> str:
    """`fellow learn evaluate-csv`: out-of-sample figures at the fixed threshold, then the handoff policy's."""
    lines = [
        f"{data.get('n', 0)} rows evaluated out of sample ({data.get('split')})",
        f"  ROC-AUC {cell(data.get('roc_auc'))}, PR-AUC {cell(data.get('pr_auc'))}, Brier {cell(data.get('brier'))}",
        f"  at the fixed threshold: handoff precision {cell(data.get('handoff_precision'))},"
        f" recall {cell(data.get('handoff_recall'))}",
    ]
    policy = data.get("policy")
    if policy:
        share = policy.get("handoff_share")
        lines += [
            f"handoff policy (target precision {cell(policy.get('target_precision'))}):",
            f"  handed off {policy.get('handoffs', 0)} ({'-' if share is None else f'{share:.1%}'} of rows),"
            f" precision {cell(policy.get('handoff_precision'))}, recall {cell(policy.get('handoff_recall'))}",
            f"  verdict: {policy.get('verdict')}",
        ]
    return "\n".join(lines)


def history_import(data: dict[str, Any]) -> str:
    """`fellow learn import-history`: what was stored, which columns fed which field, and what was not read."""
    lines = [
        f"imported {data.get('rows', 0)} rows: {data.get('leads_created', 0)} leads created,"
        f" {data.get('leads_updated', 0)} updated, {data.get('companies', 0)} companies,"
        f" {data.get('calls', 0)} call notes, {data.get('outcomes', 0)} outcomes"
    ]
    mapping = data.get("mapping") or {}
    if mapping:
        lines.append("columns read:")
        width = max(len(field) for field in mapping)
        lines += [f"  {field.ljust(width)}  <- {column}" for field, column in mapping.items()]
    rest = {key: data.get(key) for key in ("unmapped", "warnings")}
    if any(rest.values()):
        lines.append(summary(rest))
    return "\n".join(lines)
