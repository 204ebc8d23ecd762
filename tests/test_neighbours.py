"""The Moore-neighbour matrix built in one compiled pass equals the one SciPy assembles from its entries."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from sim.initialisation import neighbour_matrix


def assembled(x: np.ndarray, y: np.ndarray, width: int, height: int) -> sparse.csr_matrix:
    """The definition, entry by entry: 1 / deg_i for each occupied Moore cell, a self-loop where none."""
    where = {(int(a), int(b)): i for i, (a, b) in enumerate(zip(x, y, strict=True))}
    rows, cols = [], []
    for i, (a, b) in enumerate(zip(x, y, strict=True)):
        around = [
            where[a + dx, b + dy] for dx in (-1, 0, 1) for dy in (-1, 0, 1) if (dx or dy) and (a + dx, b + dy) in where
        ]
        for j in around or [i]:
            rows.append(i)
            cols.append(j)
    degree = np.bincount(rows, minlength=len(x)).astype(float)
    return sparse.csr_matrix((1.0 / degree[rows], (rows, cols)), shape=(len(x), len(x)))


@pytest.mark.parametrize(("width", "height", "density"), [(12, 9, 0.6), (15, 10, 0.1), (5, 5, 1.0), (1, 7, 0.5)])
@pytest.mark.parametrize("shuffled", [False, True])
def test_neighbour_matrix_is_the_assembled_one(width, height, density, shuffled):
    """Same indices in the same (ascending) order and the same weights, bit for bit, whether households
    are numbered by cell (a drawn village) or not (a survey's order)."""
    rng = np.random.default_rng(width * height)
    n = max(2, round(width * height * density))
    cells = np.sort(rng.choice(width * height, size=n, replace=False))
    if shuffled:
        cells = rng.permutation(cells)
    x, y = cells // height, cells % height
    got, want = neighbour_matrix(x, y, width, height), assembled(x, y, width, height)
    assert got.has_sorted_indices and want.has_sorted_indices
    assert np.array_equal(got.indptr, want.indptr)
    assert np.array_equal(got.indices, want.indices)
    assert np.array_equal(got.data, want.data)
