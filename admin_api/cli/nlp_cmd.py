"""`fellow nlp suggest`: phrases linked to outcomes, AE 👎 reasons and AE corrections that the lexicon misses, as a
review file; `fellow nlp corrections export`: AE corrections as labelled cases in the evaluation-set format."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import typer

from admin_api.cli.common import echo_json, friendly_errors, load_settings_for_cli, open_database
from learning.suggestions import mine, store_documents
from nlp import SignalExtractor
from nlp.corrections import correction_suggestions, export_records
from nlp.suggest import SUGGESTIONS_DIR, lexicon_coverage, write_patch
from store.db import session_scope
from store.repositories.corrections import list_corrections

app = typer.Typer(help="Lexicon tools: suggestions mined from outcomes and feedback.", no_args_is_help=True)
corrections_app = typer.Typer(help='AE corrections of call signals ("not right" on a reason).', no_args_is_help=True)
app.add_typer(corrections_app, name="corrections")


@app.callback()
def nlp() -> None:
    """Lexicon tools (keeps `suggest` a sub-command)."""


@app.command("suggest")
@friendly_errors
def suggest(
    out: Path | None = typer.Option(None, "--out", help="Where to write the YAML review file."),
    min_documents: int = typer.Option(5, min=2, help="A phrase must appear in at least this many leads' notes."),
    per_target: int = typer.Option(10, min=1, help="At most this many phrases per outcome or 👎 reason."),
) -> None:
    """Mine uncovered phrases and write them as proposed additions; nothing changes until a person applies them."""
    settings = load_settings_for_cli()
    extractor = SignalExtractor(
        own_company_names=settings.company.own_names,
        own_domains=settings.company.own_domains,
        rep_names=settings.company.rep_names,
    )
    coverage = lexicon_coverage(own_names=tuple(settings.company.own_names))
    with session_scope(open_database(settings)) as session:
        documents = store_documents(session=session, learning=settings.learning, extractor=extractor)
        corrected = correction_suggestions(list_corrections(session=session), coverage)
    found = mine(documents, coverage, min_documents=min_documents, per_target=per_target)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = out or Path(settings.data_dir) / SUGGESTIONS_DIR / f"lexicon-suggestions-{stamp}.yaml"
    write_patch([*corrected, *found], target)
    echo_json(
        {
            "documents": len(documents),
            "suggestions": len(found) + len(corrected),
            "from_corrections": len(corrected),
            "file": str(target),
        }
    )


@corrections_app.command("export")
@friendly_errors
def export(
    out: Path | None = typer.Option(None, "--out", help="Write the jsonl here instead of standard output."),
) -> None:
    """Write every AE correction as a labelled case, one JSON object per line (tests/data/nlp/*.jsonl format)."""
    settings = load_settings_for_cli()
    with session_scope(open_database(settings)) as session:
        records = export_records(session=session)
    lines = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    if out is None:
        sys.stdout.write(lines)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(lines, encoding="utf-8")
    typer.echo(f"{len(records)} corrected quotes written to {out}", err=True)
