"""L2-regularised logistic regression over binary named features (numpy only).

Fitted by Newton's method (iteratively reweighted least squares): with a few hundred
training pairs and at most a few thousand features it converges in about ten steps.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["LogisticModel", "ModelFileError", "fit_logistic"]


class ModelFileError(ValueError):
    """A cached model file cannot be read; the message names the file."""


@dataclass(frozen=True)
class LogisticModel:
    """Weights per feature name, a bias and a decision threshold on the probability."""

    weights: dict[str, float]
    bias: float
    threshold: float = 0.5

    def probability(self, features: Sequence[str]) -> float:
        z = self.bias + sum(self.weights.get(name, 0.0) for name in set(features))
        z = max(-30.0, min(30.0, z))
        return 1.0 / (1.0 + math.exp(-z))

    def predict(self, features: Sequence[str]) -> bool:
        return self.probability(features) >= self.threshold

    def to_json(self) -> str:
        return json.dumps(
            {"bias": self.bias, "threshold": self.threshold, "weights": self.weights},
            sort_keys=True,
        )

    @classmethod
    def read(cls, path: Path) -> LogisticModel:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            weights = {str(k): float(v) for k, v in raw["weights"].items()}
            return cls(weights, float(raw["bias"]), float(raw["threshold"]))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise ModelFileError(f"{path}: not a regulation model file ({error})") from error


_BIAS_PENALTY = 1e-4  # next to nothing: keeps the Hessian invertible


def _newton_step(
    x: np.ndarray, curvature: np.ndarray, penalty: np.ndarray, gradient: np.ndarray
) -> np.ndarray:
    """Solve (Xᵀ diag(c) X + diag(penalty)) step = gradient, in the smaller dimension
    (Woodbury identity when there are more features than examples)."""
    n, d = x.shape
    if d <= n:
        hessian = (x.T * curvature) @ x + np.diag(penalty)
        return np.asarray(np.linalg.solve(hessian, gradient))
    inverse = 1.0 / penalty
    b = x * np.sqrt(curvature)[:, None]
    scaled = inverse * gradient
    inner = np.eye(n) + (b * inverse) @ b.T
    return np.asarray(scaled - inverse * (b.T @ np.linalg.solve(inner, b @ scaled)))


def fit_logistic(
    examples: Sequence[Sequence[str]],
    labels: Sequence[bool],
    *,
    l2: float = 1.0,
    min_count: int = 2,
    iterations: int = 25,
    threshold: float = 0.5,
) -> LogisticModel:
    """Fit weights minimising log-loss + ``l2``/2 · ||w||² (the bias is not penalised).

    Features seen in fewer than ``min_count`` examples are dropped.

    >>> model = fit_logistic([["a"], ["a"], ["b"], ["b"]], [True, True, False, False], l2=0.1)
    >>> model.predict(["a"]), model.predict(["b"])
    (True, False)
    """
    if len(examples) != len(labels):
        raise ValueError("one label per example")
    counts = Counter(name for features in examples for name in set(features))
    names = sorted(name for name, n in counts.items() if n >= min_count)
    index = {name: i for i, name in enumerate(names)}
    x = np.zeros((len(examples), len(names) + 1))
    x[:, -1] = 1.0  # bias column
    for row, features in enumerate(examples):
        for name in set(features):
            column = index.get(name)
            if column is not None:
                x[row, column] = 1.0
    y = np.asarray(labels, dtype=float)
    penalty = np.full(len(names) + 1, float(l2))
    penalty[-1] = _BIAS_PENALTY
    w = np.zeros(len(names) + 1)
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        gradient = x.T @ (p - y) + penalty * w
        step = _newton_step(x, p * (1 - p), penalty, gradient)
        w -= step
        if float(np.max(np.abs(step))) < 1e-6:
            break
    weights = {name: float(w[i]) for name, i in index.items() if abs(w[i]) > 1e-9}
    return LogisticModel(weights, float(w[-1]), threshold)
