"""`fellow score`: score one JSON input (the scorer helpers are shared with `fellow qualify`)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session

from admin_api.cli.common import echo_json, fail, friendly_errors, load_settings_for_cli, open_database
from config import Settings
from nlp import CallSignals, SignalExtractor
from scoring.config import ConfigError
from scoring.domain import ScoreInput
from scoring.model import IncompatibleModelError, ModelBundle
from scoring.scorer import Scorer, build_scorer
from store.db import DatabaseUnavailableError
from store.migrate import SchemaVersionError
from store.repositories.model_versions import get_champion

app = typer.Typer(help="Score leads from the command line.", no_args_is_help=True)


class OnDemandExtractor:
    """The call-signal extractor, configured with our own company names and domains and built on first use: scoring
    an input without call notes, or a company without calls, never builds the spaCy pipeline (seconds of start-up)."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._built: SignalExtractor | None = None

    @property
    def built(self) -> bool:
        """Whether the pipeline has been built (for tests and diagnostics)."""
        return self._built is not None

    def extract(
        self,
        text: str,
        title: str | None = None,
        *,
        transcript: list[dict[str, Any]] | None = None,
        attendees: Sequence[str] = (),
        owner: str | None = None,
    ) -> CallSignals:
        """Signals for one call, building the pipeline the first time."""
        if self._built is None:
            company = self._settings.company
            self._built = SignalExtractor(
                own_company_names=company.own_names, own_domains=company.own_domains, rep_names=company.rep_names
            )
        return self._built.extract(text, title, transcript=transcript, attendees=attendees, owner=owner)


def cli_extractor(settings: Settings) -> OnDemandExtractor:
    """The call-signal extractor for a command (built when a call is first read)."""
    return OnDemandExtractor(settings)


def champion_bundle(engine: Engine) -> ModelBundle | None:
    """The registry's champion bundle, or None (with a warning when it cannot be loaded) for the prior."""
    with Session(engine) as session:
        row = get_champion(session=session)
    if row is None:
        return None
    try:
        return ModelBundle.load(row.artifact_path)
    except IncompatibleModelError as exc:
        typer.secho(f"warning: champion {row.version} cannot be loaded ({exc}); using the prior", err=True)
        return None


def cli_scorer(settings: Settings, bundle: ModelBundle | None, extractor: OnDemandExtractor) -> Scorer:
    """The scorer for a bundle (or the prior) with the configured scoring and rules files."""
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
            bundle: ModelBundle | None = ModelBundle.load(model_dir)
        except IncompatibleModelError as exc:
            raise fail(str(exc)) from None
    else:
        try:
            bundle = champion_bundle(open_database(settings))
        except (DatabaseUnavailableError, SchemaVersionError) as exc:
            typer.secho(f"note: no model registry ({exc}); scoring with the rule-based prior", err=True)
            bundle = None
    result = cli_scorer(settings, bundle, cli_extractor(settings)).score(data)
    echo_json(result.model_dump(mode="json"))
