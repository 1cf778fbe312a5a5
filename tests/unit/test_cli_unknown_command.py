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


def test_a_typo_inside_a_group_suggests_the_sub_command() -> None:
    result = CliRunner().invoke(app, ["learn", "lsit"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: no such command 'lsit' in `fellow learn`; did you mean 'list'?"


def test_an_unknown_option_is_one_line_naming_the_help() -> None:
    result = CliRunner().invoke(app, ["config", "show", "--bogus"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == ["error: No such option: --bogus (see `fellow config show --help`)"]


def test_a_missing_argument_is_one_line() -> None:
    result = CliRunner().invoke(app, ["learn", "promote"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: Missing argument 'version'. (see `fellow learn promote --help`)"
    ]
