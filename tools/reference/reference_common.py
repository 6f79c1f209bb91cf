"""Constants and helpers shared by the reference-fixture scripts."""
import json
import os

import numpy as np

SCRIPT = "tools/reference/make_reference_fixtures.py"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EPS_NORM = 1e-8
TEMPERATURES = [0.05, 0.1, 1.0]
# Stable-name prefix of the quadratic's variables x and Y in the optimizer tests.
PREFIX = "quad"


def f32(x):
    """Rounds to float32 and back, so the stored input is exactly what TF will hold."""
    return np.asarray(x, dtype=np.float32).astype(np.float64)


def header(what):
    return {
        "_generatedBy": SCRIPT,
        "_note": f"{what}. Do not edit by hand: regenerate with `python3 {SCRIPT}`.",
    }


def normalize(x):
    """Rows scaled to unit length, epsilon inside the root (as the framework's l2Normalize)."""
    return x / np.sqrt(np.sum(x * x, axis=1, keepdims=True) + EPS_NORM)


def log_softmax(s):
    """Row-wise log-softmax, shifted by the row maximum for stability."""
    m = s.max(axis=1, keepdims=True)
    return s - m - np.log(np.sum(np.exp(s - m), axis=1, keepdims=True))


def write_json(path, data):
    """Writes a fixture (indent 1, trailing newline) and says where, relative to the repository."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    print(f"wrote {os.path.relpath(path, ROOT)}")
