#!/usr/bin/env python3
"""Reference values for the MoCo plugin's loss (He et al. 2019, arXiv:1911.05722, Algorithm 1).

Writes packages/plugin-moco/test/fixtures/moco-reference.json, which
packages/plugin-moco/src/method/moco-loss-reference.test.ts compares against.

Numpy only, seeded, float64 arithmetic on float32-rounded inputs. The setting mirrors the
test: a linear encoder f(x) = flatten(x) @ W (optionally followed by the MoCo v2 head
relu(h @ W1 + b1) @ W2 + b2), a key encoder f_k of the same form with DIFFERENT weights (as
after training steps, when the momentum copy lags the query encoder: a method that took its
keys from the query encoder would not match), views x_q = x and x_k = x mirrored
left-right, a queue of K unit vectors:

  q = normalize(f_q(x_q)), k = normalize(f_k(x_k))      normalize(v) = v / sqrt(sum v^2 + 1e-8)
  logits = [q . k+, q @ queue^T] / tau                   [N, 1 + K]
  loss = mean_i -log softmax(logits_i)[0]
  symmetric: 0.5 * (loss(f_q(x_q), f_k(x_k)) + loss(f_q(x_k), f_k(x_q)))

Run from the repository root:  python3 tools/reference/make_moco_reference.py
"""
import os

import numpy as np

from reference_common import ROOT, f32, log_softmax, normalize, write_json

SCRIPT = "tools/reference/make_moco_reference.py"
OUT = os.path.join(ROOT, "packages", "plugin-moco", "test", "fixtures", "moco-reference.json")


def encoder(x, w, head):
    h = x.reshape(x.shape[0], -1) @ w
    if head is None:
        return h
    return np.maximum(h @ head["w1"] + head["b1"], 0.0) @ head["w2"] + head["b2"]


def moco_loss(q_view, k_view, query, key, queue, tau):
    q = normalize(encoder(q_view, *query))
    k = normalize(encoder(k_view, *key))
    l_pos = np.sum(q * k, axis=1, keepdims=True)
    l_neg = q @ queue.T
    logits = np.concatenate([l_pos, l_neg], axis=1) / tau
    return float(-np.mean(log_softmax(logits)[:, 0])), logits


def case(x, query, key, queue, tau):
    flipped = x[:, :, ::-1, :]
    loss, logits = moco_loss(x, flipped, query, key, queue, tau)
    reverse, _ = moco_loss(flipped, x, query, key, queue, tau)
    return {"temperature": tau, "loss": loss, "logits": logits.tolist(), "symmetricLoss": 0.5 * (loss + reverse)}


def main():
    rng = np.random.default_rng(1911)
    n, h, w_, c, d, k = 4, 2, 3, 1, 3, 5
    x = f32(rng.uniform(0, 1, size=(n, h, w_, c)))
    w = f32(rng.normal(size=(h * w_ * c, d)))
    head = {
        "w1": f32(rng.normal(size=(d, 4))), "b1": f32(0.1 * rng.normal(size=(4,))),
        "w2": f32(rng.normal(size=(4, d))), "b2": f32(0.1 * rng.normal(size=(d,))),
    }
    queue = f32(normalize(rng.normal(size=(k, d))))
    # The key encoder: the query weights moved by a perturbation, as momentum leaves it.
    w_k = f32(w + 0.5 * rng.normal(size=w.shape))
    head_k = {key: f32(value + 0.5 * rng.normal(size=value.shape)) for key, value in head.items()}
    data = {
        "_generatedBy": SCRIPT,
        "_note": f"MoCo loss references. Do not edit by hand: regenerate with `python3 {SCRIPT}`.",
        "images": x.tolist(),
        "encoderWeight": w.tolist(),
        "head": {key: value.tolist() for key, value in head.items()},
        "keyEncoderWeight": w_k.tolist(),
        "keyHead": {key: value.tolist() for key, value in head_k.items()},
        "queue": queue.tolist(),
        "noHead": [case(x, (w, None), (w_k, None), queue, tau) for tau in (0.07, 0.2, 1.0)],
        "mlpHead": [case(x, (w, head), (w_k, head_k), queue, tau) for tau in (0.07, 0.2)],
    }
    write_json(OUT, data)


if __name__ == "__main__":
    main()
