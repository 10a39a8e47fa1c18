"""L2-regularised logistic regression over binary named features: fitted by scikit-learn,
kept as named weights (a small JSON file, and a prediction that needs no matrix or import).
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


#: The bias of a model trained on one class only: a probability of 1 or 0 after clipping.
_CERTAIN = 30.0


def fit_logistic(
    examples: Sequence[Sequence[str]],
    labels: Sequence[bool],
    *,
    l2: float = 1.0,
    min_count: int = 2,
    iterations: int = 1000,
    threshold: float = 0.5,
) -> LogisticModel:
    """Fit weights minimising log-loss + ``l2``/2 · ||w||² (the bias is not penalised), with
    scikit-learn's L-BFGS solver on a sparse feature matrix.

    Features seen in fewer than ``min_count`` examples are dropped. With one class only, the
    model answers that class for everything.

    >>> model = fit_logistic([["a"], ["a"], ["b"], ["b"]], [True, True, False, False], l2=0.1)
    >>> model.predict(["a"]), model.predict(["b"])
    (True, False)
    """
    if len(examples) != len(labels):
        raise ValueError("one label per example")
    if len(set(labels)) < 2:
        return LogisticModel({}, _CERTAIN if all(labels) else -_CERTAIN, threshold)
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts = Counter(name for features in examples for name in set(features))
    names = sorted(name for name, n in counts.items() if n >= min_count)
    index = {name: i for i, name in enumerate(names)}
    rows: list[int] = []
    columns: list[int] = []
    for row, features in enumerate(examples):
        for column in sorted({index[name] for name in features if name in index}):
            rows.append(row)
            columns.append(column)
    x = csr_matrix((np.ones(len(rows)), (rows, columns)), shape=(len(examples), max(1, len(names))))
    # scikit-learn minimises C · Σ log-loss + ½ ||w||²: the same optimum with C = 1 / l2
    solver = LogisticRegression(C=1.0 / l2, solver="lbfgs", tol=1e-10, max_iter=iterations)
    solver.fit(x, np.asarray(labels, dtype=bool))
    w = solver.coef_[0]
    weights = {name: float(w[i]) for name, i in index.items() if abs(w[i]) > 1e-9}
    return LogisticModel(weights, float(solver.intercept_[0]), threshold)
