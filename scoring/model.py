"""LightGBM model wrapper with calibration, metadata and atomic, version-checked artifacts.

`LeadModel` wraps a trained booster, a calibrator and `ModelMetadata`; `ModelBundle` pairs the progression and
Voice AI models under one version. Artifacts are directories written atomically (temp dir + rename) and loading
refuses anything whose features or library versions this code cannot honour (`IncompatibleModelError`).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import lightgbm
import numpy as np
import pandas as pd
import sklearn
from pydantic import BaseModel, Field, ValidationError
from sklearn.exceptions import NotFittedError

from scoring.calibration import (
    IdentityCalibrator,
    IsotonicCalibrator,
    PlattCalibrator,
    calibrator_from_dict,
)
from scoring.features import CATEGORY_LEVELS, FEATURE_INDEX, FEATURE_NAMES, encode_frame
from scoring.text_features import TEXT_COLUMN, TextVocabulary

ARTIFACT_FORMAT = 1
ModelKind = Literal["progression", "voice_ai"]
ContributionMethod = Literal["shap", "path"]
_SMALL_BATCH = 1_000  # below this many rows LightGBM predicts on one thread (no OpenMP start-up/contention)
AnyCalibrator = IdentityCalibrator | PlattCalibrator | IsotonicCalibrator

_BOOSTER_FILE = "booster.txt"
_CALIBRATOR_FILE = "calibrator.json"
_METADATA_FILE = "metadata.json"
_BUNDLE_FILE = "bundle.json"


class IncompatibleModelError(Exception):
    """A model artifact cannot be used by this code (features, versions or files do not match)."""


def library_versions() -> dict[str, str]:
    """Versions of the libraries a model artifact depends on, recorded in its metadata."""
    return {
        "lightgbm": lightgbm.__version__,
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "python": platform.python_version(),
    }


class ModelMetadata(BaseModel):
    """Everything needed to trust, compare and reload a trained model."""

    version: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._-]+$")
    kind: ModelKind
    feature_names: list[str]
    categorical_levels: dict[str, list[str]]
    trained_at: datetime
    training_window: tuple[datetime, datetime] | None = None
    n_train: int = Field(ge=0)
    metrics: dict[str, float] = Field(default_factory=dict)
    data_hash: str = ""
    library_versions: dict[str, str] = Field(default_factory=library_versions)
    params: dict[str, Any] = Field(default_factory=dict)
    format_version: int = ARTIFACT_FORMAT
    text_features: dict[str, Any] | None = None  # the fitted `TextVocabulary`; None for named features only


def _major(version: str) -> str:
    return version.split(".", 1)[0]


def check_compatible(metadata: ModelMetadata) -> None:
    """Raise IncompatibleModelError unless the metadata's features and library versions match this code."""
    if metadata.format_version != ARTIFACT_FORMAT:
        raise IncompatibleModelError(
            f"model {metadata.version}: artifact format {metadata.format_version}, this code reads {ARTIFACT_FORMAT}"
        )
    unknown = [name for name in metadata.feature_names if name not in FEATURE_INDEX]
    if unknown:
        raise IncompatibleModelError(f"model {metadata.version} uses features this code does not build: {unknown}")
    for name in metadata.feature_names:
        if name in CATEGORY_LEVELS and tuple(metadata.categorical_levels.get(name, ())) != CATEGORY_LEVELS[name]:
            raise IncompatibleModelError(
                f"model {metadata.version}: levels of categorical feature {name!r} differ from the registry"
            )
    trained = metadata.library_versions.get("lightgbm", "")
    if _major(trained) != _major(lightgbm.__version__):
        raise IncompatibleModelError(
            f"model {metadata.version} was trained with lightgbm {trained or 'unknown'}, "
            f"installed is {lightgbm.__version__} (major versions must match)"
        )


