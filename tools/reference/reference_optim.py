"""Optimizer trajectories and schedule factors for optim-reference.json.

Imported by make_reference_fixtures.py (run that script, not this module). SGD follows
torch.optim.SGD (dampening 0); AdamW follows torch.optim.AdamW (single-tensor path).
"""
import math

import numpy as np

from reference_common import PREFIX, f32, header


def quadratic(rng):
    q = rng.normal(size=(3, 3))
    return {
        "A": f32(q @ q.T + 0.5 * np.eye(3)),
        "b": f32(rng.normal(size=3)),
        "C": f32(rng.uniform(0.5, 2.0, size=(2, 2))),
        "D": f32(rng.normal(size=(2, 2))),
        "x0": f32(rng.normal(size=3)),
        "Y0": f32(rng.normal(size=(2, 2))),
    }


def grads(q, x, y):
    """Gradient of 0.5 x^T A x - b.x + sum(0.5 C*Y^2 + D*Y)."""
    return {"x": q["A"] @ x - q["b"], "Y": q["C"] * y + q["D"]}


def run_sgd(q, lrs, momentum, weight_decay, nesterov):
    p = {"x": q["x0"].copy(), "Y": q["Y0"].copy()}
    buf = {}
    traj = []
    for lr in lrs:
        g_all = grads(q, p["x"], p["Y"])
        for k in ("x", "Y"):
            g = g_all[k] + weight_decay * p[k]
            if momentum != 0:
                buf[k] = g.copy() if k not in buf else momentum * buf[k] + g
                g = g + momentum * buf[k] if nesterov else buf[k]
            p[k] = p[k] - lr * g
        traj.append({k: v.tolist() for k, v in p.items()})
    state = {f"optimizer/sgd/{PREFIX}/{k}/momentum": v.tolist() for k, v in buf.items()}
    return traj, state


def run_adamw(q, lrs, beta1, beta2, eps, weight_decay):
    p = {"x": q["x0"].copy(), "Y": q["Y0"].copy()}
    m = {k: np.zeros_like(v) for k, v in p.items()}
    v = {k: np.zeros_like(val) for k, val in p.items()}
    traj = []
    for step, lr in enumerate(lrs, start=1):
        g_all = grads(q, p["x"], p["Y"])
        for k in ("x", "Y"):
            g = g_all[k]
            p[k] = p[k] * (1 - lr * weight_decay)
            m[k] = beta1 * m[k] + (1 - beta1) * g
            v[k] = beta2 * v[k] + (1 - beta2) * g * g
            step_size = lr / (1 - beta1 ** step)
            denom = np.sqrt(v[k]) / math.sqrt(1 - beta2 ** step) + eps
            p[k] = p[k] - step_size * m[k] / denom
        traj.append({k: val.tolist() for k, val in p.items()})
    state = {"optimizer/adam/step": float(len(lrs))}
    for k in ("x", "Y"):
        state[f"optimizer/adam/{PREFIX}/{k}/m"] = m[k].tolist()
        state[f"optimizer/adam/{PREFIX}/{k}/v"] = v[k].tolist()
    return traj, state


def cosine_factor(step, total, warmup, min_factor):
    if step < warmup:
        return (step + 1) / warmup
    span = total - 1 - warmup
    if span <= 0:
        return 1.0
    p = min(1.0, max(0.0, (step - warmup) / span))
    return min_factor + (1 - min_factor) * 0.5 * (1 + math.cos(math.pi * p))


def optim_fixture(rng):
    q = quadratic(rng)
    lrs = [0.1, 0.05, 0.02]
    sgd_cases = [
        ("sgd-plain", dict(momentum=0.0, weightDecay=0.0, nesterov=False)),
        ("sgd-momentum", dict(momentum=0.9, weightDecay=0.0, nesterov=False)),
        ("sgd-momentum-weight-decay", dict(momentum=0.9, weightDecay=0.1, nesterov=False)),
        ("sgd-nesterov-weight-decay", dict(momentum=0.8, weightDecay=0.05, nesterov=True)),
    ]
    adam_cases = [
        ("adam-defaults", dict(beta1=0.9, beta2=0.999, epsilon=1e-8, weightDecay=0.0)),
        ("adamw", dict(beta1=0.8, beta2=0.99, epsilon=1e-6, weightDecay=0.1)),
    ]
    cases = []
    for name, o in sgd_cases:
        traj, state = run_sgd(q, lrs, o["momentum"], o["weightDecay"], o["nesterov"])
        cases.append({"name": name, "optimizer": "sgd", "options": o, "trajectory": traj, "finalState": state})
    for name, o in adam_cases:
        traj, state = run_adamw(q, lrs, o["beta1"], o["beta2"], o["epsilon"], o["weightDecay"])
        cases.append({"name": name, "optimizer": "adam", "options": o, "trajectory": traj, "finalState": state})
    schedules = []
    for total, warmup, min_factor in [(10, 0, 0.0), (10, 3, 0.0), (101, 10, 0.1)]:
        schedules.append({
            "totalSteps": total, "warmupSteps": warmup, "minFactor": min_factor,
            "factors": [cosine_factor(s, total, warmup, min_factor) for s in range(total)],
        })
    return {
        **header("Reference SGD / AdamW trajectories (3 steps, lrs per step) on the quadratic "
                 "0.5 x^T A x - b.x + sum(0.5 C*Y^2 + D*Y), and cosine-schedule factors"),
        "quadratic": {k: v.tolist() for k, v in q.items()},
        "lrs": lrs,
        "cases": cases,
        "cosineSchedule": schedules,
    }


