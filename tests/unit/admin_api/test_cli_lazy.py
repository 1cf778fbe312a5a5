"""The `fellow` command loads sub-commands on use: a cheap command does not import the heavy libraries."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.core import TyperCommand, TyperGroup

from admin_api.cli.main import SUBCOMMANDS, load_command


@pytest.mark.parametrize("name", list(SUBCOMMANDS))
def test_every_sub_command_loads_under_its_name(name: str) -> None:
    command = load_command(name)
    assert isinstance(command, TyperCommand | TyperGroup) and command.name == name
    assert command.help or command.short_help


def test_unknown_sub_command_is_none() -> None:
    assert load_command("nosuch") is None


def test_the_entry_point_alone_does_not_import_spacy_lightgbm_or_sklearn() -> None:
    heavy = "('spacy', 'lightgbm', 'sklearn')"
    code = f"import sys, admin_api.cli.main; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "[]"


def test_top_level_help_lists_every_command_without_importing_any() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from admin_api.cli.main import app\n"
        "out = CliRunner().invoke(app, ['--help']).stdout\n"
        "print(sorted(m for m in sys.modules if m.startswith('admin_api.cli.') and m != 'admin_api.cli.main'))\n"
        "print(out)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    loaded, _, help_text = out.stdout.partition("\n")
    assert loaded == "[]"
    for name, spec in SUBCOMMANDS.items():
        assert name in help_text and spec.summary.split()[0] in help_text


@pytest.mark.parametrize("name", list(SUBCOMMANDS))
def test_the_listed_summary_is_the_loaded_commands_short_help(name: str) -> None:
    assert load_command(name).short_help == SUBCOMMANDS[name].summary  # type: ignore[union-attr]


LIGHT_COMMANDS = (["config", "show"], ["db", "status"], ["learn", "list"], ["demo", "show"])


@pytest.mark.parametrize("words", LIGHT_COMMANDS, ids=lambda words: " ".join(words))
def test_light_commands_run_without_the_heavy_libraries(words: list[str], tmp_path: Path) -> None:
    env = {**os.environ, "FELLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'light.db'}", "FELLOW_LOG_LEVEL": "error"}
    subprocess.run([sys.executable, "-m", "admin_api.cli", "db", "upgrade"], env=env, check=True, capture_output=True)
    code = (
        "import sys\n"
        "from admin_api.cli.main import app\n"
        f"try:\n    app({words!r})\nexcept SystemExit as stop:\n    code = stop.code\n"
        "heavy = ('spacy', 'lightgbm', 'sklearn', 'pandas', 'fastapi', 'slack_bolt', 'simple_salesforce', 'uvicorn')\n"
        "print(code, sorted(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.stderr.strip().splitlines()[-1] == "0 []"


def test_config_show_imports_no_sqlalchemy() -> None:
    code = "import sys, admin_api.cli.config_cmd; print('sqlalchemy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "False"
