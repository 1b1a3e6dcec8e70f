"""A window's artifact files: reading them (or naming the damage and the retraining command),
the XGBoost model that serves a window, and writing them.

Two files per window, both JSON: ``models/xgboost_v1/YYYY-MM.json`` (xgboost's own model JSON,
or a small document saying the window had too little history) and ``models/ensemble_v1/
YYYY-MM.json`` (``nbaprops.predictions.stacking`` reads and writes its content). One job writes
both (``nbaprops.training_job``), so a damaged file names the command that retrains its window.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import numpy as np
import xgboost as xgb

from nbaprops.predictions.features import FEATURE_NAMES
from nbaprops.predictions.windows import model_id, window_start
from nbaprops.storage.files import write_atomic

# The model document of a window with too little history to train (``nbaprops_model`` key);
# the xgboost system then serves its documented fallback.
INSUFFICIENT = "insufficient_history"


class DamagedArtifactError(ValueError):
    """A model or ensemble-weights file is missing or corrupt; the message names the rebuild command."""


def damaged_artifact(path: Path, what: str, problem: str) -> DamagedArtifactError:
    """One sentence naming the file, what is wrong and the command that retrains its window (the
    train_models job writes the model, the weights and the metrics together)."""
    return DamagedArtifactError(f"{what} {path} {problem}; predictions never run without it. Retrain its window "
                                f"with `snakemake --cores 2 all --forcerun {path.as_posix()}`")


def read_artifact(path: Path, what: str) -> tuple[bytes, dict]:
    """(bytes, parsed JSON) of a model artifact, or DamagedArtifactError."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise damaged_artifact(path, what, "does not exist") from None
    try:
        doc = json.loads(raw)
    except ValueError as exc:
        raise damaged_artifact(path, what, f"is not valid JSON ({len(raw)} bytes; {exc})") from None
    if not isinstance(doc, dict):
        raise damaged_artifact(path, what, "does not hold a JSON object")
    return raw, doc


def window_of_artifact(path: Path) -> str:
    """The window an artifact serves: its file name (``YYYY-MM.json``), validated."""
    window = path.name.removesuffix(".json")
    window_start(window)
    return window


def write(path: str | os.PathLike, data: bytes) -> None:
    """Write an artifact atomically (fsync'd; a full disk fails naming the path)."""
    write_atomic(path, data)


# ---------------------------------------------------------------- serving
@dataclass(frozen=True)
class ServingModel:
    """The model serving one window; ``booster`` None when the window had too little history."""

    window: str
    booster: xgb.Booster | None

    @property
    def model_id(self) -> str | None:
        return model_id(self.window) if self.booster is not None else None

    def predict(self, X: np.ndarray) -> np.ndarray | None:
        if self.booster is None:
            return None
        return self.booster.predict(xgb.DMatrix(X, feature_names=list(FEATURE_NAMES)))


def load_model(path: str | os.PathLike) -> ServingModel:
    """A model artifact written by the training job (its file name is the window)."""
    path = Path(path)
    window = window_of_artifact(path)
    raw, doc = read_artifact(path, f"the XGBoost model of window {window}")
    if doc.get("nbaprops_model") == INSUFFICIENT:
        return ServingModel(window, None)
    booster = xgb.Booster()
    try:
        booster.load_model(bytearray(raw))
    except xgb.core.XGBoostError as exc:
        raise damaged_artifact(path, f"the XGBoost model of window {window}",
                               f"is not a model xgboost can load ({str(exc).splitlines()[0][:160]})") from None
    booster.set_param({"nthread": 1})
    return ServingModel(window, booster)


def load_models(paths: Iterable[str | os.PathLike]) -> dict[str, ServingModel]:
    """Window → model for the model files a prediction chunk was given."""
    models = {}
    for path in paths:
        model = load_model(path)
        models[model.window] = model
    return models
