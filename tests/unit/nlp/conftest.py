"""Shared fixtures: one extractor per test session (building the pipeline takes a second or two)."""

from __future__ import annotations

import pytest

from nlp import SignalExtractor


@pytest.fixture(scope="session")
def extractor() -> SignalExtractor:
    return SignalExtractor()
