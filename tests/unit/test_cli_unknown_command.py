"""An unknown `fellow` command is one line with the closest names and exit status 2."""

from __future__ import annotations

from typer.testing import CliRunner

from admin_api.cli.main import app


def test_a_typo_suggests_the_command() -> None:
    result = CliRunner().invoke(app, ["qualfy", "acme.com"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: no such command 'qualfy'; did you mean 'qualify'?"


def test_nonsense_points_to_help() -> None:
    result = CliRunner().invoke(app, ["zzz"])
    assert result.exit_code == 2 and "see `fellow --help`" in result.stderr
