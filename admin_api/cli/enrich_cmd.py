"""`fellow enrich …`: enrich one company now, show the queue, import a bulk firmographics CSV."""

from __future__ import annotations

import shutil
from dataclasses import asdict
from pathlib import Path

import typer
from sqlmodel import Session

from admin_api.cli.common import echo_json, fail, friendly_errors, load_settings_for_cli, open_database
from config import Settings
from crm_sync.enrichment.config import EnrichmentConfig, load_enrichment_config
from crm_sync.enrichment.flows import EnrichmentOutcome, enrich_company
from crm_sync.enrichment.providers.csv_file import CsvFirmographicsProvider, read_firmographics
from crm_sync.enrichment.providers.registry import build_providers, csv_directory
from crm_sync.enrichment.queue import enrichment_backlog
from scoring.enrichment import fact_sentences
from store.db import session_scope
from store.normalize import normalize_domain
from store.repositories import enrichment as repo
from store.repositories.companies import get_company_by_domain, upsert_company
from store.types import utcnow

CONFIG_OPTION = typer.Option(None, "--config", help="Enrichment config file (default: FELLOW_ENRICHMENT_FILE).")


def enrich(
    target: str = typer.Argument(..., help="A domain to enrich now, 'queue' to show the backlog, or 'import'."),
    file: Path | None = typer.Argument(None, help="With 'import': the firmographics CSV file."),
    force: bool = typer.Option(False, "--force", help="Re-run providers whose stored result is still fresh."),
    limit: int = typer.Option(20, "--limit", min=1, max=1000, help="With 'queue': how many rows to list."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
    config_path: Path | None = CONFIG_OPTION,
) -> None:
    """Company enrichment: `fellow enrich DOMAIN`, `fellow enrich queue`, `fellow enrich import FILE.csv`."""
    run = friendly_errors(_dispatch)
    run(target, file, force, limit, as_json, config_path)


def _dispatch(target: str, file: Path | None, force: bool, limit: int, as_json: bool, config_path: Path | None) -> None:
    settings = load_settings_for_cli()
    config = load_enrichment_config(config_path or settings.enrichment_file)
    if target == "queue":
        _show_queue(settings, config, limit, as_json)
    elif target == "import":
        if file is None:
            raise fail("usage: fellow enrich import FILE.csv")
        _import(settings, config, file)
    else:
        _enrich_one(settings, config, target, force, as_json)


def _enrich_one(settings: Settings, config: EnrichmentConfig, domain: str, force: bool, as_json: bool) -> None:
    key = normalize_domain(domain)
    engine = open_database(settings)
    providers = build_providers(config, settings.data_dir)
    try:
        with session_scope(engine) as session:
            company, created = upsert_company(key, session=session)
            now = utcnow()
            outcome = enrich_company(company.id or 0, providers, session=session, config=config, now=now, force=force)
            rows = repo.enrichments_for_company(company.id or 0, session=session)
            stored: list[dict[str, object]] = [
                {"provider": r.provider, "status": r.status, "reason": r.reason,
                 "fetched_at": r.fetched_at.isoformat(), "expires_at": r.expires_at.isoformat()}
                for r in rows
            ]  # fmt: skip
    finally:
        for provider in providers:
            close = getattr(provider, "close", None)
            if close is not None:
                close()
    if as_json:
        echo_json({"domain": key, "created": created, "results": stored, "facts": outcome.facts,
                   "material_change": outcome.changed, "sentences": fact_sentences(outcome.facts)})  # fmt: skip
        return
    _print_outcome(key, created, outcome, stored)


def _print_outcome(domain: str, created: bool, outcome: EnrichmentOutcome, stored: list[dict[str, object]]) -> None:
    typer.echo(f"{domain}{' (new company)' if created else ''}")
    ran = {result.provider for result in outcome.results}
    for row in stored:
        when = "ran now" if row["provider"] in ran else f"fresh, fetched {row['fetched_at']}"
        reason = f" — {row['reason']}" if row["reason"] else ""
        typer.echo(f"  {row['provider']:<11} {row['status']:<8} {when}{reason}")
    facts = {k: v for k, v in outcome.facts.items() if k != "sources" and v not in (False, [], None)}
    typer.echo("facts:" if facts else "facts: none found")
    for key, value in facts.items():
        shown = ", ".join(map(str, value)) if isinstance(value, list) else value
        typer.echo(f"  {key:<24} {shown}  [{outcome.facts['sources'][key]}]")
    for sentence in fact_sentences(outcome.facts):
        typer.echo(f"  → {sentence}")
    if outcome.changed:
        typer.echo(f"material change: {', '.join(outcome.changed)} (the company's leads should be re-scored)")


def _show_queue(settings: Settings, config: EnrichmentConfig, limit: int, as_json: bool) -> None:
    engine = open_database(settings)
    with Session(engine) as session:
        backlog = enrichment_backlog(session=session)
        rows = repo.list_requests(session=session, limit=limit)
    if as_json:
        requests = [asdict(row) for row in rows]
        echo_json({"backlog": backlog, "alert_above": config.queue.backlog_alert, "requests": requests})
        return
    flag = "  ALERT" if backlog > config.queue.backlog_alert else ""
    typer.echo(f"enrichment backlog: {backlog} (alert above {config.queue.backlog_alert}){flag}")
    for row in rows:
        error = f"  last error: {row.last_error}" if row.last_error else ""
        typer.echo(f"  {row.priority:.3f}  {row.status:<8} attempts={row.attempts}  {row.domain}{error}")


def _import(settings: Settings, config: EnrichmentConfig, file: Path) -> None:
    parsed = read_firmographics(file)
    for error in parsed.errors:
        typer.secho(f"{file.name}: {error}", fg=typer.colors.YELLOW, err=True)
    if not parsed.rows:
        raise fail(f"{file.name}: no valid rows to import")
    directory = csv_directory(config, settings.data_dir)
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(file, directory / file.name)
    provider = CsvFirmographicsProvider(directory)
    engine = open_database(settings)
    updated = 0
    with session_scope(engine) as session:
        for domain in parsed.rows:
            company = get_company_by_domain(domain, session=session)
            if company is not None:
                enrich_company(company.id or 0, [provider], session=session, config=config, now=utcnow(), force=True)
                updated += 1
    typer.echo(
        f"imported {len(parsed.rows)} rows from {file.name} into {directory} ({len(parsed.errors)} rows reported); "
        f"{updated} known companies updated"
    )
