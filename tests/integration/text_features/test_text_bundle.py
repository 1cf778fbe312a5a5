"""A bundle with text features: trains, saves and reloads with its vocabulary, explains with quotes, and copes
with notes it cannot read; a bundle without text features still loads and scores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from config.sections import LearningSection
from learning.bundles import train_bundle
from learning.table import TrainingTable
from learning.training import TrainConfig
from learning.vocabulary import VocabularyConfig
from scoring.domain import CallFacts, CompanyFacts, LeadFacts
from scoring.features import build_features, features_frame
from scoring.model import ModelBundle
from scoring.scorer import build_scorer
from scoring.text_features import TEXT_COLUMN

GOOD = "Prospect: money is set aside and they want a go-live before the end of the month."
BAD = "Prospect: they are happy with the current vendor and see no reason to change."


def _table(n: int = 160) -> TrainingTable:
    rng = np.random.default_rng(3)
    y = (rng.random(n) < 0.5).astype(float)
    company = CompanyFacts(name="Acme", domain="acme.com", industry="SaaS", employees=100)
    rows = [build_features(company, LeadFacts(), [], datetime(2026, 1, 1, tzinfo=UTC)) for _ in range(n)]
    frame = features_frame(rows)
    frame[TEXT_COLUMN] = [GOOD if label else BAD for label in y]
    start = np.datetime64("2026-01-01T00:00:00")
    return TrainingTable(
        frame=frame, lead_ids=np.arange(n), progressed=y, voice_ai=y.copy(), weight=np.ones(n),
        known_at=start + np.arange(n).astype("timedelta64[h]"), source=np.array(["outcome"] * n, dtype=object),
        exploration=np.zeros(n, dtype=bool),
    )  # fmt: skip


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ModelBundle]:
    learning = LearningSection(min_training_samples=10)
    config = TrainConfig(max_trials=1, max_rounds=40, early_stopping_rounds=5, min_rows=10)
    vocab = VocabularyConfig(max_terms=8, min_df=3, max_df_share=0.9)
    out: dict[str, ModelBundle] = {}
    for features in ("signals", "both"):
        bundle = train_bundle(_table(), learning=learning, config=config, features=features, vocabulary=vocab).bundle
        path = tmp_path_factory.mktemp(features) / "bundle"
        bundle.save(path)
        out[features] = ModelBundle.load(Path(path))
    return out


def test_vocabulary_survives_save_and_load(bundles: dict[str, ModelBundle]) -> None:
    assert bundles["both"].text is not None and bundles["both"].text.terms
    assert bundles["signals"].text is None


def test_wording_is_explained_with_a_quote_not_a_column(bundles: dict[str, ModelBundle]) -> None:
    scorer = build_scorer(bundles["both"])
    call = CallFacts(1, datetime.now(UTC) - timedelta(days=1), GOOD)
    result = scorer.score_facts(CompanyFacts(name="Acme", domain="acme.com"), LeadFacts(), [call])
    wording = [f for f in result.factors if f.feature == "call_wording"]
    assert wording and wording[0].text.startswith('Said "') and "text_0" not in " ".join(result.reasoning)
    good = result.progression_probability
    bad = scorer.score_facts(CompanyFacts(name="Acme", domain="acme.com"), LeadFacts(), [call.__class__(2, None, BAD)])
    assert good > bad.progression_probability


def test_unreadable_notes_still_score_and_say_so(bundles: dict[str, ModelBundle]) -> None:
    scorer = build_scorer(bundles["both"])
    spanish = "El cliente necesita un presupuesto para el proyecto y quiere empezar con una prueba piloto pronto."
    result = scorer.score_facts(
        CompanyFacts(name="Acme", domain="acme.com"), LeadFacts(), [CallFacts(1, None, spanish)]
    )
    plain = scorer.score_facts(CompanyFacts(name="Acme", domain="acme.com"), LeadFacts(), [])
    assert any("English" in w for w in result.warnings)
    assert 0.0 <= result.progression_probability <= 1.0
    assert result.confidence <= plain.confidence + 1e-9


def test_bundle_without_text_scores_frames_with_notes(bundles: dict[str, ModelBundle]) -> None:
    frame = _table(20).frame
    scored = build_scorer(bundles["signals"]).score_frame(frame)
    assert len(scored) == 20
    with_text = build_scorer(bundles["both"]).score_frame(frame)
    assert with_text["progression_probability"].nunique() == 2


def test_both_models_read_one_stacked_text_score_per_label(bundles: dict[str, ModelBundle]) -> None:
    text = bundles["both"].text
    assert text is not None
    assert [scorer.name for scorer in text.scorers] == ["progression", "voice_ai"]
    assert text.column_names[-2:] == ["text_score_progression", "text_score_voice_ai"]
    assert list(bundles["both"].progression.booster.feature_name())[-2:] == text.column_names[-2:]
    good, bad = text.transform([GOOD, BAD])[:, -2]
    assert good > 0 > bad
