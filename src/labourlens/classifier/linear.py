"""L2-regularised logistic regression in numpy: deterministic Newton (IRLS) fits, Platt calibration."""

from __future__ import annotations

import numpy as np


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))


def fit_logistic(
    x: np.ndarray,
    y: np.ndarray,
    *,
    l2: float = 1.0,
    positive_weight: float = 1.0,
    iterations: int = 25,
    tol: float = 1e-6,
) -> tuple[np.ndarray, float]:
    """Fit weights w and bias b minimising weighted log loss + l2/2 * |w|^2 (the bias is not penalised).

    x: (n, d) features; y: (n,) 0/1 labels; positive_weight: weight of each positive example.
    Newton steps on the full Hessian: exact, deterministic, and fast for d up to a few thousand.
    """
    n, d = x.shape
    xb = np.hstack([x, np.ones((n, 1), dtype=x.dtype)]).astype(np.float64)
    sw = np.where(y > 0.5, positive_weight, 1.0)
    reg = np.full(d + 1, l2, dtype=np.float64)
    reg[-1] = 0.0
    w = np.zeros(d + 1, dtype=np.float64)
    for _ in range(iterations):
        p = sigmoid(xb @ w)
        grad = xb.T @ (sw * (p - y)) + reg * w
        h = (xb * (sw * p * (1.0 - p))[:, None]).T @ xb + np.diag(reg) + 1e-9 * np.eye(d + 1)
        step = np.linalg.solve(h, grad)
        w -= step
        if float(np.max(np.abs(step))) < tol:
            break
    return w[:-1].astype(np.float32), float(w[-1])


def fit_platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Map raw scores to calibrated probabilities: p = sigmoid(a * score + b)."""
    w, b = fit_logistic(scores.reshape(-1, 1), y, l2=1e-3)
    return float(w[0]), b


def best_threshold(
    p: np.ndarray, y: np.ndarray, *, floor: float = 0.2, ceiling: float = 0.9
) -> tuple[float, float]:
    """The threshold in [floor, ceiling] with the best F1 on (p, y), and that F1 (ties: higher wins)."""
    best_t, best_f1 = 0.5, -1.0
    for t in np.round(np.arange(floor, ceiling + 1e-9, 0.01), 2):
        pred = p >= t
        tp = float(np.sum(pred & (y > 0.5)))
        fp = float(np.sum(pred & (y < 0.5)))
        fn = float(np.sum(~pred & (y > 0.5)))
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 >= best_f1:
            best_t, best_f1 = float(t), f1
    return best_t, best_f1
