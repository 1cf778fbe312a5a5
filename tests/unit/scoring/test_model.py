"""LeadModel / ModelBundle: calibrated predictions, contributions, atomic artifacts, refusal of bad ones."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from scoring.calibration import IsotonicCalibrator, PlattCalibrator
from scoring.features import FEATURE_NAMES, encode_frame
from scoring.model import IncompatibleModelError, LeadModel, ModelBundle
from scoring.scorer import build_scorer


def test_contributions_are_registry_aligned_and_sum_to_the_margin(bundle: ModelBundle, training_data) -> None:
    frame = training_data[0].head(50)
    model = bundle.progression
    proba, contrib = model.predict_with_contributions(frame)
    assert contrib.shape == (50, len(FEATURE_NAMES) + 1)
    np.testing.assert_allclose(contrib.sum(axis=1), model.raw_margin(frame), atol=1e-9)
    np.testing.assert_allclose(proba, model.predict_proba(encode_frame(frame)))
    assert ((proba >= 0) & (proba <= 1)).all()


def test_calibration_tracks_the_observed_rate(bundle: ModelBundle, training_data) -> None:
    frame, y_progress, _ = training_data
    proba = bundle.progression.predict_proba(frame)
    assert abs(proba.mean() - y_progress.mean()) < 0.02


def test_calibrators_are_monotone() -> None:
    margin = np.linspace(-3, 3, 200)
    y = (margin + np.random.default_rng(0).normal(0, 1, 200) > 0).astype(int)
    for calibrator in (IsotonicCalibrator().fit(margin, y), PlattCalibrator().fit(margin, y)):
        out = calibrator.transform(margin)
        assert (np.diff(out) >= -1e-12).all()


def test_bundle_round_trip(bundle: ModelBundle, training_data, tmp_path: Path) -> None:
    frame = training_data[0].head(20)
    target = bundle.save(tmp_path / "v1")
    loaded = ModelBundle.load(target)
    assert loaded.version == "test-v1"
    np.testing.assert_allclose(loaded.progression.predict_proba(frame), bundle.progression.predict_proba(frame))
    np.testing.assert_allclose(loaded.voice_ai.predict_proba(frame), bundle.voice_ai.predict_proba(frame))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_artifacts_are_immutable_and_failed_writes_leave_nothing(bundle: ModelBundle, tmp_path: Path) -> None:
    bundle.progression.save(tmp_path / "m")
    with pytest.raises(FileExistsError):
        bundle.progression.save(tmp_path / "m")

    class Boom(Exception):
        pass

    broken = LeadModel(bundle.progression.booster, bundle.progression.calibrator, bundle.progression.metadata)
    object.__setattr__(broken, "_write", lambda directory: (_ for _ in ()).throw(Boom()))
    with pytest.raises(Boom):
        broken.save(tmp_path / "half")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m"]


def _edit_metadata(directory: Path, **changes: object) -> None:
    path = directory / "metadata.json"
    data = json.loads(path.read_text())
    data.update(changes)
    path.write_text(json.dumps(data))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"library_versions": {"lightgbm": "99.0.0"}}, "major versions must match"),
        ({"feature_names": ["industry", "shoe_size"]}, "does not build: ['shoe_size']"),
        ({"categorical_levels": {"industry": ["a", "b"]}}, "levels of categorical feature 'industry'"),
        ({"format_version": 7}, "artifact format 7"),
        ({"kind": "voice_ai"}, "expected progression"),
    ],
)
def test_incompatible_artifacts_are_refused(bundle: ModelBundle, tmp_path: Path, changes, message: str) -> None:
    target = bundle.progression.save(tmp_path / "m")
    _edit_metadata(target, **changes)
    with pytest.raises(IncompatibleModelError, match=message.replace("[", r"\[").replace("(", r"\(")):
        LeadModel.load(target, kind="progression")


def test_feature_list_must_match_the_booster(bundle: ModelBundle, tmp_path: Path) -> None:
    target = bundle.progression.save(tmp_path / "m")
    _edit_metadata(target, feature_names=list(FEATURE_NAMES[:-1]))
    with pytest.raises(IncompatibleModelError, match="differ from metadata"):
        LeadModel.load(target)


def test_corrupt_or_missing_files_are_refused(bundle: ModelBundle, tmp_path: Path) -> None:
    target = bundle.progression.save(tmp_path / "m")
    (target / "booster.txt").write_text("garbage")
    with pytest.raises(IncompatibleModelError, match="cannot load model"):
        LeadModel.load(target)
    with pytest.raises(IncompatibleModelError, match="cannot read bundle manifest"):
        ModelBundle.load(tmp_path / "nowhere")


def test_bundle_needs_one_model_of_each_kind(bundle: ModelBundle) -> None:
    with pytest.raises(IncompatibleModelError, match="needs a progression model"):
        ModelBundle("x", progression=bundle.voice_ai, voice_ai=bundle.progression)
    with pytest.raises(IncompatibleModelError, match="must be of kind voice_ai"):
        ModelBundle("x", progression=bundle.progression, voice_ai=bundle.progression)


def test_a_bundle_without_its_voice_model_saves_loads_and_scores_with_the_prior_voice(
    bundle: ModelBundle, tmp_path: Path, training_data
) -> None:
    skipped = {"voice_ai": "voice_ai: all 40 labels are negative"}
    partial = ModelBundle("v-partial", progression=bundle.progression, voice_ai=None, skipped=skipped)
    loaded = ModelBundle.load(partial.save(tmp_path / "partial"))
    assert loaded.voice_ai is None and loaded.skipped == skipped
    assert not (tmp_path / "partial" / "voice_ai").exists()
    scorer = build_scorer(loaded)
    frame = training_data[0].head(20)
    scored = scorer.score_frame(frame)
    prior_voice = build_scorer(None).score_frame(frame)["voice_ai_probability"]
    np.testing.assert_allclose(scored["voice_ai_probability"], prior_voice)
    np.testing.assert_allclose(scored["progression_probability"], bundle.progression.predict_proba(frame))


def test_path_contributions_sum_to_the_margin_and_agree_with_shap(bundle: ModelBundle, training_data) -> None:
    frame = training_data[0].head(100)
    for model in (bundle.progression, bundle.voice_ai):
        proba, path = model.predict_with_contributions(frame, method="path")
        shap_proba, shap = model.predict_with_contributions(frame, method="shap")
        np.testing.assert_allclose(path.sum(axis=1), model.raw_margin(frame), atol=1e-9)
        np.testing.assert_allclose(proba, shap_proba, atol=1e-9)
        top_agree = np.argmax(np.abs(path[:, :-1]), axis=1) == np.argmax(np.abs(shap[:, :-1]), axis=1)
        assert top_agree.mean() > 0.7
