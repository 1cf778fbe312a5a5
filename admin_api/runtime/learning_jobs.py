"""How the API and `fellow up` run the learning loop: retrain with signals read by this process's extractor."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from config import Settings
from learning.flows import RetrainResult, retrain
from learning.table import SignalCache
from nlp import SignalExtractor


def signal_cache_dir(settings: Settings) -> Path:
    """Where read call signals are remembered between retraining runs (the same folder the scheduler uses)."""
    return Path(settings.data_dir) / "cache"


def retrain_job(settings: Settings, engine: Engine, extractor: SignalExtractor) -> RetrainResult:
    """Train a challenger, evaluate it against the champion and the prior, and promote it if the gate passes."""
    return retrain(engine, settings, SignalCache(extractor, signal_cache_dir(settings)))
