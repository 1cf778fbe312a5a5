"""`fellow signals …`: run the call-signal pipeline over notes from a JSONL file."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

from nlp import SignalExtractor

app = typer.Typer(help="Call signals from Fellow notes (spaCy rules, with evidence quotes).", no_args_is_help=True)


@app.callback()
def signals() -> None:
    """Call signals from Fellow notes (keeps `extract` a sub-command even while it is the only one)."""


def parse_line(line: str) -> tuple[str | int, str, str | None]:
    """Validate one input line {"id", "text", "title"?}; raises ValueError with the reason."""
    try:
        item: Any = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON ({exc.msg})") from None
    if not isinstance(item, dict):
        raise ValueError("expected a JSON object")
    if not isinstance(item.get("id"), str | int) or isinstance(item.get("id"), bool):
        raise ValueError('"id" must be a string or integer')
    if not isinstance(item.get("text"), str):
        raise ValueError('"text" must be a string')
    title = item.get("title")
    if title is not None and not isinstance(title, str):
        raise ValueError('"title" must be a string when given')
    return item["id"], item["text"], title


@app.command("extract")
def extract(
    input_path: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="JSONL input file"),
) -> None:
    """Print one JSON line {"id", "signals", "evidence"} per input line, in input order."""
    extractor = SignalExtractor()
    bad = 0
    with input_path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                item_id, text, title = parse_line(line)
            except ValueError as exc:
                bad += 1
                typer.echo(f"line {number}: skipped: {exc}", err=True)
                continue
            signals = extractor.extract(text, title).to_dict()
            evidence = signals.pop("evidence")
            sys.stdout.write(json.dumps({"id": item_id, "signals": signals, "evidence": evidence}) + "\n")
    if bad:
        typer.echo(f"{bad} bad line(s) skipped", err=True)
        raise typer.Exit(1)
