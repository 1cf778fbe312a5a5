"""The serving scorer and its hot swap: requests read one immutable Scorer reference; reloads replace it whole."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session
from structlog import get_logger

from scoring.model import IncompatibleModelError, ModelBundle
from scoring.scorer import Scorer
from store.db import session_scope
from store.repositories.model_versions import get_champion, get_model_version, list_model_versions, set_champion
from store.tables import ModelVersion

log = get_logger(__name__)

VERSION_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")

BuildScorer = Callable[[ModelBundle | None], Scorer]


class InvalidVersionError(ValueError):
    """A model version name that is not a plain registry name (e.g. a path)."""


class UnknownVersionError(LookupError):
    """A well-formed version name that the registry does not hold."""


def check_version_name(version: str) -> str:
    """Accept only plain version names (letters, digits, '.', '_', '-'; no '..', no slashes)."""
    if not VERSION_PATTERN.match(version) or ".." in version:
        raise InvalidVersionError(
            "model version names contain only letters, digits, '.', '_' and '-', start with a letter or digit, "
            "and never contain '..'"
        )
    return version


@dataclass(frozen=True)
class SwapResult:
    """What a reload did: the version serving before and after."""

    previous: str
    current: str
    changed: bool


class ScorerHolder:
    """Holds the serving Scorer. Reading `current` is one reference load; `swap` is one assignment.

    A request takes `holder.current` once and uses that object to the end, so it sees either the old or the
    new model, never a mix. Reloads are serialised so two admins cannot interleave load-then-swap.
    """

    def __init__(self, scorer: Scorer, build: BuildScorer) -> None:
        self._scorer = scorer
        self._build = build
        self._reload_lock = threading.Lock()

    @property
    def current(self) -> Scorer:
        """The scorer to use for one request (take it once per request)."""
        return self._scorer

    def swap(self, scorer: Scorer) -> SwapResult:
        """Replace the serving scorer with a fully built one."""
        previous = self._scorer.model_version
        self._scorer = scorer
        return SwapResult(previous, scorer.model_version, previous != scorer.model_version)

    def load_row(self, row: ModelVersion | None) -> Scorer:
        """Build a scorer for a registry row (None = the rule-based prior); IncompatibleModelError if unusable."""
        bundle = None if row is None else ModelBundle.load(row.artifact_path)
        if bundle is not None and bundle.version != row.version:
            raise IncompatibleModelError(f"artifact at {row.artifact_path} holds {bundle.version}, not {row.version}")
        return self._build(bundle)

    def reload(self, engine: Engine, version: str) -> SwapResult:
        """Load a registered version, make it champion (so every worker follows) and swap it in."""
        check_version_name(version)
        with self._reload_lock:
            with Session(engine) as session:
                row = get_model_version(version, session=session)
            if row is None:
                raise UnknownVersionError(f"model version {version!r} is not in the registry")
            scorer = self.load_row(row)
            with session_scope(engine) as session:
                set_champion(version, session=session)
            result = self.swap(scorer)
        log.info("model.reloaded", previous=result.previous, current=result.current)
        return result

    def follow_champion(self, engine: Engine) -> SwapResult | None:
        """Swap to the registry's champion when it differs from what is serving (None when nothing changed)."""
        with Session(engine) as session:
            row = get_champion(session=session)
        serving = self._scorer
        wanted = None if row is None else row.version
        if (wanted is None and serving.bundle is None) or (wanted is not None and wanted == serving.model_version):
            return None
        with self._reload_lock:
            try:
                scorer = self.load_row(row)
            except IncompatibleModelError as exc:
                log.error("model.champion_unloadable", version=wanted, error=str(exc))
                return None
            result = self.swap(scorer)
        log.info("model.followed_champion", previous=result.previous, current=result.current)
        return result


def previous_champion(engine: Engine) -> str | None:
    """The most recently retired version that once served (the rollback target), or None."""
    with Session(engine) as session:
        rows = [row for row in list_model_versions(session=session) if row.state == "retired" and row.promoted_at]
    rows.sort(key=lambda row: row.retired_at or row.created_at, reverse=True)
    return rows[0].version if rows else None