class LeadModel:
    """A trained LightGBM binary model plus calibrator; predicts calibrated probabilities and contributions.

    Inputs are either a `features_frame` DataFrame (with the raw notes in TEXT_COLUMN when the model reads text)
    or the full registry matrix from `encode_row`/`encode_frame`, optionally followed by the text columns of
    `text_`; the model picks its own columns. Contributions come back in registry coordinates (one column per
    FEATURE_NAMES entry, zero for unused features, then one per text column, bias last).
    """

    def __init__(self, booster: lightgbm.Booster, calibrator: AnyCalibrator, metadata: ModelMetadata) -> None:
        self.booster = booster
        self.calibrator = calibrator
        self.metadata = metadata
        self._validate()

    def _validate(self) -> None:
        check_compatible(self.metadata)
        names = list(self.booster.feature_name())
        self.text_ = _vocabulary(self.metadata)
        text_names = self.text_.column_names if self.text_ else []
        if names != [*self.metadata.feature_names, *text_names]:
            raise IncompatibleModelError(
                f"model {self.metadata.version}: booster features {names} differ from metadata feature_names"
            )
        names = list(self.metadata.feature_names)
        pandas_levels = getattr(self.booster, "pandas_categorical", None)
        cats = [name for name in names if name in CATEGORY_LEVELS]
        if pandas_levels and [list(levels) for levels in pandas_levels] != [list(CATEGORY_LEVELS[c]) for c in cats]:
            raise IncompatibleModelError(
                f"model {self.metadata.version}: booster was trained on categories other than the registry levels"
            )
        try:
            self.calibrator.transform(np.zeros(1))
        except NotFittedError as exc:
            raise IncompatibleModelError(f"model {self.metadata.version}: calibrator is not fitted") from exc
        n_text = len(text_names)
        registry = [FEATURE_INDEX[name] for name in names]
        self.columns_ = np.array([*registry, *range(len(FEATURE_NAMES), len(FEATURE_NAMES) + n_text)], dtype=np.intp)
        self.width_ = len(FEATURE_NAMES) + n_text
        self.leaf_contrib_, self.bias_ = _path_tables(self.booster.dump_model()["tree_info"], len(self.columns_))

    @property
    def version(self) -> str:
        """The model version string."""
        return self.metadata.version

    def _matrix(self, X: pd.DataFrame | np.ndarray) -> np.ndarray:
        matrix = with_text(encode_frame(X), X, self.text_) if isinstance(X, pd.DataFrame) else np.asarray(X, float)
        if matrix.ndim == 2 and matrix.shape[1] == len(FEATURE_NAMES) < self.width_:
            matrix = np.hstack([matrix, np.full((matrix.shape[0], self.width_ - matrix.shape[1]), np.nan)])
        if matrix.ndim != 2 or matrix.shape[1] != self.width_:
            raise ValueError(f"expected a (n, {self.width_}) registry + text matrix, got shape {matrix.shape}")
        return matrix[:, self.columns_]

    def _predict(self, matrix: np.ndarray, **kwargs: Any) -> np.ndarray:
        threads: dict[str, Any] = {"num_threads": 1} if matrix.shape[0] < _SMALL_BATCH else {}
        return np.asarray(self.booster.predict(matrix, **kwargs, **threads), dtype=np.float64)

    def raw_margin(self, X: pd.DataFrame | np.ndarray) -> np.ndarray:
        """Uncalibrated log-odds per row."""
        return self._predict(self._matrix(X), raw_score=True)

    def predict_proba(self, X: pd.DataFrame | np.ndarray) -> np.ndarray:
        """Calibrated probability of the positive class per row."""
        return self.calibrator.transform(self.raw_margin(X))

    def contributions(self, X: pd.DataFrame | np.ndarray) -> np.ndarray:
        """Exact TreeSHAP contributions (LightGBM ``pred_contrib``), shape (n, len(FEATURE_NAMES) + 1), bias last."""
        return self.predict_with_contributions(X, method="shap")[1]

    def predict_with_contributions(
        self, X: pd.DataFrame | np.ndarray, *, method: ContributionMethod = "shap"
    ) -> tuple[np.ndarray, np.ndarray]:
        """Calibrated probabilities and registry-aligned log-odds contributions from one booster pass.

        ``shap`` is LightGBM's exact TreeSHAP (``pred_contrib``); ``path`` attributes each split's change in
        node value along the decision path (Saabas), read from precomputed per-leaf tables after a
        ``pred_leaf`` pass: the same sum (the raw margin), a fraction of the cost for single-lead scoring.
        """
        matrix = self._matrix(X)
        if method == "shap":
            contrib = self._predict(matrix, pred_contrib=True)
            own, bias = contrib[:, :-1], contrib[:, -1]
        else:
            leaves = self._predict(matrix, pred_leaf=True).astype(np.intp).reshape(matrix.shape[0], -1)
            own = self.leaf_contrib_[np.arange(leaves.shape[1]), leaves].sum(axis=1)
            bias = np.full(matrix.shape[0], self.bias_)
        full = np.zeros((matrix.shape[0], self.width_ + 1), dtype=np.float64)
        full[:, self.columns_] = own
        full[:, -1] = bias
        return self.calibrator.transform(full.sum(axis=1)), full

    def save(self, directory: str | os.PathLike[str]) -> Path:
        """Write the artifact atomically to `directory` (must not exist yet); returns its path."""
        with _atomic_directory(Path(directory)) as tmp:
            self._write(tmp)
        return Path(directory)

    def _write(self, directory: Path) -> None:
        self.booster.save_model(str(directory / _BOOSTER_FILE))
        _write_json(directory / _CALIBRATOR_FILE, self.calibrator.to_dict())
        _write_json(directory / _METADATA_FILE, json.loads(self.metadata.model_dump_json()))

    @classmethod
    def load(cls, directory: str | os.PathLike[str], *, kind: ModelKind | None = None) -> LeadModel:
        """Load and verify an artifact; IncompatibleModelError when it is missing, corrupt or incompatible."""
        path = Path(directory)
        try:
            metadata = ModelMetadata.model_validate_json((path / _METADATA_FILE).read_text())
            check_compatible(metadata)
            calibrator = calibrator_from_dict(json.loads((path / _CALIBRATOR_FILE).read_text()))
            booster = lightgbm.Booster(model_file=str(path / _BOOSTER_FILE))
        except (OSError, ValueError, ValidationError, lightgbm.basic.LightGBMError) as exc:
            raise IncompatibleModelError(f"cannot load model from {path}: {exc}") from exc
        if kind is not None and metadata.kind != kind:
            raise IncompatibleModelError(f"model at {path} is a {metadata.kind} model, expected {kind}")
        return cls(booster, calibrator, metadata)


