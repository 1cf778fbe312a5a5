"""Errors the store raises for an unusable database, importable without loading SQLAlchemy or Alembic."""

from __future__ import annotations


class DatabaseUnavailableError(RuntimeError):
    """The database cannot be reached or opened; the message says which and why, without credentials."""


class SchemaVersionError(RuntimeError):
    """The database schema does not match this code (newer, unknown or not yet migrated)."""
