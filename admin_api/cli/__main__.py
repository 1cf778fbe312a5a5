"""`python -m admin_api.cli` runs the `fellow` command (the console script does the same)."""

from admin_api.cli.main import app

app(prog_name="fellow")
