"""`fellow score` and `fellow qualify`: score a JSON input, or show a readable card for a stored company."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session

from admin_api.cli.common import echo_json, fail, friendly_errors, load_settings_for_cli, open_database
from config import Settings
from nlp import SignalExtractor
from scoring.config import ConfigError
from scoring.domain import ScoreInput, ScoreResult
from scoring.model import IncompatibleModelError, ModelBundle
from scoring.scorer import Scorer, build_scorer
from scoring.service import score_company
from store.db import DatabaseUnavailableError
from store.migrate import SchemaVersionError
from store.normalize import InvalidDomainError, normalize_domain
from store.repositories.companies import find_companies_by_name, get_company_by_domain
from store.repositories.model_versions import get_champion
from store.tables import Company

app = typer.Typer(help="Score leads from the command line.", no_args_is_help=True)


def _extractor(settings: Settings) -> SignalExtractor:
    return SignalExtractor(own_company_names=settings.company.own_names, own_domains=settings.company.own_domains)


def _champion(engine: Engine) -> ModelBundle | None:
    with Session(engine) as session:
        row = get_champion(session=session)
    if row is None:
        return None
    try:
        return ModelBundle.load(row.artifact_path)
    except IncompatibleModelError as exc:
        typer.secho(f"warning: champion {row.version} cannot be loaded ({exc}); using the prior", err=True)
        return None


def _scorer(settings: Settings, bundle: ModelBundle | None, extractor: SignalExtractor) -> Scorer:
    try:
        return build_scorer(
            bundle, scoring_path=settings.scoring_file, rules_path=settings.rules_file, extract=extractor.extract
        )
    except ConfigError as exc:
        raise fail(str(exc)) from None


def _read_input(source: str) -> ScoreInput:
    text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    try:
        return ScoreInput.model_validate(json.loads(text))
    except json.JSONDecodeError as exc:
        raise fail(f"{source}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'input'}: {e['msg']}" for e in exc.errors())
        raise fail(f"invalid score input: {problems}") from None


@app.command("score")
@friendly_errors
def score(
    json_input: Annotated[str, typer.Option("--json", help="JSON file with a score input, or - for stdin")],
    model_dir: Annotated[
        Path | None, typer.Option(help="Score with this model bundle directory instead of the champion")
    ] = None,
) -> None:
    """Score one lead described as JSON (ScoreInput fields) and print the ScoreResult JSON."""
    settings = load_settings_for_cli()
    data = _read_input(json_input)
    if model_dir is not None:
        try:
            bundle = ModelBundle.load(model_dir)
        except IncompatibleModelError as exc:
            raise fail(str(exc)) from None
    else:
        try:
            bundle = _champion(open_database(settings))
        except (DatabaseUnavailableError, SchemaVersionError) as exc:
            typer.secho(f"note: no model registry ({exc}); scoring with the rule-based prior", err=True)
            bundle = None
    result = _scorer(settings, bundle, _extractor(settings)).score(data)
    echo_json(result.model_dump(mode="json"))


def _find_company(engine: Engine, query: str) -> tuple[Company, list[Company]]:
    with Session(engine) as session:
        try:
            found = get_company_by_domain(normalize_domain(query), session=session)
        except InvalidDomainError:
            found = None
        if found is not None:
            return found, []
        matches = find_companies_by_name(query, session=session)
    if not matches:
        raise LookupError(f"no company with domain or name {query!r} in the database")
    return matches[0], matches[1:]


def render_card(company: Company, result: ScoreResult) -> str:
    """A plain-text card: headline numbers, reasons, quotes and warnings."""
    lines = [
        f"{company.name or company.domain} ({company.domain})",
        f"Score {result.qualification_score}/100 · {result.recommendation.value} · priority {result.priority.value}"
        f" · Voice AI fit {result.voice_ai_fit}/100 · confidence {result.confidence:.0%}",
        f"Scored by {result.scorer} {result.model_version}",
        "",
        "Why:",
        *(f"  • {sentence}" for sentence in result.reasoning),
    ]
    if result.evidence:
        lines += ["", "From the calls:"]
        lines += [f'  • "{item.quote}" (call {item.call_id})' for item in result.evidence]
    if result.warnings:
        lines += ["", "Warnings:", *(f"  • {warning}" for warning in result.warnings)]
    return "\n".join(lines)


@app.command("qualify")
@friendly_errors
def qualify(
    company: Annotated[str, typer.Argument(help="Company domain (acme.com) or name")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the ScoreResult JSON instead of a card")] = False,
) -> None:
    """Score a company in the database (through its newest lead and calls) and print a card; saves nothing."""
    settings = load_settings_for_cli()
    engine = open_database(settings)
    row, others = _find_company(engine, company)
    extractor = _extractor(settings)
    scorer = _scorer(settings, _champion(engine), extractor)
    with Session(engine) as session:
        result = score_company(row.id, session=session, scorer=scorer, extractor=extractor)
    if as_json:
        echo_json(result.model_dump(mode="json"))
        return
    typer.echo(render_card(row, result))
    if others:
        names = ", ".join(f"{c.name} ({c.domain})" for c in others)
        typer.secho(f"\nAlso matched: {names}", err=True)
