#!/usr/bin/env python3
"""Reference values for the views contract (CIE Lab) and the CMC plugin (arXiv:1906.05849).

Writes
  packages/framework/test/fixtures/lab-reference.json    (src/views/rgb-to-lab.test.ts)
  packages/framework/test/fixtures/memory-bank-reference.json (src/samplers/memory-bank.test.ts)
  packages/plugin-cmc/test/fixtures/cmc-reference.json   (src/method/cmc-loss.test.ts)

Numpy only, seeded, float64 arithmetic on float32-rounded inputs.

Lab: sRGB (IEC 61966-2-1) linearised, XYZ with the 7-digit D65 matrix, white (0.95047, 1,
1.08883), f(t) = cbrt(t) above (6/29)^3 else t / (3 (6/29)^2) + 4/29; L = 116 f(Y) - 16,
a = 500 (f(X) - f(Y)), b = 200 (f(Y) - f(Z)). The fixture also carries *published* values
(Bruce Lindbloom's sRGB/D65 tables, as quoted widely, 4 decimals) that this formula must
reproduce; the script checks it does before writing.

CMC: embeddings z_v [B, D] of three views; cosine score s = n(z_i) n(c_j)^T / tau with
n(v) = v / sqrt(sum v^2 + 1e-8); L^{i,j} = mean_b -log softmax(s_b)[b];
loss = mean over pairs of (L^{i,j} + L^{j,i}) / 2 (in-batch candidates c_j = z_j), for
pairing core (core = first view: (A,B), (A,C)) and full-graph ((A,B), (A,C), (B,C)).

Memory bank: v_i <- n2(m v_i + (1 - m) n2(z)) for i in the batch's indices, n2 as n above.

Run from the repository root:  python3 tools/reference/make_cmc_reference.py
"""
import os

import numpy as np

from reference_common import ROOT, f32, log_softmax, normalize, write_json

SCRIPT = "tools/reference/make_cmc_reference.py"
FRAMEWORK = os.path.join(ROOT, "packages", "framework", "test", "fixtures")
PLUGIN = os.path.join(ROOT, "packages", "plugin-cmc", "test", "fixtures")

M = np.array([[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]])
WHITE = np.array([0.95047, 1.0, 1.08883])

# (sRGB in [0, 1], published L, a, b): the primaries, secondaries and white, sRGB D65.
PUBLISHED = [
    ([1, 0, 0], [53.2408, 80.0925, 67.2032]),
    ([0, 1, 0], [87.7347, -86.1827, 83.1793]),
    ([0, 0, 1], [32.2970, 79.1875, -107.8602]),
    ([1, 1, 0], [97.1393, -21.5537, 94.4780]),
    ([0, 1, 1], [91.1132, -48.0875, -14.1312]),
    ([1, 0, 1], [60.3242, 98.2343, -60.8249]),
    ([1, 1, 1], [100.0, 0.0, 0.0]),
    ([0, 0, 0], [0.0, 0.0, 0.0]),
]


def header(what):
    return {"_generatedBy": SCRIPT, "_note": f"{what}. Do not edit by hand: regenerate with `python3 {SCRIPT}`."}


def lab(rgb):
    c = np.asarray(rgb, dtype=np.float64)
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    t = (lin @ M.T) / WHITE
    d = 6 / 29
    f = np.where(t > d ** 3, np.cbrt(t), t / (3 * d * d) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], axis=-1)


def lab_fixture(rng):
    for rgb, published in PUBLISHED:
        assert np.allclose(lab(rgb), published, atol=1e-3), (rgb, lab(rgb), published)
    colours = f32(rng.uniform(0, 1, size=(12, 3)))
    colours[0] = [0.01, 0.02, 0.03]  # dark: the linear branch of both sRGB and f
    return {
        **header("CIE Lab of sRGB colours (published values and the formula)"),
        "published": [{"rgb": rgb, "lab": ref} for rgb, ref in PUBLISHED],
        "publishedSource": "Bruce Lindbloom, RGB/XYZ matrices and Lab of the sRGB primaries (D65), 4 decimals",
        "computed": [{"rgb": c.tolist(), "lab": lab(c).tolist()} for c in colours],
    }


def infonce(s):
    return float(-np.mean(np.diag(log_softmax(s))))


def cmc(z, pairs, tau):
    terms = []
    for i, j in pairs:
        s = normalize(z[i]) @ normalize(z[j]).T / tau
        terms += [infonce(s), infonce(s.T)]
    return float(np.mean(terms))


def cmc_fixture(rng):
    z = {v: f32(rng.normal(size=(4, 5))) for v in ["A", "B", "C"]}
    pairings = {"core": [("A", "B"), ("A", "C")], "full-graph": [("A", "B"), ("A", "C"), ("B", "C")]}
    cases = [{"pairing": p, "temperature": t, "loss": cmc(z, pairs, t)} for p, pairs in pairings.items() for t in [0.1, 0.5]]
    return {**header("CMC loss over three views, in-batch negatives, cosine, InfoNCE"),
            "embeddings": {k: v.tolist() for k, v in z.items()}, "cases": cases}


def bank_fixture(rng):
    bank = normalize(f32(rng.normal(size=(6, 3))))
    bank = f32(bank)
    keys = f32(rng.normal(size=(2, 3)))
    indices = [4, 1]
    m = 0.5
    out = bank.copy()
    for r, i in enumerate(indices):
        v = m * bank[i] + (1 - m) * normalize(keys[r:r + 1])[0]
        out[i] = v / np.sqrt(np.sum(v * v) + 1e-8)
    return {**header("Memory-bank update of the batch's rows"), "bank": bank.tolist(), "keys": keys.tolist(),
            "indices": indices, "momentum": m, "updated": out.tolist()}


if __name__ == "__main__":
    rng = np.random.default_rng(15)
    write_json(os.path.join(FRAMEWORK, "lab-reference.json"), lab_fixture(rng))
    write_json(os.path.join(FRAMEWORK, "memory-bank-reference.json"), bank_fixture(rng))
    write_json(os.path.join(PLUGIN, "cmc-reference.json"), cmc_fixture(rng))
