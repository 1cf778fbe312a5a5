"""Repositories: the only place that queries tables. Functions take a keyword-only `session`."""
