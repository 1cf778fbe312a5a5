"""Root test configuration: shared fixtures for databases and the fake external services."""

pytest_plugins = ["tests.db_fixtures", "tests.fakes.fixtures"]
