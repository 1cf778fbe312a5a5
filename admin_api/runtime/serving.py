"""The serving scorer and its hot swap: requests read one immutable Scorer reference; reloads replace it whole.

Which version serves is the registry's champion (learning.registry), so a reload or rollback in one process
is followed by every other server process within the refresh interval; a challenger in its shadow period
(learning.shadow) rides on the serving scorer and is followed the same way.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session
from structlog import get_logger

from learning.registry import RegistryError, load_version, promote, rollback
from learning.shadow import shadowing_version
from scoring.model import ModelBundle
from scoring.scorer import Scorer
from store.db import session_scope
from store.repositories.model_versions import get_champion, get_model_version

log = get_logger(__name__)

VERSION_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")

BuildScorer = Callable[[ModelBundle | None], Scorer]


class InvalidVersionError(ValueError):
    """A model version name that is not a plain registry name (e.g. a path)."""


class UnknownVersionError(LookupError):
    """A well-formed version name that the registry does not hold."""


class UnloadableModelError(RuntimeError):
    """A registered version whose artifact cannot be loaded by this code."""


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

    def __init__(self, scorer: Scorer, build: BuildScorer, models_dir: Path) -> None:
        self._scorer = scorer
        self._build = build
        self.models_dir = models_dir
        self._reload_lock = threading.Lock()
        self._unloadable: str | None = None

    @property
    def current(self) -> Scorer:
        """The scorer to use for one request (take it once per request)."""
        return self._scorer

    def swap(self, scorer: Scorer) -> SwapResult:
        """Replace the serving scorer with a fully built one."""
        previous = self._scorer.model_version
        self._scorer = scorer
        return SwapResult(previous, scorer.model_version, previous != scorer.model_version)

    def _load(self, version: str, session: Session) -> Scorer:
        try:
            return self._build(load_version(version, session=session, models_dir=self.models_dir))
        except RegistryError as exc:
            raise UnloadableModelError(str(exc)) from None

    def reload(self, engine: Engine, version: str) -> SwapResult:
        """Load a registered version, make it champion (so every process follows) and swap it in."""
        check_version_name(version)
        with self._reload_lock:
            with session_scope(engine) as session:
                if get_model_version(version, session=session) is None:
                    raise UnknownVersionError(f"model version {version!r} is not in the registry")
                scorer = self._load(version, session)
                promote(version, session=session, models_dir=self.models_dir, reason="reloaded by an operator")
            result = self.swap(scorer)
        log.info("model.reloaded", previous=result.previous, current=result.current)
        return result

    def rollback(self, engine: Engine) -> SwapResult:
        """Reinstate the previous champion (learning.registry.rollback) and serve it."""
        with self._reload_lock:
            with session_scope(engine) as session:
                try:
                    restored = rollback(session=session, models_dir=self.models_dir)
                except RegistryError as exc:
                    raise UnknownVersionError(str(exc)) from None
                scorer = self._load(restored.version, session)
            result = self.swap(scorer)
        log.info("model.rolled_back", previous=result.previous, current=result.current)
        return result

    def follow_champion(self, engine: Engine) -> SwapResult | None:
        """Swap to the registry's champion, with the challenger scoring in shadow beside it (learning.shadow),
        when either differs from what is serving (None when nothing changed).

        An unloadable champion or shadow is logged once and the current scorer keeps serving.
        """
        with Session(engine) as session:
            row, shadow_row = get_champion(session=session), shadowing_version(session=session)
            serving = self._scorer
            wanted = None if row is None else row.version
            wanted_shadow = None if shadow_row is None else shadow_row.version
            same = wanted == (None if serving.bundle is None else serving.model_version) or wanted == self._unloadable
            same_shadow = wanted_shadow == _shadow_version(serving) or (
                wanted_shadow is not None and wanted_shadow == self._unloadable
            )
            if same and same_shadow:
                return None
            with self._reload_lock:
                try:
                    scorer = serving if same else self._build(None) if wanted is None else self._load(wanted, session)
                except UnloadableModelError as exc:
                    self._unloadable = wanted
                    log.error("model.champion_unloadable", version=wanted, error=str(exc))
                    return None
                result = self.swap(scorer.with_shadow(self._shadow(wanted_shadow, session)))
        log.info("model.followed_champion", previous=result.previous, current=result.current, shadow=wanted_shadow)
        return result

    def _shadow(self, version: str | None, session: Session) -> Scorer | None:
        """The challenger scorer to run in shadow (None when none, or when it does not load: logged once)."""
        if version is None or version == self._unloadable:
            return None
        try:
            return self._load(version, session)
        except UnloadableModelError as exc:
            self._unloadable = version
            log.error("model.shadow_unloadable", version=version, error=str(exc))
            return None


def _shadow_version(scorer: Scorer) -> str | None:
    return None if scorer.shadow is None else scorer.shadow.model_version
