"""Moved to `tests.fakes.core.live_server` (bench serves the product with it too); re-exported here for tests
written before the move."""

from tests.fakes.core.live_server import live_server

__all__ = ["live_server"]
