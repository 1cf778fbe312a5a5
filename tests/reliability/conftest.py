"""Fixtures for the reliability suite: the fakes, the real extractor and scorer, and a seeded world of scored leads."""

from __future__ import annotations

import pytest

from nlp import SignalExtractor
from scoring.scorer import Scorer, build_scorer
from tests.fakes.fixtures import fake_fellow, fake_salesforce, fake_slack  # noqa: F401
from tests.reliability.secured import sec_app, sec_extractor, sec_logs, sec_server, sec_settings  # noqa: F401


@pytest.fixture(scope="session")
def extractor() -> SignalExtractor:
    """The real call-signal extractor (the spaCy pipeline is costly: built once)."""
    return SignalExtractor()


@pytest.fixture(scope="session")
def scorer(extractor: SignalExtractor) -> Scorer:
    """The cold-start scorer (rule-based prior and rules), as served before a model is promoted."""
    return build_scorer(None, extract=extractor.extract)
