#!/usr/bin/env python3
"""Reference values for the AMDIM plugin's multiscale loss (Bachman et al. 2019, arXiv:1906.00910).

Writes packages/plugin-amdim/test/fixtures/amdim-reference.json, which
packages/plugin-amdim/src/method/multiscale-loss.test.ts compares against.

Numpy only, seeded, float64 arithmetic on float32-rounded inputs. Given the embedded features
of two views at each scale (global [B, 1, 1, d], s4 [B, 2, 2, d]) and a list of comparisons
(from, to), for each comparison and each direction (view a -> view b):

  rows   = every location of view a's `from` features   [B*La, d]
  cols   = every location of view b's `to` features     [B*Lb, d]
  s      = rows @ cols.T / sqrt(d)
  pos    = same image (row image floor(r / La) == column image floor(j / Lb))
  clipped = c * tanh(s / c)
  nce    = mean over positive (r, p) of -log(e^clipped_rp / (e^clipped_rp + sum_{n: not pos} e^clipped_rn))
  loss_dir = nce + lambda * mean(s^2)

loss = mean of loss_dir over comparisons and both directions.

Run from the repository root:  python3 tools/reference/make_amdim_reference.py
"""
import os

import numpy as np

from reference_common import ROOT, f32, write_json

SCRIPT = "tools/reference/make_amdim_reference.py"
OUT = os.path.join(ROOT, "packages", "plugin-amdim", "test", "fixtures", "amdim-reference.json")


def direction_loss(src, trg, clip, penalty_weight):
    b, d = src.shape[0], src.shape[-1]
    rows = src.reshape(-1, d)
    cols = trg.reshape(-1, d)
    la, lb = rows.shape[0] // b, cols.shape[0] // b
    s = rows @ cols.T / np.sqrt(d)
    clipped = clip * np.tanh(s / clip)
    total, count = 0.0, 0
    for r in range(rows.shape[0]):
        image = r // la
        pos = [j for j in range(cols.shape[0]) if j // lb == image]
        neg = [j for j in range(cols.shape[0]) if j // lb != image]
        for p in pos:
            total += np.logaddexp.reduce(np.concatenate([[clipped[r, p]], clipped[r, neg]])) - clipped[r, p]
            count += 1
    return total / count + penalty_weight * np.mean(s * s), np.mean(s * s)


def multiscale(views, comparisons, clip, penalty_weight):
    losses = []
    for c in comparisons:
        for a, b in [(0, 1), (1, 0)]:
            losses.append(direction_loss(views[a][c["from"]], views[b][c["to"]], clip, penalty_weight)[0])
    return float(np.mean(losses))


def main():
    rng = np.random.default_rng(7)
    b, d = 3, 4
    views = [{"global": f32(rng.normal(0, 2, (b, 1, 1, d))), "s4": f32(rng.normal(0, 2, (b, 2, 2, d)))} for _ in range(2)]
    comparisons = [{"from": "global", "to": "s4"}, {"from": "s4", "to": "s4"}, {"from": "global", "to": "global"}]
    cases = []
    for clip, penalty_weight in [(20.0, 0.04), (1.0, 0.0), (0.5, 1.0)]:
        cases.append({
            "clip": clip, "penaltyWeight": penalty_weight,
            "loss": multiscale(views, comparisons, clip, penalty_weight),
            "perDirection": [
                {"from": c["from"], "to": c["to"], "direction": [a, bb],
                 "loss": direction_loss(views[a][c["from"]], views[bb][c["to"]], clip, penalty_weight)[0],
                 "penalty": direction_loss(views[a][c["from"]], views[bb][c["to"]], clip, penalty_weight)[1]}
                for c in comparisons for a, bb in [(0, 1), (1, 0)]
            ],
        })
    data = {
        "_generatedBy": SCRIPT,
        "_note": f"AMDIM multiscale loss. Do not edit by hand: regenerate with `python3 {SCRIPT}`.",
        "views": [{k: v.tolist() for k, v in view.items()} for view in views],
        "comparisons": comparisons,
        "cases": cases,
    }
    write_json(OUT, data)


if __name__ == "__main__":
    main()
