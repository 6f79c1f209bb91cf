"""Constants and helpers shared by the reference-fixture scripts."""
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
