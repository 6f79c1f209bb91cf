"""Reference values for @contrastive/plugin-cpc, computed independently with numpy.

Writes packages/plugin-cpc/test/fixtures/cpc-reference.json:
- the CPC InfoNCE loss (arXiv:1807.03748, eq. 4) and per-offset accuracies for fixed
  contexts c [B, T, C], codes z [B, T, D] and predictors W_k [C, D], for each choice of
  negatives (all / positions / sequences), written from the definition with explicit loops;
- a GRU step and a GRU run over a sequence (PyTorch's nn.GRU formulation, one bias per gate).

Run: ~/.cache/contrastive/ref-venv/bin/python tools/reference/make_cpc_reference.py
"""
import os

import numpy as np

from reference_common import ROOT, f32, write_json

SCRIPT = "tools/reference/make_cpc_reference.py"
rng = np.random.default_rng(1807)
B, T, C, D, K = 3, 5, 4, 3, 2

c = f32(rng.normal(size=(B, T, C)))
z = f32(rng.normal(size=(B, T, D)))
W = [f32(rng.normal(size=(C, D)) * 0.7) for _ in range(K)]


def candidates(b, t, k, mode):
    """(b', s) pairs whose z_{s+k} is scored for anchor (b, t), and the positive's position."""
    L = T - k
    if mode == "all":
        pairs = [(bb, s) for bb in range(B) for s in range(L)]
    elif mode == "positions":
        pairs = [(b, s) for s in range(L)]
    else:
        pairs = [(bb, t) for bb in range(B)]
    return pairs, pairs.index((b, t))


def cpc_loss(mode):
    per_k_loss, per_k_acc = [], []
    for k in range(1, K + 1):
        L = T - k
        losses, hits = [], []
        for b in range(B):
            for t in range(L):
                pred = c[b, t] @ W[k - 1]
                pairs, pos = candidates(b, t, k, mode)
                scores = np.array([z[bb, s + k] @ pred for bb, s in pairs])
                m = scores.max()
                log_p = scores[pos] - m - np.log(np.exp(scores - m).sum())
                losses.append(-log_p)
                hits.append(float(np.argmax(scores) == pos))
        per_k_loss.append(np.mean(losses))
        per_k_acc.append(np.mean(hits))
    return {"loss": float(np.mean(per_k_loss)), "lossPerK": [float(v) for v in per_k_loss], "accuracyPerK": [float(v) for v in per_k_acc]}


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


H, DIN, TG, BG = 4, 3, 6, 2
gru_w = f32(rng.normal(size=(DIN, 3 * H)) * 0.5)
gru_u = f32(rng.normal(size=(H, 3 * H)) * 0.5)
gru_b = f32(rng.normal(size=(3 * H,)) * 0.1)
gx = f32(rng.normal(size=(BG, TG, DIN)))
gh0 = f32(rng.normal(size=(BG, H)) * 0.5)


def gru_step(x, h):
    xw = x @ gru_w + gru_b
    hu = h @ gru_u
    r = sigmoid(xw[:, :H] + hu[:, :H])
    u = sigmoid(xw[:, H:2 * H] + hu[:, H:2 * H])
    n = np.tanh(xw[:, 2 * H:] + r * hu[:, 2 * H:])
    return (1 - u) * n + u * h


h = np.zeros((BG, H))
run = []
for t in range(TG):
    h = gru_step(gx[:, t], h)
    run.append(h)

fixture = {
    "_generatedBy": SCRIPT,
    "_note": f"CPC loss and GRU references. Do not edit by hand: regenerate with `python3 {SCRIPT}`.",
    "cpc": {
        "shape": {"B": B, "T": T, "C": C, "D": D, "K": K},
        "c": c.tolist(), "z": z.tolist(), "W": [w.tolist() for w in W],
        "modes": {mode: cpc_loss(mode) for mode in ["all", "positions", "sequences"]},
    },
    "gru": {
        "hidden": H, "input": gru_w.tolist(), "recurrent": gru_u.tolist(), "bias": gru_b.tolist(),
        "x": gx.tolist(), "h0": gh0.tolist(),
        "step": gru_step(gx[:, 0], gh0).tolist(),
        "run": np.stack(run, axis=1).tolist(),
    },
}
write_json(os.path.join(ROOT, "packages/plugin-cpc/test/fixtures/cpc-reference.json"), fixture)
