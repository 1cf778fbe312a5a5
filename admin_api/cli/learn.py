"""`fellow learn …`: train, evaluate, compare a shadow challenger, promote, roll back, check drift, and learn
from CRM history CSVs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from admin_api.cli import render
from admin_api.cli.common import fail, friendly_errors, load_settings_for_cli, open_database
from admin_api.cli.progress import Reporter
from config import Settings

if TYPE_CHECKING:
    from admin_api.runtime.scheduler import JobContext
    from learning.csv_data import CsvTable

# Each command imports what it needs when it runs: `learn list` reads rows and never loads LightGBM or spaCy.

app = typer.Typer(help="The learning loop: models, evaluation, drift and history import.", no_args_is_help=True)


def _split(values: str | None) -> list[str]:
    return [v.strip() for v in (values or "").split(",") if v.strip()]


def _context(settings: Settings) -> JobContext:
    from admin_api.runtime.scheduler import JobContext, default_worker_id

    return JobContext(settings, open_database(settings), default_worker_id())


@app.command("train")
@friendly_errors
def train(
    promote_: bool = typer.Option(True, "--promote/--no-promote", help="Promote automatically if the gate passes."),
    as_json: bool = typer.Option(False, "--json", help=render.JSON_OPTION_HELP),
) -> None:
    """Train a challenger on older labels, evaluate it on the newest slice, gate it and write a report."""
    from learning.flows import retrain

    settings = load_settings_for_cli()
    context = _context(settings)
    with Reporter("training") as reporter:
        result = retrain(context.engine, settings, context.signals(), auto_promote=promote_, progress=reporter.message)
    render.emit(result.to_dict(), as_json=as_json, human=render.training)


@app.command("evaluate")
@friendly_errors
def evaluate(
    version: str | None = typer.Argument(None, help="Version to evaluate (default: the newest)."),
    as_json: bool = typer.Option(False, "--json", help=render.JSON_OPTION_HELP),
) -> None:
    """Champion vs challenger vs the rule-based prior on the newest slice; HTML report + JSON summary."""
    from learning.flows import evaluate_version

    settings = load_settings_for_cli()
    context = _context(settings)
    evaluation, path = evaluate_version(context.engine, settings, context.signals(), version=version)
    for name, result in evaluation.contenders.items():
        if result.policy is not None:
            calibration = "calibrated" if result.policy.calibrated else "uncalibrated (Brier not below base rate)"
            typer.echo(f"{name} ({calibration}): {result.policy.handoff.note}", err=True)
        for audit in result.rule_audit:
            if audit["contradicted"]:
                typer.echo(f"{name}: rule {audit['rule_id']}: {audit['note']}", err=True)
    render.emit({**evaluation.to_dict(), "report": str(path)}, as_json=as_json, human=render.evaluation)


@app.command("promote")
@friendly_errors
def promote_cmd(version: str = typer.Argument(..., help="The registered version to make champion.")) -> None:
    """Make a version champion by hand (its artifact must load)."""
    from learning.registry import promote
    from store.db import session_scope

    settings = load_settings_for_cli()
    with session_scope(open_database(settings)) as session:
        row = promote(version, session=session, models_dir=settings.models_dir, reason="promoted by hand")
    typer.echo(f"{row.version} is now the champion")


@app.command("rollback")
@friendly_errors
def rollback_cmd() -> None:
    """Reinstate the previous champion that still loads."""
    from learning.registry import rollback
    from store.db import session_scope

    settings = load_settings_for_cli()
    with session_scope(open_database(settings)) as session:
        row = rollback(session=session, models_dir=settings.models_dir)
    typer.echo(f"rolled back: {row.version} is the champion again")


@app.command("list")
@friendly_errors
def list_cmd(as_json: bool = typer.Option(False, "--json", help=render.JSON_OPTION_HELP)) -> None:
    """Every model version with its state and headline figures."""
    from sqlmodel import Session

    from learning.registry import versions_table

    settings = load_settings_for_cli()
    with Session(open_database(settings)) as session:
        rows = versions_table(session=session)
    render.emit(rows, as_json=as_json, human=render.versions)


@app.command("shadow")
@friendly_errors
def shadow_cmd(
    version: str | None = typer.Argument(None, help="Challenger to compare (default: the newest that shadowed)."),
    as_json: bool = typer.Option(False, "--json", help=render.JSON_OPTION_HELP),
) -> None:
    """Champion vs the challenger scoring in shadow, on the outcomes that arrived since its shadow began."""
    from sqlmodel import Session

    from learning.shadow import compare_shadow, latest_shadowed

    settings = load_settings_for_cli()
    with Session(open_database(settings)) as session:
        if version is None:
            version = latest_shadowed(session=session)
        comparison = None if version is None else compare_shadow(version, session=session)
    if comparison is None:
        raise fail(
            "no challenger has scored in shadow"
            if version is None
            else f"model version {version!r} has no shadow period (is learning.shadow_days above 0?)"
        )
    render.emit(comparison.to_dict(), as_json=as_json, human=render.shadow)


@app.command("drift")
@friendly_errors
def drift(
    alert: bool = typer.Option(False, "--alert", help="Also queue a Slack alert when drift is found."),
    as_json: bool = typer.Option(False, "--json", help=render.JSON_OPTION_HELP),
) -> None:
    """Print the drift report: PSI per feature and for scores, rolling handoff precision."""
    from learning.monitoring import enqueue_drift_alert, run_drift_check
    from store.db import session_scope

    settings = load_settings_for_cli()
    context = _context(settings)
    with session_scope(context.engine) as session:
        report = run_drift_check(session, settings, context.signals())
        queued = alert and enqueue_drift_alert(report, session=session, day=datetime.now(UTC))
    render.emit({**report.to_dict(), "alert_queued": bool(queued)}, as_json=as_json, human=render.drift)


def _load(
    file: Path, label_column: str, positive_values: str | None, id_column: str | None, drop: str | None,
    date_column: str | None,
) -> CsvTable:  # fmt: skip
    from learning.csv_data import load_csv

    table = load_csv(
        file, label_column, positive_values=_split(positive_values) or None, id_column=id_column,
        drop=_split(drop), date_column=date_column,
    )  # fmt: skip
    for warning in table.warnings:
        typer.secho(f"warning: {warning}", fg=typer.colors.YELLOW, err=True)
    return table


@app.command("import-history")
@friendly_errors
def import_history_cmd(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV export of past leads with outcomes."),
    label_column: str = typer.Option(..., "--label-column", help="Column holding the outcome."),
    positive_values: str | None = typer.Option(None, "--positive-values", help="Comma-separated positive labels."),
    id_column: str | None = typer.Option(None, "--id-column", help="Lead id column (Salesforce Ids are upserted)."),
    drop: str | None = typer.Option(None, "--drop", help="Comma-separated columns to ignore."),
    date_column: str | None = typer.Option(None, "--date-column", help="When the outcome was decided."),
    mapping: list[str] = typer.Option([], "--map", help="COLUMN=field, e.g. 'Org Name=company_name'."),
    as_json: bool = typer.Option(False, "--json", help=render.JSON_OPTION_HELP),
) -> None:
    """Store past leads and outcomes as labels for `fellow learn train`."""
    from crm_sync.history_import import file_digest, import_history
    from store.db import session_scope

    settings = load_settings_for_cli()
    table = _load(file, label_column, positive_values, id_column, drop, date_column)
    overrides = {}
    for item in mapping:
        column, sep, target = item.partition("=")
        if not sep:
            raise fail(f"--map expects COLUMN=field, got {item!r}")
        overrides[column.strip()] = target.strip()
    with session_scope(open_database(settings)) as session, Reporter("importing") as reporter:
        summary = import_history(
            table, session=session, digest=file_digest(file), label_column=label_column, id_column=id_column,
            overrides=overrides, progress=reporter.hook,
        )  # fmt: skip
    render.emit(summary.__dict__, as_json=as_json, human=render.history_import)


@app.command("evaluate-csv")
@friendly_errors
def evaluate_csv_cmd(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV of past leads with outcomes."),
    label_column: str = typer.Option(..., "--label-column", help="Column holding the outcome."),
    positive_values: str | None = typer.Option(None, "--positive-values", help="Comma-separated positive labels."),
    id_column: str | None = typer.Option(None, "--id-column", help="Id column (used to drop duplicates)."),
    drop: str | None = typer.Option(None, "--drop", help="Comma-separated columns to ignore (leaky ones)."),
    date_column: str | None = typer.Option(None, "--date-column", help="Train on the oldest 80%, test the newest."),
    folds: int = typer.Option(5, "--folds", min=2, max=20, help="Cross-validation folds without a date column."),
    as_json: bool = typer.Option(False, "--json", help=render.JSON_OPTION_HELP),
) -> None:
    """Out-of-sample quality of the production training code on a CSV, at the fixed threshold and at the handoff
    policy's operating point; a summary (or JSON with --json) on stdout, warnings on stderr."""
    from learning.csv_eval import evaluate_csv
    from scoring.config import load_scoring_config

    settings = load_settings_for_cli()
    table = _load(file, label_column, positive_values, id_column, drop, date_column)
    scoring = load_scoring_config(settings.scoring_file)
    result = evaluate_csv(table, folds=folds, ae_handoff_score=scoring.thresholds.ae_handoff, policy=scoring.policy)
    for warning in result.warnings:
        typer.secho(f"warning: {warning}", fg=typer.colors.YELLOW, err=True)
    render.emit(result.summary, as_json=as_json, human=render.csv_evaluation)
