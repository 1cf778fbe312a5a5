"""settle_heap: what start-up built is frozen out of the collector's scans and collections run less often."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from admin_api.app import GC_THRESHOLDS, settle_heap


@pytest.fixture
def restored_gc() -> Iterator[None]:
    """Put the collector back as it was, so other tests see the interpreter's defaults."""
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_start_up_objects_are_frozen_and_thresholds_raised(restored_gc: None) -> None:
    built_at_start = [{"lexeme": i} for i in range(1000)]
    settle_heap()
    assert gc.get_freeze_count() >= len(built_at_start)
    assert gc.get_threshold() == GC_THRESHOLDS
    assert GC_THRESHOLDS[0] > 700  # the interpreter's default young-generation threshold
