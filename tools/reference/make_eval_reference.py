#!/usr/bin/env python3
"""Reference values for @contrastive/eval's linear probe and kNN classifier.

Writes packages/eval/test/fixtures/eval-reference.json, which the jest tests in
packages/eval/src/{probe,knn}/ compare against. Numpy only, seeded, float64 arithmetic;
inputs are rounded to float32 first (and stored as those exact values).

  - logistic regression: the unique minimiser of
        mean_i -log softmax(x_i W + b)[y_i] + lam/2 * ||W||_F^2      (b not penalised)
    found by Newton's method on the full Hessian, with the predicted probabilities;
    the TypeScript probe trains with Adam and must land on the same optimum.
  - weighted kNN (InstDisc, arXiv:1805.01978): L2-normalised features, the k most
    cosine-similar training rows vote for their class with weight exp(s / tau); classes
    ranked by summed weight (ties: lower class first); top-1 and top-5 accuracy.

Run from the repository root:  python3 tools/reference/make_eval_reference.py
"""
import os

import numpy as np

from reference_common import ROOT, f32, write_json

SCRIPT = "tools/reference/make_eval_reference.py"
OUT = os.path.join(ROOT, "packages", "eval", "test", "fixtures", "eval-reference.json")


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def logistic_regression_optimum(x, y, c, lam, iters=50):
    n, d = x.shape
    xb = np.hstack([x, np.ones((n, 1))])          # last row of theta is the bias
    onehot = np.eye(c)[y]
    theta = np.zeros((d + 1, c))
    penalty = np.zeros((d + 1, c))
    penalty[:d, :] = 1.0
    for _ in range(iters):
        p = softmax(xb @ theta)
        grad = xb.T @ (p - onehot) / n + lam * penalty * theta
        # Hessian of the mean cross-entropy, (d+1)c x (d+1)c, plus the L2 term on W.
        h = np.zeros(((d + 1) * c, (d + 1) * c))
        for i in range(n):
            s = np.diag(p[i]) - np.outer(p[i], p[i])
            h += np.kron(np.outer(xb[i], xb[i]), s) / n
        h += lam * np.diag(penalty.reshape(-1))
        # The bias is only defined up to a constant shift: the pseudo-inverse picks the
        # minimum-norm step, and the probabilities do not depend on the shift.
        step = np.linalg.pinv(h) @ grad.reshape(-1)
        theta -= step.reshape(d + 1, c)
    p = softmax(xb @ theta)
    loss = -np.mean(np.log(p[np.arange(n), y])) + lam / 2 * np.sum(theta[:d] ** 2)
    grad_norm = np.abs(xb.T @ (p - onehot) / n + lam * penalty * theta).max()
    assert grad_norm < 1e-10, grad_norm
    return theta[:d], theta[d], p, loss


def logistic_case(rng):
    n, d, c, lam = 90, 4, 3, 0.05
    centres = rng.normal(0, 1.0, size=(c, d))
    y = np.arange(n) % c
    x = f32(centres[y] + rng.normal(0, 1.0, size=(n, d)))
    w, b, p, loss = logistic_regression_optimum(x, y, c, lam)
    return {
        "name": "3 overlapping gaussian classes, 4-D, lam 0.05",
        "x": x.tolist(), "y": y.tolist(), "numClasses": c, "weightDecay": lam,
        "weights": w.tolist(), "biasCentred": (b - b.mean()).tolist(),
        "probabilities": p.tolist(), "objective": loss,
    }


def knn_case(rng, k, tau):
    n, m, d, c = 40, 25, 6, 7
    train = f32(rng.normal(size=(n, d)))
    test = f32(rng.normal(size=(m, d)))
    train_labels = rng.integers(0, c, size=n)
    test_labels = rng.integers(0, c, size=m)
    a = train / np.linalg.norm(train, axis=1, keepdims=True)
    q = test / np.linalg.norm(test, axis=1, keepdims=True)
    sims = q @ a.T
    preds, hit1, hit5 = [], 0, 0
    for i in range(m):
        nn = np.argsort(-sims[i], kind="stable")[:k]
        votes = np.zeros(c)
        for j in nn:
            votes[train_labels[j]] += np.exp(sims[i, j] / tau)
        ranked = sorted(range(c), key=lambda cl: (-votes[cl], cl))
        preds.append(ranked[0])
        hit1 += ranked[0] == test_labels[i]
        hit5 += test_labels[i] in ranked[:5]
    return {
        "name": f"random 6-D features, 7 classes, k {k}, tau {tau}",
        "train": train.tolist(), "trainLabels": train_labels.tolist(),
        "test": test.tolist(), "testLabels": test_labels.tolist(),
        "numClasses": c, "k": k, "temperature": tau,
        "predictions": preds, "top1": hit1 / m, "top5": hit5 / m,
    }


def main():
    rng = np.random.default_rng(20261128)
    data = {
        "_generatedBy": SCRIPT,
        "_note": f"Reference logistic-regression optima and weighted-kNN votes. Do not edit by hand: regenerate with `python3 {SCRIPT}`.",
        "logistic": [logistic_case(rng)],
        "knn": [knn_case(rng, 5, 0.07), knn_case(rng, 12, 0.5), knn_case(rng, 1, 0.1)],
    }
    write_json(OUT, data)


if __name__ == "__main__":
    main()
