"""`fellow qualify TARGET`: the same resolver and card as Slack's /qualify, printed in the terminal; saves no score."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.engine import Engine
from sqlmodel import Session

from admin_api.cli.common import echo_json, fail, friendly_errors, load_settings_for_cli, open_database
from admin_api.cli.score import champion_bundle, cli_extractor, cli_scorer
from admin_api.runtime.lookup import build_lead_lookup
from bot.command import parse_qualify
from bot.domain import CardData
from bot.plain import card_plain
from bot.preview import preview
from bot.resolve import Candidates, DomainTarget, Unknown, resolve_target
from config import Settings
from scoring.domain import ScoreResult

TARGET_HELP = "Company domain (acme.com), name, Salesforce Lead Id or Lead URL"


def _candidates_table(found: Candidates) -> str:
    width = max(len(name) for name, _ in found.options)
    rows = [f"  {name:<{width}}  {domain}" for name, domain in found.options]
    return "\n".join([f"Several companies match {found.searched!r}:", f"  {'name':<{width}}  domain", *rows])


def qualify_card(settings: Settings, engine: Engine, target: str) -> tuple[ScoreResult, CardData]:
    """Resolve a target as /qualify does (store, then Salesforce) and score it without saving; exits 2 with a
    candidate table when several companies match, or a one-line reason when nothing can be scored."""
    parsed = parse_qualify(target)
    if parsed.kind in ("help", "invalid"):
        raise fail(parsed.problem or f"give a domain, company name or Salesforce Lead Id ({TARGET_HELP.lower()})")
    resolution = resolve_target(parsed, engine=engine, lookup=build_lead_lookup(settings, engine))
    if isinstance(resolution, Candidates):
        typer.echo(_candidates_table(resolution), err=True)
        raise fail("several companies match; be specific: give one of the domains above")
    if isinstance(resolution, Unknown):
        if resolution.domain is None:
            raise fail(
                f"no lead or company for {resolution.searched!r} in {resolution.checked}; give the company's domain "
                "for a provisional score"
            )
        resolution = DomainTarget(resolution.domain, resolution.domain)
    extractor = cli_extractor(settings)
    scorer = cli_scorer(settings, champion_bundle(engine), extractor)
    with Session(engine) as session:
        return preview(resolution, session=session, settings=settings, scorer=scorer, extractor=extractor)


@friendly_errors
def qualify(
    target: Annotated[str, typer.Argument(help=TARGET_HELP)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the ScoreResult JSON instead of a card")] = False,
) -> None:
    """Score a company or lead now (looked up in Salesforce when not stored) and print its card; saves no score."""
    settings = load_settings_for_cli()
    result, card = qualify_card(settings, open_database(settings), target)
    if as_json:
        echo_json(result.model_dump(mode="json"))
        return
    typer.echo(card_plain(card))