@dataclass(frozen=True)
class ModelBundle:
    """The progression and Voice AI models that are promoted, scored and rolled back together.

    `voice_ai` is None when training could not fit it (e.g. the org's labels had no Voice AI positives yet);
    scoring then keeps using the prior's Voice AI estimate, and `skipped` says why.
    """

    version: str
    progression: LeadModel
    voice_ai: LeadModel | None
    skipped: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.progression.metadata.kind != "progression":
            raise IncompatibleModelError("a bundle needs a progression model")
        if self.voice_ai is None:
            return
        if self.voice_ai.metadata.kind != "voice_ai":
            raise IncompatibleModelError("a bundle's Voice AI model must be of kind voice_ai")
        if self.progression.text_ != self.voice_ai.text_:
            raise IncompatibleModelError("both models of a bundle must read the same text vocabulary")

    def models(self) -> list[tuple[ModelKind, LeadModel]]:
        """The trained models of this bundle, by kind (a skipped model is absent)."""
        found: list[tuple[ModelKind, LeadModel]] = [("progression", self.progression)]
        if self.voice_ai is not None:
            found.append(("voice_ai", self.voice_ai))
        return found

    @property
    def text(self) -> TextVocabulary | None:
        """The text vocabulary both models read (None when they use named features only)."""
        return self.progression.text_

    def save(self, directory: str | os.PathLike[str]) -> Path:
        """Write both models and bundle.json atomically into `directory` (must not exist yet)."""
        with _atomic_directory(Path(directory)) as tmp:
            for name, model in self.models():
                (tmp / name).mkdir()
                model._write(tmp / name)
            manifest = {
                "version": self.version,
                "format_version": ARTIFACT_FORMAT,
                "saved_at": datetime.now(UTC).isoformat(),
                "skipped": self.skipped,
            }
            _write_json(tmp / _BUNDLE_FILE, manifest)
        return Path(directory)

    @classmethod
    def load(cls, directory: str | os.PathLike[str]) -> ModelBundle:
        """Load a bundle; IncompatibleModelError when either model is unusable."""
        path = Path(directory)
        try:
            manifest = json.loads((path / _BUNDLE_FILE).read_text())
            version = str(manifest["version"])
        except (OSError, ValueError, KeyError) as exc:
            raise IncompatibleModelError(f"cannot read bundle manifest in {path}: {exc}") from exc
        if manifest.get("format_version") != ARTIFACT_FORMAT:
            raise IncompatibleModelError(f"bundle {path} has format {manifest.get('format_version')}")
        skipped = {str(k): str(v) for k, v in (manifest.get("skipped") or {}).items()}
        return cls(
            version=version,
            progression=LeadModel.load(path / "progression", kind="progression"),
            voice_ai=None if "voice_ai" in skipped else LeadModel.load(path / "voice_ai", kind="voice_ai"),
            skipped=skipped,
        )


