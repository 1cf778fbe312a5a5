"""`fellow sync salesforce|outcomes|writeback|fellow|unmatched` and `fellow ingest calls FILE.jsonl`: run the CRM
sync by hand (the worker runs the same jobs on a schedule)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy.engine import Engine
from sqlmodel import Session

from admin_api.api.services import make_extractor
from admin_api.cli import render
from admin_api.cli.common import fail, friendly_errors, load_settings_for_cli, open_database
from admin_api.cli.progress import Reporter
from config import Settings
from crm_sync import jobs
from crm_sync.fellow.ingestion import import_calls
from crm_sync.salesforce.errors import SalesforceError
from crm_sync.salesforce.flows import Rescore
from learning.policy_records import with_recorded_policy
from learning.registry import load_champion
from learning.rescore import rescore_open_leads
from learning.shadow import shadow_bundle
from scoring.model import ModelBundle
from scoring.scorer import Scorer, build_scorer
from scoring.service import score_lead
from store.repositories.calls import unmatched_calls

JsonOption = Annotated[bool, typer.Option("--json", help=render.JSON_OPTION_HELP)]
app = typer.Typer(help="Sync with Salesforce and Fellow now.", no_args_is_help=True)
ingest_app = typer.Typer(help="Import exports.", no_args_is_help=True)


def _rescore(settings: Settings, engine: Engine) -> Rescore:
    """score_lead bound to the champion model (or the prior), with the challenger in its shadow period scoring
    beside it, and the call-signal extractor."""
    extractor = make_extractor(settings)
    with Session(engine) as session:
        bundle = load_champion(session=session, models_dir=settings.models_dir)
        shadow = shadow_bundle(session=session, models_dir=settings.models_dir)

    def build(model: ModelBundle | None) -> Scorer:
        scorer = build_scorer(
            model, scoring_path=settings.scoring_file, rules_path=settings.rules_file, extract=extractor.extract
        )
        return with_recorded_policy(scorer, engine)

    scorer = build(bundle).with_shadow(None if shadow is None else build(shadow))
    return functools.partial(score_lead, scorer=scorer, extractor=extractor)


def _context() -> jobs.SyncContext:
    settings = load_settings_for_cli()
    engine = open_database(settings)
    return jobs.SyncContext.from_settings(settings, engine, _rescore(settings, engine))


def _run(*steps: Callable[[jobs.SyncContext], dict[str, Any]], as_json: bool) -> None:
    """Run the sync steps in order, printing each one's summary (a JSON object per step with --json)."""
    ctx = _context()
    failed = False
    for step in steps:
        try:
            summary = step(ctx)
        except SalesforceError as exc:
            raise fail(str(exc)) from None
        render.emit({step.__name__: summary}, as_json=as_json, human=render.summary)
        failed = failed or bool(summary.get("stopped") or summary.get("skipped"))
    if failed:
        raise typer.Exit(1)


def _day(value: str | None, option: str) -> datetime | None:
    """A --since value (YYYY-MM-DD or an ISO datetime, UTC unless it says otherwise)."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise fail(f"{option} {value!r} is not a date (YYYY-MM-DD) or an ISO datetime") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@app.command("salesforce")
@friendly_errors
def sync_salesforce(
    since: Annotated[
        str | None, typer.Option("--since", help="also re-read leads changed since this date (YYYY-MM-DD)")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Pull new and changed Salesforce leads (the first run reads every open lead, with progress), score them,
    re-score the open leads if the serving model changed, then write due scores back."""
    start = _day(since, "--since")

    def poll_salesforce_leads(ctx: jobs.SyncContext) -> dict[str, Any]:
        with Reporter("reading leads") as reporter:
            return jobs.poll_salesforce_leads(ctx, since=start, progress=reporter.hook)

    _run(poll_salesforce_leads, jobs.rescore_after_champion_change, jobs.run_salesforce_writeback, as_json=as_json)


