"""Benchmarks that print figures (`python -m bench --help` lists them); not tests, not part of CI.

Each module runs the product as it runs in production against the fake Slack, Salesforce and Fellow servers
of `tests.fakes`, the one part of `tests/` bench may import (import-linter's "bench imports only tests.fakes
from tests" contract keeps it so); what a benchmark shares with the tests lives in `bench/worlds/` or `tests/fakes/`.
"""