def _vocabulary(metadata: ModelMetadata) -> TextVocabulary | None:
    if not metadata.text_features:
        return None
    try:
        vocabulary = TextVocabulary.from_dict(metadata.text_features)
    except ValueError as exc:
        raise IncompatibleModelError(f"model {metadata.version}: {exc}") from exc
    return vocabulary if vocabulary.terms else None


def with_text(matrix: np.ndarray, frame: pd.DataFrame, text: TextVocabulary | None) -> np.ndarray:
    """Append the text columns of `frame`'s TEXT_COLUMN (all NaN when the frame carries no notes)."""
    if text is None or not text.terms:
        return matrix
    notes = frame[TEXT_COLUMN] if TEXT_COLUMN in frame.columns else [None] * len(frame)
    return np.hstack([matrix, text.transform(notes)])


def _path_tables(trees: list[dict[str, Any]], n_features: int) -> tuple[np.ndarray, float]:
    """Per tree and leaf, the decision-path attribution vector (T, max_leaves, n_features) and the summed
    root values (bias). Each edge credits its parent's split feature with the change in node value."""
    max_leaves = max((tree["num_leaves"] for tree in trees), default=1)
    table = np.zeros((len(trees), max_leaves, n_features), dtype=np.float64)
    bias = 0.0
    for t, tree in enumerate(trees):
        root = tree["tree_structure"]
        if "leaf_value" in root:
            bias += float(root["leaf_value"])
            continue
        bias += float(root["internal_value"])
        stack: list[tuple[dict[str, Any], np.ndarray]] = [(root, np.zeros(n_features))]
        while stack:
            node, path = stack.pop()
            for side in ("left_child", "right_child"):
                child = node[side]
                step = path.copy()
                value = child["leaf_value"] if "leaf_value" in child else child["internal_value"]
                step[node["split_feature"]] += float(value) - float(node["internal_value"])
                if "leaf_index" in child:
                    table[t, child["leaf_index"]] = step
                else:
                    stack.append((child, step))
    return table, bias


def _write_json(path: Path, data: Any) -> None:
    with path.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())


@contextmanager
def _atomic_directory(target: Path) -> Iterator[Path]:
    """Yield a temp directory next to `target`; rename it into place only if the block succeeds."""
    if target.exists():
        raise FileExistsError(f"model artifact {target} already exists; artifacts are immutable")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        yield tmp
        for file in tmp.rglob("*"):
            if file.is_file():
                with file.open("rb") as handle:
                    os.fsync(handle.fileno())
        os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    dir_fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
