"""The serving scorer carries the challenger in its shadow window, and drops it when the window closes or the
challenger is promoted."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy.engine import Engine

from admin_api.runtime.serving import ScorerHolder
from learning.registry import promote
from learning.shadow import ShadowWindow, start_shadow
from scoring.model import ModelBundle
from scoring.scorer import Scorer, build_scorer
from store.db import session_scope
from store.types import utcnow
from tests.integration.admin_api.bundles import make_bundle, register_bundle


def _build(bundle: ModelBundle | None) -> Scorer:
    return build_scorer(bundle)


def test_holder_follows_the_shadow_challenger(engine: Engine, tmp_path: Path) -> None:
    models = tmp_path / "models"
    holder = ScorerHolder(_build(None), _build, models)
    for version, threshold in (("champ-1", 500), ("chal-2", 100)):
        register_bundle(engine, models, make_bundle(version, threshold=threshold))
    with session_scope(engine) as session:
        promote("champ-1", session=session, models_dir=models, reason="test")
    holder.follow_champion(engine)
    assert holder.current.model_version == "champ-1" and holder.current.shadow is None
    now = utcnow()
    with session_scope(engine) as session:
        start_shadow("chal-2", ShadowWindow(now, now + timedelta(days=7)), session=session)
    result = holder.follow_champion(engine)
    assert result is not None and not result.changed
    assert holder.current.model_version == "champ-1" and holder.current.shadow.model_version == "chal-2"
    assert holder.follow_champion(engine) is None
    with session_scope(engine) as session:
        start_shadow("chal-2", ShadowWindow(now - timedelta(days=8), now - timedelta(days=1)), session=session)
    holder.follow_champion(engine)
    assert holder.current.shadow is None
    with session_scope(engine) as session:
        start_shadow("chal-2", ShadowWindow(now, now + timedelta(days=7)), session=session)
        promote("chal-2", session=session, models_dir=models, reason="test")
    holder.follow_champion(engine)
    assert holder.current.model_version == "chal-2" and holder.current.shadow is None
