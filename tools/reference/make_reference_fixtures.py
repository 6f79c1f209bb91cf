#!/usr/bin/env python3
"""Reference values for the framework's scores, losses, optimizers and schedules.

Writes packages/framework/test/fixtures/{scores,losses,optim}-reference.json, which the
jest tests in packages/framework/src/{scores,losses,optim}/ compare against.

Numpy only, seeded, float64 arithmetic. Every input is rounded to float32 first (and
stored as that exact value), so the TypeScript side, which computes in float32, sees the
same inputs and differs only by its own rounding.

The formulas mirror the TSDoc of the TypeScript implementations:
  - cosine: x / sqrt(sum(x^2) + 1e-8) row-wise, then A_n C_n^T / temperature
  - InfoNCE: mean_i -log softmax(s_i)[p_i]
  - NCE: mean_i [softplus(-s_i,p_i) + mean_{j != p_i} softplus(s_ij)]
  - SGD: torch.optim.SGD (dampening 0); AdamW: torch.optim.AdamW (single-tensor path)

Run from the repository root:  python3 tools/reference/make_reference_fixtures.py
"""
import os

import numpy as np

from reference_common import ROOT, SCRIPT, TEMPERATURES, f32, header, log_softmax, normalize, write_json
from reference_optim import optim_fixture

OUT = os.path.join(ROOT, "packages", "framework", "test", "fixtures")


def write(name, data):
    write_json(os.path.join(OUT, name), data)


# ---------------------------------------------------------------- scores
def cosine(a, c, t):
    return normalize(a) @ normalize(c).T / t


def scores_fixture(rng):
    anchors = f32(rng.normal(size=(4, 4)))
    anchors[3] = 0.0  # a zero row: its cosine scores are exactly 0
    candidates = f32(rng.normal(size=(5, 4)))
    weight = f32(np.eye(4) + 0.3 * rng.normal(size=(4, 4)))
    return {
        **header("Reference scores: dot, cosine (per temperature) and bilinear"),
        "anchors": anchors.tolist(),
        "candidates": candidates.tolist(),
        "weight": weight.tolist(),
        "dot": (anchors @ candidates.T).tolist(),
        "cosine": [{"temperature": t, "logits": cosine(anchors, candidates, t).tolist()} for t in TEMPERATURES],
        "bilinear": (anchors @ weight @ candidates.T).tolist(),
    }


# ---------------------------------------------------------------- losses
def softplus(x):
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def sigmoid(x):
    return 0.5 * (1 + np.tanh(0.5 * x))


def loss_case(name, logits, pos):
    logits = f32(logits)
    pos = np.asarray(pos, dtype=np.int64)
    n, m = logits.shape
    onehot = np.eye(m)[pos]
    infonce = -np.mean(np.sum(log_softmax(logits) * onehot, axis=1))
    nce_rows = np.sum(softplus(-logits) * onehot, axis=1) + np.sum(softplus(logits) * (1 - onehot), axis=1) / (m - 1)
    softmax = np.exp(log_softmax(logits))
    return {
        "name": name,
        "logits": logits.tolist(),
        "positiveIndex": pos.tolist(),
        "infonce": float(infonce),
        "nce": float(np.mean(nce_rows)),
        "accuracy": float(np.mean(np.argmax(logits, axis=1) == pos)),
        "infonceGrad": ((softmax - onehot) / n).tolist(),
        "nceGrad": (((sigmoid(logits) - 1) * onehot + sigmoid(logits) * (1 - onehot) / (m - 1)) / n).tolist(),
    }


def losses_fixture(rng):
    cases = [
        loss_case("square-diagonal-4x4", 3 * rng.normal(size=(4, 4)), [0, 1, 2, 3]),
        loss_case("non-square-3x5-off-diagonal", 2 * rng.normal(size=(3, 5)), [2, 0, 4]),
        loss_case("large-magnitude-with-tie", [[80.0, -80.0, 10.0], [-50.0, 60.0, 60.0]], [0, 2]),
    ]
    anchors = f32(rng.normal(size=(3, 4)))
    candidates = f32(rng.normal(size=(5, 4)))
    positives = [1, 3, 0]
    from_cosine = []
    for t in TEMPERATURES:
        case = loss_case(f"cosine-temperature-{t}", cosine(anchors, candidates, t), positives)
        case["temperature"] = t
        from_cosine.append(case)
    return {
        **header("Reference InfoNCE / NCE losses, their gradients w.r.t. the logits, and positive accuracy"),
        "cases": cases,
        "cosine": {"anchors": anchors.tolist(), "candidates": candidates.tolist(), "cases": from_cosine},
    }


def main():
    write("scores-reference.json", scores_fixture(np.random.default_rng(1807)))
    write("losses-reference.json", losses_fixture(np.random.default_rng(2002)))
    write("optim-reference.json", optim_fixture(np.random.default_rng(1711)))


if __name__ == "__main__":
    main()
