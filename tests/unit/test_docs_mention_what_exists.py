"""The docs only mention what exists: every `FELLOW_*` variable is a setting (or a documented special variable)
and every `fellow …` command in backticks or a code block resolves to a real sub-command."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from admin_api.cli.main import SUBCOMMANDS, load_command
from config import Settings
from config.sources import OVERLAY_VARIABLE

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted(
    [ROOT / "README.md", *(ROOT / "docs").glob("*.md"), *ROOT.glob("*/**/README.md")],
    key=str,
)
DOCS = [path for path in DOCS if ".venv" not in path.parts and "node_modules" not in path.parts]
SPECIAL = {OVERLAY_VARIABLE, "FELLOW_TEST_POSTGRES_URL"}  # the YAML overlay; the tests' PostgreSQL URL
VARIABLE = re.compile(r"FELLOW_[A-Z0-9_]*[A-Z0-9]|FELLOW_[A-Z0-9_]*_(?=…|\.\.\.)")
FENCE = re.compile(r"```[^\n]*\n(.*?)```", re.S)
SPAN = re.compile(r"`([^`\n]+)`")
COMMAND = re.compile(r"(?:^|(?<=[\s$(]))fellow[ \t]+([^|;&#\n]*)")
WORD = re.compile(r"[a-z][a-z-]*")


def _variables(model: type[BaseModel], prefix: str) -> set[str]:
    names: set[str] = set()
    for name, field in model.model_fields.items():
        variable = f"{prefix}{name.upper()}"
        names.add(variable)
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names |= _variables(annotation, f"{variable}__")
    return names


KNOWN = _variables(Settings, "FELLOW_") | SPECIAL


def _mentions(path: Path) -> tuple[set[str], list[list[str]]]:
    text = path.read_text(encoding="utf-8")
    variables = set(VARIABLE.findall(text))
    chunks = [line for block in FENCE.findall(text) for line in block.splitlines()]
    chunks += SPAN.findall(FENCE.sub("", text))
    commands = [m.group(1).split() for chunk in chunks for m in COMMAND.finditer(chunk)]
    # a command starts with a word or an option (`fellow / api key: …` is doctor output, `… fellow > x` a database)
    return variables, [tokens for tokens in commands if tokens and (WORD.fullmatch(tokens[0]) or tokens[0][:2] == "--")]


def _check_command(tokens: list[str]) -> str | None:
    """Why `fellow <tokens>` does not resolve (None when it does); `a / b` lists alternatives at one level."""
    first = tokens[0]
    if first.startswith("-"):
        return None  # `fellow --help`
    if first not in SUBCOMMANDS:
        return f"no command {first!r}"
    parent: Any = load_command(first)
    current = parent
    alternative = False
    for token in tokens[1:]:
        if token == "/":
            alternative, current = True, parent
            continue
        group = getattr(current, "commands", None)  # a group's sub-commands (typer vendors its own click)
        if not isinstance(group, dict) or not WORD.fullmatch(token):
            break  # arguments and options of a leaf command
        command = group.get(token)
        if command is None:
            return f"{first}: no sub-command {token!r}"
        if not alternative:
            parent = current
        alternative = False
        current = command
    return None


@pytest.mark.parametrize("path", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_fellow_variable_in_the_docs_is_a_setting(path: Path) -> None:
    variables, _ = _mentions(path)
    unknown = sorted(v for v in variables if v not in KNOWN and not any(k.startswith(v) for k in KNOWN if v[-1] == "_"))
    assert not unknown, f"{path.name} mentions variables no setting reads: {unknown}"


@pytest.mark.parametrize("path", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_fellow_command_in_the_docs_exists(path: Path) -> None:
    _, commands = _mentions(path)
    problems = [f"`fellow {' '.join(tokens)}`: {why}" for tokens in commands if (why := _check_command(tokens))]
    assert not problems, f"{path.name}: {problems}"


def test_the_checker_catches_what_does_not_exist() -> None:
    assert _check_command(["learn", "train"]) is None and _check_command(["qualify", "acme.com"]) is None
    assert _check_command(["learn", "train", "/", "evaluate", "/", "promote"]) is None
    assert _check_command(["learn", "trian"]) == "learn: no sub-command 'trian'"
    assert _check_command(["deploy"]) == "no command 'deploy'"
    assert "FELLOW_DATA_DIR" in KNOWN and "FELLOW_LEARNING__MODELS_DIR" in KNOWN and "FELLOW_DATA_FOLDER" not in KNOWN
