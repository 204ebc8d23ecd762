"""The same seed gives the same run on any processor: no NumPy transcendental on the model's arrays.

NumPy picks a vectorised loop for ``exp``, ``log``, ``power``, ``sin`` and their kin by the
processor it runs on, and with AVX-512 those differ from the C library in the last bit; a
village amplifies the bit into the fourth digit of its results within a few years. The
reference results moved so between two machines of this project (CHANGELOG.md, 2026-12-07).
The C library's functions, which Python's ``math`` and numba's kernels call, do not depend on the
vector width (glibc picks its FMA versions on every machine this project has run on).
"""

from __future__ import annotations

import ast
import math
from pathlib import Path

import numpy as np

from sim.facilitation import opened

SIM = Path(__file__).resolve().parent.parent / "sim"
BY_PROCESSOR = {
    "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "power", "float_power", "cbrt",
    "sin", "cos", "tan", "arcsin", "arccos", "arctan", "arctan2", "sinh", "cosh", "tanh",
    "arcsinh", "arccosh", "arctanh", "hypot", "logaddexp", "logaddexp2",
}  # fmt: skip


def test_the_model_calls_no_numpy_function_whose_bits_depend_on_the_processor():
    found = []
    for path in sorted(SIM.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in BY_PROCESSOR
                and isinstance(node.value, ast.Name)
                and node.value.id in ("np", "numpy")
            ):
                found.append(f"{path.name}:{node.lineno} np.{node.attr}")
    assert not found, found


def test_networking_opens_patrons_with_the_c_librarys_power():
    rng = np.random.default_rng(7)
    openness, reach = rng.random(500), rng.random(500) * 6.0
    kept = 0.83
    expected = np.array([1.0 - (1.0 - o) * math.pow(kept, r) for o, r in zip(openness, reach, strict=True)])
    assert np.array_equal(opened(openness, kept, reach), expected)
