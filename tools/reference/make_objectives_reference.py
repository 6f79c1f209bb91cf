#!/usr/bin/env python3
"""Reference values for the framework's MI estimators with positive masks (API 1.2.0).

Writes packages/framework/test/fixtures/objectives-reference.json, which
packages/framework/src/objectives/estimators-reference.test.ts compares against.

Numpy only, seeded, float64 arithmetic on float32-rounded inputs; gradients by central
differences in float64 (independent of any formula for the gradient). With s the scores,
P the positive pairs and N the negative pairs (N = not P unless a negatives mask is given):

  infonce: mean over (i, p) in P of -log(e^s_ip / (e^s_ip + sum_{n in N(i)} e^s_in))
  jsd:     mean_P softplus(-s) + mean_N softplus(s) - 2 log 2          (Hjelm et al. 2018)
  dv:      -(mean_P s - log mean_N e^s)                                (Donsker-Varadhan)
  nce:     mean over rows with a positive of
           [mean_{P(i)} softplus(-s) + mean_{N(i)} softplus(s)]

The "locations" case scores global vectors g [B, D] against a feature map m [B, H, W, D]
with a dot product: s[i, b*H*W + y*W + x] = g_i . m[b, y, x]; positives are b == i.

Run from the repository root:  python3 tools/reference/make_objectives_reference.py
"""
import os

import numpy as np

from reference_common import ROOT, f32, write_json

SCRIPT = "tools/reference/make_objectives_reference.py"
OUT = os.path.join(ROOT, "packages", "framework", "test", "fixtures", "objectives-reference.json")


def softplus(x):
    return np.logaddexp(0.0, x)


def infonce(s, pos, neg):
    total, count = 0.0, 0
    for i in range(s.shape[0]):
        negs = s[i][neg[i] > 0]
        for j in np.nonzero(pos[i] > 0)[0]:
            denominator = np.logaddexp.reduce(np.concatenate([[s[i, j]], negs]))
            total += denominator - s[i, j]
            count += 1
    return total / max(count, 1)


def jsd(s, pos, neg):
    return softplus(-s[pos > 0]).mean() + softplus(s[neg > 0]).mean() - 2 * np.log(2)


def dv(s, pos, neg):
    negs = s[neg > 0]
    return -(s[pos > 0].mean() - (np.logaddexp.reduce(negs) - np.log(negs.size)))


def nce(s, pos, neg):
    rows = []
    for i in range(s.shape[0]):
        if pos[i].sum() == 0:
            continue
        p = softplus(-s[i][pos[i] > 0]).mean()
        n = softplus(s[i][neg[i] > 0]).mean() if neg[i].sum() > 0 else 0.0
        rows.append(p + n)
    return float(np.mean(rows))


ESTIMATORS = {"infonce": infonce, "jsd": jsd, "dv": dv, "nce": nce}


def numeric_grad(f, s, h=1e-6):
    g = np.zeros_like(s)
    for idx in np.ndindex(*s.shape):
        up, down = s.copy(), s.copy()
        up[idx] += h
        down[idx] -= h
        g[idx] = (f(up) - f(down)) / (2 * h)
    return g


def same_image_mask(batch, locations):
    return np.repeat(np.eye(batch), locations, axis=1)


def case(name, s, pos, neg=None):
    explicit = neg is not None
    neg = 1.0 - pos if neg is None else neg
    out = {"name": name, "scores": s.tolist(), "positives": pos.tolist()}
    if explicit:
        out["negatives"] = neg.tolist()
    for key, f in ESTIMATORS.items():
        out[key] = float(f(s, pos, neg))
        out[key + "Grad"] = numeric_grad(lambda x: f(x, pos, neg), s).tolist()
    return out


def main():
    rng = np.random.default_rng(12)
    cases = []
    # DIM(L)'s shape: 3 images, 4 locations each; every image's own locations are positive.
    cases.append(case("three images, four locations each", f32(rng.normal(0, 2, (3, 12))), same_image_mask(3, 4)))
    # One positive per row, the rest negatives: infonce and nce equal the framework's losses.
    onehot = np.eye(5)[[2, 0, 4, 1]]
    cases.append(case("one positive per row", f32(rng.normal(0, 1.5, (4, 5))), onehot))
    # Rows with 2, 1, 0 and 3 positives; some pairs neither positive nor negative.
    pos = np.array([[1, 1, 0, 0, 0, 0], [0, 0, 1, 0, 0, 0], [0, 0, 0, 0, 0, 0], [0, 1, 0, 1, 1, 0]], dtype=float)
    neg = np.array([[0, 0, 1, 1, 0, 1], [1, 1, 0, 0, 1, 1], [1, 1, 1, 1, 1, 1], [1, 0, 0, 0, 0, 1]], dtype=float)
    cases.append(case("uneven positives, excluded pairs", f32(rng.normal(0, 3, (4, 6))), pos, neg))
    # Large scores: the stable forms must stay finite.
    cases.append(case("large scores", f32(rng.normal(0, 40, (2, 6))), same_image_mask(2, 3)))

    g = f32(rng.normal(0, 1, (3, 4)))
    fmap = f32(rng.normal(0, 1, (3, 2, 2, 4)))
    s = g @ fmap.reshape(3 * 2 * 2, 4).T
    loc = case("locations: dot scores of globals against a 2x2 map", s, same_image_mask(3, 4))
    loc.update({"globals": g.tolist(), "map": fmap.tolist()})

    data = {
        "_generatedBy": SCRIPT,
        "_note": f"MI estimators with positive masks. Do not edit by hand: regenerate with `python3 {SCRIPT}`.",
        "cases": cases,
        "locations": loc,
    }
    write_json(OUT, data)


if __name__ == "__main__":
    main()