@app.command("outcomes")
@friendly_errors
def sync_outcomes(as_json: JsonOption = False) -> None:
    """Pull converted leads and opportunity stages into outcomes (training labels)."""
    _run(jobs.sync_salesforce_outcomes, as_json=as_json)


@app.command("writeback")
@friendly_errors
def sync_writeback(as_json: JsonOption = False) -> None:
    """Write due scores to the Lead fields (checks the fields exist first)."""
    _run(jobs.run_salesforce_writeback, as_json=as_json)


@app.command("fellow")
@friendly_errors
def sync_fellow(as_json: JsonOption = False) -> None:
    """Pull new Fellow notes and recordings, match them to leads, re-score matched leads."""
    _run(jobs.ingest_fellow_calls, as_json=as_json)


@app.command("unmatched")
@friendly_errors
def list_unmatched(limit: Annotated[int, typer.Option(min=1, max=10_000)] = 100, as_json: JsonOption = False) -> None:
    """List calls that matched no lead, with the reason."""
    engine = open_database(load_settings_for_cli())
    with Session(engine) as session:
        rows = [
            {"fellow_id": c.fellow_id, "title": c.title, "started_at": c.started_at, "attendees": c.attendees,
             "reason": c.unmatched_reason}
            for c in unmatched_calls(session=session, limit=limit)
        ]  # fmt: skip
    render.emit(rows, as_json=as_json, human=_unmatched)


def _unmatched(rows: list[dict[str, Any]]) -> str:
    """Unmatched calls as a table (attendees joined, start to the minute)."""
    if not rows:
        return "every stored call matched a lead"
    shown = [
        {**row, "started_at": str(row["started_at"] or "")[:16], "attendees": ", ".join(row["attendees"] or [])}
        for row in rows
    ]
    columns = [("fellow_id", "Fellow id"), ("started_at", "started"), ("title", "title"), ("attendees", "attendees")]
    return render.table(shown, [*columns, ("reason", "reason")])


@ingest_app.command("calls")
@friendly_errors
def ingest_calls_file(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)], as_json: JsonOption = False
) -> None:
    """Import past Fellow calls from a JSON Lines export (one note per line), matching and scoring as ingestion."""
    ctx = _context()
    with path.open("rb") as lines, Reporter("importing calls") as reporter:
        report = import_calls(lines, ctx.engine, ctx.rescore, ctx.matcher(), progress=reporter.hook)
    summary: dict[str, Any] = report.as_dict()
    if ctx.salesforce is not None:
        try:
            summary["writeback"] = jobs.run_salesforce_writeback(ctx)
        except SalesforceError as exc:
            summary["writeback"] = {"stopped": f"{exc}; the scores stay queued for the next sync"}
    render.emit(summary, as_json=as_json, human=render.summary)


@friendly_errors
def rescore(
    all_leads: Annotated[bool, typer.Option("--all", help="every open lead")] = False,
    since: Annotated[
        str | None, typer.Option("--since", help="only open leads a person changed since this date (YYYY-MM-DD)")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Re-score open leads with the serving model now (the worker does this by itself after a promotion,
    rollback or reload), then write changed fields back to Salesforce."""
    if all_leads == (since is not None):
        raise fail("give exactly one of --all or --since DATE")
    ctx = _context()
    with Reporter("rescoring") as reporter:
        report = rescore_open_leads(
            ctx.engine,
            ctx.rescore,
            closed_statuses=ctx.settings.learning.rejected_statuses,
            reason="re-scored by hand" + (f" (changed since {since})" if since else ""),
            since=_day(since, "--since"),
            progress=reporter.message,
        )
    summary: dict[str, Any] = {"rescore": report.as_dict()}
    if ctx.salesforce is not None:
        summary["writeback"] = jobs.run_salesforce_writeback(ctx)
    render.emit(summary, as_json=as_json, human=render.summary)
