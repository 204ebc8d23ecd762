"""Compiled passes that replaced NumPy and SciPy glue (issue 26, item 2) against their definitions."""

from __future__ import annotations

import numpy as np
import pytest

from sim.model import VillageModel
from sim.peer_influence import cells_in_reach


def brute_reach(x, y, source, reach):
    """The definition: per household, the distinct cells holding a source within Chebyshev distance ``reach``."""
    cells = {(int(x[s]), int(y[s])) for s in source}
    return np.array([sum(max(abs(a - x[i]), abs(b - y[i])) <= reach for a, b in cells) for i in range(len(x))])


@pytest.mark.parametrize(("width", "height", "reach"), [(12, 9, 0), (12, 9, 2), (7, 15, 4), (5, 5, 9), (1, 6, 1)])
def test_radio_reach_counts_the_cells_holding_a_member_within_reach(width, height, reach):
    """Two households may share a cell; a cell counts once however many members it holds, and the
    grid's edge cuts the square (the earlier ``uniform_filter`` padded with zeros)."""
    rng = np.random.default_rng(width * 100 + reach)
    n = 3 * width * height // 2
    x, y = rng.integers(0, width, n), rng.integers(0, height, n)
    source = np.flatnonzero(rng.random(n) < 0.2)
    got = cells_in_reach(x, y, source, width, height, reach)
    assert got.dtype == np.float64
    assert got.tolist() == brute_reach(x, y, source, reach).tolist()
    assert not cells_in_reach(x, y, source[:0], width, height, reach).any()


@pytest.mark.parametrize("strategy", ["baseline", "area_based", "enterprise_based", "hybrid"])
def test_joiners_are_gathered_by_place_then_row_then_column_of_the_places_in_force(strategy):
    """Group formation gathers joiners in ``formation_order`` instead of sorting them each month; the
    order must follow the places in force (hamlets in the burn-in, the strategy's places in the run)."""
    model = VillageModel(seed=3, strategy=strategy, width=20, height=20, months=6)
    h = model.households
    order = model.formation_order
    assert sorted(order.tolist()) == list(range(len(h)))
    key = (h.place[order].astype(np.int64) * model.p.height + h.y[order]) * model.p.width + h.x[order]
    assert (np.diff(key) > 0).all()  # one household per cell: the order is strict
