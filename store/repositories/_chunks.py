"""Lists of ids queried in chunks, below SQLite's bind-parameter limit."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

CHUNK = 900


def chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    """The unique ids, sorted, in lists of at most CHUNK."""
    unique = sorted(set(ids))
    for start in range(0, len(unique), CHUNK):
        yield unique[start : start + CHUNK]
