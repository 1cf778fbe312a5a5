"""Registry on both backends: atomic artifacts, promotion only of loadable versions, rollback, safe names."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import Session

from learning.registry import RegistryError, artifact_dir, load_champion, promote, register, rollback
from scoring.model import ModelBundle
from store.repositories.model_versions import get_champion, get_model_version


def _register(bundle: ModelBundle, session: Session, models: Path) -> None:
    register(bundle, session=session, models_dir=models, details={}, metrics={})
    session.commit()


def test_promote_rollback_and_load_champion(
    session: Session, tmp_path: Path, make_bundle: Callable[[str], ModelBundle]
) -> None:
    first, second = make_bundle("v1"), make_bundle("v2")
    for bundle in (first, second):
        _register(bundle, session, tmp_path)
    assert load_champion(session=session, models_dir=tmp_path) is None
    promote("v1", session=session, models_dir=tmp_path, reason="test")
    promote("v2", session=session, models_dir=tmp_path, reason="test")
    session.commit()
    assert load_champion(session=session, models_dir=tmp_path).version == "v2"
    assert rollback(session=session, models_dir=tmp_path).version == "v1"
    session.commit()
    assert get_champion(session=session).version == "v1"
    assert get_model_version("v2", session=session).details["rolled_back"] is True
    with pytest.raises(RegistryError, match="no earlier champion"):
        rollback(session=session, models_dir=tmp_path)


def test_a_corrupt_artifact_is_never_promoted(
    session: Session, tmp_path: Path, make_bundle: Callable[[str], ModelBundle]
) -> None:
    _register(make_bundle("good"), session, tmp_path)
    _register(make_bundle("bad"), session, tmp_path)
    promote("good", session=session, models_dir=tmp_path, reason="test")
    (tmp_path / "bad" / "progression" / "booster.txt").write_text("garbage")
    with pytest.raises(RegistryError, match="bad cannot be loaded"):
        promote("bad", session=session, models_dir=tmp_path, reason="test")
    assert get_champion(session=session).version == "good"


@pytest.mark.parametrize("name", ["../evil", "a/b", "..", ".hidden", "x" * 81, ""])
def test_unsafe_version_names_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(RegistryError):
        artifact_dir(tmp_path, name)


def test_registering_twice_is_refused(
    session: Session, tmp_path: Path, make_bundle: Callable[[str], ModelBundle]
) -> None:
    bundle = make_bundle("v1")
    _register(bundle, session, tmp_path)
    with pytest.raises(RegistryError, match="already registered"):
        register(bundle, session=session, models_dir=tmp_path, details={}, metrics={})
